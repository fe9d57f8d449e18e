WITH "t39" AS (
  SELECT
    "t35"."invoice_id",
    "t35"."line_no",
    "t35"."kind",
    "t35"."invoice_date",
    "t35"."due_date",
    "t35"."order_id",
    "t35"."customer_id",
    "t35"."product_id",
    "t35"."rep_id",
    "t35"."quantity",
    "t35"."unit_price",
    "t35"."discount_amount",
    "t35"."net_amount",
    "t35"."cogs",
    "t35"."currency",
    "t35"."campaign_id",
    "t35"."region",
    "t35"."industry",
    "t35"."tier",
    "t35"."customer_type",
    "t35"."customer_name",
    "t35"."category",
    "t35"."product_name",
    CASE
      WHEN "t35"."kind" = 'invoice'
      THEN "t35"."quantity" * "t35"."unit_price"
      ELSE CAST(0 AS DECIMAL(18, 4))
    END AS "gross_sales",
    CASE
      WHEN "t35"."kind" = 'invoice'
      THEN CAST(COALESCE("t35"."discount_amount", 0) AS DECIMAL(18, 4))
      ELSE CAST(0 AS DECIMAL(18, 4))
    END AS "discount",
    CASE
      WHEN "t35"."kind" = 'invoice'
      THEN CAST("t35"."net_amount" AS DECIMAL(18, 4))
      ELSE CAST(0 AS DECIMAL(18, 4))
    END AS "invoiced",
    CASE
      WHEN "t35"."kind" = 'invoice'
      THEN CAST(0 AS DECIMAL(18, 4))
      ELSE CAST("t35"."net_amount" AS DECIMAL(18, 4))
    END AS "returns",
    CASE
      WHEN "t35"."kind" = 'invoice'
      THEN CAST("t35"."net_amount" AS DECIMAL(18, 4))
      ELSE -(
        CAST("t35"."net_amount" AS DECIMAL(18, 4))
      )
    END AS "revenue",
    CASE
      WHEN "t35"."kind" = 'invoice'
      THEN CAST(COALESCE("t35"."cogs", 0) AS DECIMAL(18, 4))
      ELSE -(
        CAST(COALESCE("t35"."cogs", 0) AS DECIMAL(18, 4))
      )
    END AS "cogs_signed",
    CASE
      WHEN "t35"."kind" = 'invoice'
      THEN COALESCE("t35"."order_id", "t35"."invoice_id")
      ELSE CAST(NULL AS TEXT)
    END AS "order_key"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t29".*
        EXCLUDE ("product_id_right")
      FROM (
        SELECT
          "t23"."invoice_id",
          "t23"."line_no",
          "t23"."kind",
          "t23"."invoice_date",
          "t23"."due_date",
          "t23"."order_id",
          "t23"."customer_id",
          "t23"."product_id",
          "t23"."rep_id",
          "t23"."quantity",
          "t23"."unit_price",
          "t23"."discount_amount",
          "t23"."net_amount",
          "t23"."cogs",
          "t23"."currency",
          "t23"."campaign_id",
          "t23"."region",
          "t23"."industry",
          "t23"."tier",
          "t23"."customer_type",
          "t23"."customer_name",
          "t10"."product_id" AS "product_id_right",
          "t10"."category",
          "t10"."product_name"
        FROM (
          SELECT
            "t16".*
            EXCLUDE ("customer_id_right")
          FROM (
            SELECT
              "t6"."invoice_id",
              "t6"."line_no",
              "t6"."kind",
              "t6"."invoice_date",
              "t6"."due_date",
              "t6"."order_id",
              "t6"."customer_id",
              "t6"."product_id",
              "t6"."rep_id",
              "t6"."quantity",
              "t6"."unit_price",
              "t6"."discount_amount",
              "t6"."net_amount",
              "t6"."cogs",
              "t6"."currency",
              "t6"."campaign_id",
              "t12"."customer_id" AS "customer_id_right",
              "t12"."region",
              "t12"."industry",
              "t12"."tier",
              "t12"."customer_type",
              "t12"."customer_name"
            FROM "invoice_lines" AS "t6"
            LEFT OUTER JOIN (
              SELECT
                "t4"."customer_id",
                "t4"."region",
                "t4"."industry",
                "t4"."tier",
                "t4"."customer_type",
                "t4"."name" AS "customer_name"
              FROM "customers" AS "t4"
            ) AS "t12"
              ON "t6"."customer_id" = "t12"."customer_id"
          ) AS "t16"
        ) AS "t23"
        LEFT OUTER JOIN (
          SELECT
            "t0"."product_id",
            "t0"."category",
            "t0"."name" AS "product_name"
          FROM "products" AS "t0"
        ) AS "t10"
          ON "t23"."product_id" = "t10"."product_id"
      ) AS "t29"
    ) AS "t30"
    WHERE
      LIST_CONTAINS(CAST($products AS TEXT[]), "t30"."product_id")
      AND "t30"."invoice_date" >= CAST($start AS DATE)
      AND "t30"."invoice_date" <= CAST($end AS DATE)
  ) AS "t35"
)
SELECT
  CAST(CAST(ROUND("t50"."gross_sales", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_sales",
  CAST(CAST(ROUND("t50"."discount", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "discount",
  CAST(CAST(ROUND("t50"."returns", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "returns",
  CAST(CAST(ROUND("t50"."revenue", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "revenue",
  CAST(CAST(ROUND("t50"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cogs",
  CAST(CAST(ROUND("t50"."revenue" - "t50"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_profit",
  CAST(CAST(ROUND(COALESCE("t50"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cost_to_serve",
  CAST(CAST(ROUND((
    "t50"."revenue" - "t50"."cogs"
  ) - COALESCE("t50"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "contribution_margin",
  "t50"."orders",
  "t50"."active_customers",
  CASE
    WHEN CAST("t50"."revenue" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t50"."revenue" - "t50"."cogs" AS DOUBLE) / CAST("t50"."revenue" AS DOUBLE)
  END AS "gross_margin",
  CASE
    WHEN CAST("t50"."revenue" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST((
      "t50"."revenue" - "t50"."cogs"
    ) - COALESCE("t50"."cost_to_serve", 0) AS DOUBLE) / CAST("t50"."revenue" AS DOUBLE)
  END AS "contribution_margin_pct",
  CASE
    WHEN CAST("t50"."orders" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t50"."revenue" AS DOUBLE) / CAST("t50"."orders" AS DOUBLE)
  END AS "average_order_value",
  CASE
    WHEN CAST("t50"."invoiced" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t50"."returns" AS DOUBLE) / CAST("t50"."invoiced" AS DOUBLE)
  END AS "return_rate",
  CASE
    WHEN CAST("t50"."gross_sales" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t50"."discount" AS DOUBLE) / CAST("t50"."gross_sales" AS DOUBLE)
  END AS "discount_rate"
FROM (
  SELECT
    COALESCE("t49"."gross_sales", CAST(0 AS DECIMAL(18, 4))) AS "gross_sales",
    COALESCE("t49"."discount", CAST(0 AS DECIMAL(18, 4))) AS "discount",
    COALESCE("t49"."invoiced", CAST(0 AS DECIMAL(18, 4))) AS "invoiced",
    COALESCE("t49"."returns", CAST(0 AS DECIMAL(18, 4))) AS "returns",
    COALESCE("t49"."revenue", CAST(0 AS DECIMAL(18, 4))) AS "revenue",
    COALESCE("t49"."cogs", CAST(0 AS DECIMAL(18, 4))) AS "cogs",
    COALESCE("t49"."orders", 0) AS "orders",
    COALESCE("t49"."active_customers", 0) AS "active_customers",
    "t49"."cost_to_serve"
  FROM (
    SELECT
      "t43"."gross_sales",
      "t43"."discount",
      "t43"."invoiced",
      "t43"."returns",
      "t43"."revenue",
      "t43"."cogs",
      "t43"."orders",
      "t46"."active_customers",
      "t48"."cost_to_serve"
    FROM (
      SELECT
        SUM("t40"."gross_sales") AS "gross_sales",
        SUM("t40"."discount") AS "discount",
        SUM("t40"."invoiced") AS "invoiced",
        SUM("t40"."returns") AS "returns",
        SUM("t40"."revenue") AS "revenue",
        SUM("t40"."cogs_signed") AS "cogs",
        COUNT(DISTINCT "t40"."order_key") AS "orders"
      FROM "t39" AS "t40"
    ) AS "t43"
    CROSS JOIN (
      SELECT
        SUM(CAST("t41"."rev" > 0 AS INT)) AS "active_customers"
      FROM (
        SELECT
          "t40"."customer_id",
          SUM("t40"."revenue") AS "rev"
        FROM "t39" AS "t40"
        GROUP BY
          1
      ) AS "t41"
    ) AS "t46"
    CROSS JOIN (
      SELECT
        SUM("t44"."cost_to_serve") AS "cost_to_serve"
      FROM (
        SELECT
          "t38"."customer_id",
          CAST(CAST("t34"."cost_to_serve" AS DOUBLE) * CASE
            WHEN CAST("t28"."whole" AS DOUBLE) = 0
            THEN CAST(NULL AS DOUBLE)
            ELSE CAST("t38"."part" AS DOUBLE) / CAST("t28"."whole" AS DOUBLE)
          END AS DECIMAL(18, 4)) AS "cost_to_serve"
        FROM (
          SELECT
            "t36"."customer_id",
            SUM("t36"."revenue") AS "part"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t31".*
                EXCLUDE ("product_id_right")
              FROM (
                SELECT
                  "t25"."invoice_date",
                  "t25"."customer_id",
                  "t25"."product_id",
                  "t25"."rep_id",
                  "t25"."gross_sales",
                  "t25"."discount",
                  "t25"."invoiced",
                  "t25"."returns",
                  "t25"."revenue",
                  "t25"."cogs_signed",
                  "t25"."orders",
                  "t25"."region",
                  "t25"."industry",
                  "t25"."tier",
                  "t25"."customer_type",
                  "t25"."customer_name",
                  "t10"."product_id" AS "product_id_right",
                  "t10"."category",
                  "t10"."product_name"
                FROM (
                  SELECT
                    "t21".*
                    EXCLUDE ("customer_id_right")
                  FROM (
                    SELECT
                      "t15"."invoice_date",
                      "t15"."customer_id",
                      "t15"."product_id",
                      "t15"."rep_id",
                      "t15"."gross_sales",
                      "t15"."discount",
                      "t15"."invoiced",
                      "t15"."returns",
                      "t15"."revenue",
                      "t15"."cogs_signed",
                      "t15"."orders",
                      "t12"."customer_id" AS "customer_id_right",
                      "t12"."region",
                      "t12"."industry",
                      "t12"."tier",
                      "t12"."customer_type",
                      "t12"."customer_name"
                    FROM (
                      SELECT
                        *
                      FROM "ms_sales_month" AS "t5"
                      WHERE
                        "t5"."invoice_date" >= CAST($start AS DATE)
                        AND "t5"."invoice_date" <= CAST($end AS DATE)
                    ) AS "t15"
                    LEFT OUTER JOIN (
                      SELECT
                        "t4"."customer_id",
                        "t4"."region",
                        "t4"."industry",
                        "t4"."tier",
                        "t4"."customer_type",
                        "t4"."name" AS "customer_name"
                      FROM "customers" AS "t4"
                    ) AS "t12"
                      ON "t15"."customer_id" = "t12"."customer_id"
                  ) AS "t21"
                ) AS "t25"
                LEFT OUTER JOIN (
                  SELECT
                    "t0"."product_id",
                    "t0"."category",
                    "t0"."name" AS "product_name"
                  FROM "products" AS "t0"
                ) AS "t10"
                  ON "t25"."product_id" = "t10"."product_id"
              ) AS "t31"
            ) AS "t33"
            WHERE
              LIST_CONTAINS(CAST($products AS TEXT[]), "t33"."product_id")
          ) AS "t36"
          GROUP BY
            1
        ) AS "t38"
        INNER JOIN (
          SELECT
            "t22"."customer_id",
            SUM("t22"."revenue") AS "whole"
          FROM (
            SELECT
              "t18".*
              EXCLUDE ("customer_id_right")
            FROM (
              SELECT
                "t14"."invoice_date",
                "t14"."customer_id",
                "t14"."rep_id",
                "t14"."gross_sales",
                "t14"."discount",
                "t14"."invoiced",
                "t14"."returns",
                "t14"."revenue",
                "t14"."cogs_signed",
                "t14"."orders",
                "t12"."customer_id" AS "customer_id_right",
                "t12"."region",
                "t12"."industry",
                "t12"."tier",
                "t12"."customer_type",
                "t12"."customer_name"
              FROM (
                SELECT
                  *
                FROM "ms_customer_month" AS "t2"
                WHERE
                  "t2"."invoice_date" >= CAST($start AS DATE)
                  AND "t2"."invoice_date" <= CAST($end AS DATE)
              ) AS "t14"
              LEFT OUTER JOIN (
                SELECT
                  "t4"."customer_id",
                  "t4"."region",
                  "t4"."industry",
                  "t4"."tier",
                  "t4"."customer_type",
                  "t4"."name" AS "customer_name"
                FROM "customers" AS "t4"
              ) AS "t12"
                ON "t14"."customer_id" = "t12"."customer_id"
            ) AS "t18"
          ) AS "t22"
          GROUP BY
            1
        ) AS "t28"
          ON "t38"."customer_id" = "t28"."customer_id"
        INNER JOIN (
          SELECT
            "t26"."customer_id",
            CAST(SUM("t26"."amount") AS DECIMAL(18, 4)) AS "cost_to_serve"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t17".*
                EXCLUDE ("customer_id_right")
              FROM (
                SELECT
                  "t7"."cost_id",
                  "t7"."customer_id",
                  "t7"."cost_date",
                  "t7"."category",
                  "t7"."amount",
                  "t12"."customer_id" AS "customer_id_right",
                  "t12"."region",
                  "t12"."industry",
                  "t12"."tier",
                  "t12"."customer_type",
                  "t12"."customer_name"
                FROM "costs_to_serve" AS "t7"
                LEFT OUTER JOIN (
                  SELECT
                    "t4"."customer_id",
                    "t4"."region",
                    "t4"."industry",
                    "t4"."tier",
                    "t4"."customer_type",
                    "t4"."name" AS "customer_name"
                  FROM "customers" AS "t4"
                ) AS "t12"
                  ON "t7"."customer_id" = "t12"."customer_id"
              ) AS "t17"
            ) AS "t20"
            WHERE
              "t20"."cost_date" >= CAST($start AS DATE)
              AND "t20"."cost_date" <= CAST($end AS DATE)
          ) AS "t26"
          GROUP BY
            1
        ) AS "t34"
          ON "t38"."customer_id" = "t34"."customer_id"
      ) AS "t44"
    ) AS "t48"
  ) AS "t49"
) AS "t50"
