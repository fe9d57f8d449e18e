WITH "t33" AS (
  SELECT
    "t28"."invoice_id",
    "t28"."line_no",
    "t28"."kind",
    "t28"."invoice_date",
    "t28"."due_date",
    "t28"."order_id",
    "t28"."customer_id",
    "t28"."product_id",
    "t28"."rep_id",
    "t28"."quantity",
    "t28"."unit_price",
    "t28"."discount_amount",
    "t28"."net_amount",
    "t28"."cogs",
    "t28"."currency",
    "t28"."campaign_id",
    "t28"."region",
    "t28"."industry",
    "t28"."tier",
    "t28"."customer_type",
    "t28"."customer_name",
    "t28"."category",
    "t28"."product_name",
    CASE
      WHEN "t28"."kind" = 'invoice'
      THEN "t28"."quantity" * "t28"."unit_price"
      ELSE CAST(0 AS DECIMAL(18, 4))
    END AS "gross_sales",
    CASE
      WHEN "t28"."kind" = 'invoice'
      THEN CAST(COALESCE("t28"."discount_amount", 0) AS DECIMAL(18, 4))
      ELSE CAST(0 AS DECIMAL(18, 4))
    END AS "discount",
    CASE
      WHEN "t28"."kind" = 'invoice'
      THEN CAST("t28"."net_amount" AS DECIMAL(18, 4))
      ELSE CAST(0 AS DECIMAL(18, 4))
    END AS "invoiced",
    CASE
      WHEN "t28"."kind" = 'invoice'
      THEN CAST(0 AS DECIMAL(18, 4))
      ELSE CAST("t28"."net_amount" AS DECIMAL(18, 4))
    END AS "returns",
    CASE
      WHEN "t28"."kind" = 'invoice'
      THEN CAST("t28"."net_amount" AS DECIMAL(18, 4))
      ELSE -(
        CAST("t28"."net_amount" AS DECIMAL(18, 4))
      )
    END AS "revenue",
    CASE
      WHEN "t28"."kind" = 'invoice'
      THEN CAST(COALESCE("t28"."cogs", 0) AS DECIMAL(18, 4))
      ELSE -(
        CAST(COALESCE("t28"."cogs", 0) AS DECIMAL(18, 4))
      )
    END AS "cogs_signed",
    CASE
      WHEN "t28"."kind" = 'invoice'
      THEN COALESCE("t28"."order_id", "t28"."invoice_id")
      ELSE CAST(NULL AS TEXT)
    END AS "order_key"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t22".*
        EXCLUDE ("product_id_right")
      FROM (
        SELECT
          "t19"."invoice_id",
          "t19"."line_no",
          "t19"."kind",
          "t19"."invoice_date",
          "t19"."due_date",
          "t19"."order_id",
          "t19"."customer_id",
          "t19"."product_id",
          "t19"."rep_id",
          "t19"."quantity",
          "t19"."unit_price",
          "t19"."discount_amount",
          "t19"."net_amount",
          "t19"."cogs",
          "t19"."currency",
          "t19"."campaign_id",
          "t19"."region",
          "t19"."industry",
          "t19"."tier",
          "t19"."customer_type",
          "t19"."customer_name",
          "t9"."product_id" AS "product_id_right",
          "t9"."category",
          "t9"."product_name"
        FROM (
          SELECT
            "t14".*
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
              "t11"."customer_id" AS "customer_id_right",
              "t11"."region",
              "t11"."industry",
              "t11"."tier",
              "t11"."customer_type",
              "t11"."customer_name"
            FROM "invoice_lines" AS "t6"
            LEFT OUTER JOIN (
              SELECT
                "t3"."customer_id",
                "t3"."region",
                "t3"."industry",
                "t3"."tier",
                "t3"."customer_type",
                "t3"."name" AS "customer_name"
              FROM "customers" AS "t3"
            ) AS "t11"
              ON "t6"."customer_id" = "t11"."customer_id"
          ) AS "t14"
        ) AS "t19"
        LEFT OUTER JOIN (
          SELECT
            "t0"."product_id",
            "t0"."category",
            "t0"."name" AS "product_name"
          FROM "products" AS "t0"
        ) AS "t9"
          ON "t19"."product_id" = "t9"."product_id"
      ) AS "t22"
    ) AS "t24"
    WHERE
      "t24"."invoice_date" >= CAST($start AS DATE)
      AND "t24"."invoice_date" <= CAST($end AS DATE)
  ) AS "t28"
)
SELECT
  *
FROM (
  SELECT
    "t51"."category",
    CAST(CAST(ROUND("t51"."gross_sales", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_sales",
    CAST(CAST(ROUND("t51"."discount", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "discount",
    CAST(CAST(ROUND("t51"."returns", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "returns",
    CAST(CAST(ROUND("t51"."revenue", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "revenue",
    CAST(CAST(ROUND("t51"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cogs",
    CAST(CAST(ROUND("t51"."revenue" - "t51"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_profit",
    CAST(CAST(ROUND(COALESCE("t51"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cost_to_serve",
    CAST(CAST(ROUND((
      "t51"."revenue" - "t51"."cogs"
    ) - COALESCE("t51"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "contribution_margin",
    "t51"."orders",
    "t51"."active_customers",
    CASE
      WHEN CAST("t51"."revenue" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t51"."revenue" - "t51"."cogs" AS DOUBLE) / CAST("t51"."revenue" AS DOUBLE)
    END AS "gross_margin",
    CASE
      WHEN CAST("t51"."revenue" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST((
        "t51"."revenue" - "t51"."cogs"
      ) - COALESCE("t51"."cost_to_serve", 0) AS DOUBLE) / CAST("t51"."revenue" AS DOUBLE)
    END AS "contribution_margin_pct",
    CASE
      WHEN CAST("t51"."orders" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t51"."revenue" AS DOUBLE) / CAST("t51"."orders" AS DOUBLE)
    END AS "average_order_value",
    CASE
      WHEN CAST("t51"."invoiced" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t51"."returns" AS DOUBLE) / CAST("t51"."invoiced" AS DOUBLE)
    END AS "return_rate",
    CASE
      WHEN CAST("t51"."gross_sales" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t51"."discount" AS DOUBLE) / CAST("t51"."gross_sales" AS DOUBLE)
    END AS "discount_rate"
  FROM (
    SELECT
      "t50"."category",
      COALESCE("t50"."gross_sales", CAST(0 AS DECIMAL(18, 4))) AS "gross_sales",
      COALESCE("t50"."discount", CAST(0 AS DECIMAL(18, 4))) AS "discount",
      COALESCE("t50"."invoiced", CAST(0 AS DECIMAL(18, 4))) AS "invoiced",
      COALESCE("t50"."returns", CAST(0 AS DECIMAL(18, 4))) AS "returns",
      COALESCE("t50"."revenue", CAST(0 AS DECIMAL(18, 4))) AS "revenue",
      COALESCE("t50"."cogs", CAST(0 AS DECIMAL(18, 4))) AS "cogs",
      COALESCE("t50"."orders", 0) AS "orders",
      COALESCE("t50"."active_customers", 0) AS "active_customers",
      "t50"."cost_to_serve"
    FROM (
      SELECT
        "t49"."category",
        "t49"."gross_sales",
        "t49"."discount",
        "t49"."invoiced",
        "t49"."returns",
        "t49"."revenue",
        "t49"."cogs",
        "t49"."orders",
        "t49"."active_customers",
        "t49"."cost_to_serve"
      FROM (
        SELECT
          COALESCE("t48"."category", "t48"."category_right") AS "category",
          "t48"."gross_sales",
          "t48"."discount",
          "t48"."invoiced",
          "t48"."returns",
          "t48"."revenue",
          "t48"."cogs",
          "t48"."orders",
          "t48"."active_customers",
          "t48"."_missing_l",
          "t48"."_key_l",
          "t48"."category_right",
          "t48"."cost_to_serve",
          "t48"."_missing_r",
          "t48"."_key_r"
        FROM (
          SELECT
            "t47"."category",
            "t47"."gross_sales",
            "t47"."discount",
            "t47"."invoiced",
            "t47"."returns",
            "t47"."revenue",
            "t47"."cogs",
            "t47"."orders",
            "t47"."active_customers",
            "t47"."_missing_l",
            "t47"."_key_l",
            "t43"."category" AS "category_right",
            "t43"."cost_to_serve",
            "t43"."_missing_r",
            "t43"."_key_r"
          FROM (
            SELECT
              "t45"."category",
              "t45"."gross_sales",
              "t45"."discount",
              "t45"."invoiced",
              "t45"."returns",
              "t45"."revenue",
              "t45"."cogs",
              "t45"."orders",
              "t45"."active_customers",
              "t45"."category" IS NULL AS "_missing_l",
              COALESCE("t45"."category", '') AS "_key_l"
            FROM (
              SELECT
                "t44".*
                EXCLUDE ("category_right")
              FROM (
                SELECT
                  "t38"."category",
                  "t38"."gross_sales",
                  "t38"."discount",
                  "t38"."invoiced",
                  "t38"."returns",
                  "t38"."revenue",
                  "t38"."cogs",
                  "t38"."orders",
                  "t42"."category" AS "category_right",
                  "t42"."active_customers"
                FROM (
                  SELECT
                    "t34"."category",
                    SUM("t34"."gross_sales") AS "gross_sales",
                    SUM("t34"."discount") AS "discount",
                    SUM("t34"."invoiced") AS "invoiced",
                    SUM("t34"."returns") AS "returns",
                    SUM("t34"."revenue") AS "revenue",
                    SUM("t34"."cogs_signed") AS "cogs",
                    COUNT(DISTINCT "t34"."order_key") AS "orders"
                  FROM "t33" AS "t34"
                  GROUP BY
                    1
                ) AS "t38"
                INNER JOIN (
                  SELECT
                    "t36"."category",
                    SUM(CAST("t36"."rev" > 0 AS INT)) AS "active_customers"
                  FROM (
                    SELECT
                      "t34"."category",
                      "t34"."customer_id",
                      SUM("t34"."revenue") AS "rev"
                    FROM "t33" AS "t34"
                    GROUP BY
                      1,
                      2
                  ) AS "t36"
                  GROUP BY
                    1
                ) AS "t42"
                  ON "t38"."category" IS NOT DISTINCT FROM "t42"."category"
              ) AS "t44"
            ) AS "t45"
          ) AS "t47"
          FULL OUTER JOIN (
            SELECT
              "t39"."category",
              "t39"."cost_to_serve",
              "t39"."category" IS NULL AS "_missing_r",
              COALESCE("t39"."category", '') AS "_key_r"
            FROM (
              SELECT
                "t35"."category",
                SUM("t35"."cost_to_serve") AS "cost_to_serve"
              FROM (
                SELECT
                  "t31"."customer_id",
                  "t31"."category",
                  CAST(CAST("t27"."cost_to_serve" AS DOUBLE) * CASE
                    WHEN CAST("t32"."whole" AS DOUBLE) = 0
                    THEN CAST(NULL AS DOUBLE)
                    ELSE CAST("t31"."part" AS DOUBLE) / CAST("t32"."whole" AS DOUBLE)
                  END AS DECIMAL(18, 4)) AS "cost_to_serve"
                FROM (
                  SELECT
                    "t25"."customer_id",
                    "t25"."category",
                    SUM("t25"."revenue") AS "part"
                  FROM (
                    SELECT
                      "t23".*
                      EXCLUDE ("product_id_right")
                    FROM (
                      SELECT
                        "t20"."invoice_date",
                        "t20"."customer_id",
                        "t20"."product_id",
                        "t20"."rep_id",
                        "t20"."gross_sales",
                        "t20"."discount",
                        "t20"."invoiced",
                        "t20"."returns",
                        "t20"."revenue",
                        "t20"."cogs_signed",
                        "t20"."orders",
                        "t20"."region",
                        "t20"."industry",
                        "t20"."tier",
                        "t20"."customer_type",
                        "t20"."customer_name",
                        "t9"."product_id" AS "product_id_right",
                        "t9"."category",
                        "t9"."product_name"
                      FROM (
                        SELECT
                          "t15".*
                          EXCLUDE ("customer_id_right")
                        FROM (
                          SELECT
                            "t12"."invoice_date",
                            "t12"."customer_id",
                            "t12"."product_id",
                            "t12"."rep_id",
                            "t12"."gross_sales",
                            "t12"."discount",
                            "t12"."invoiced",
                            "t12"."returns",
                            "t12"."revenue",
                            "t12"."cogs_signed",
                            "t12"."orders",
                            "t11"."customer_id" AS "customer_id_right",
                            "t11"."region",
                            "t11"."industry",
                            "t11"."tier",
                            "t11"."customer_type",
                            "t11"."customer_name"
                          FROM (
                            SELECT
                              *
                            FROM "ms_sales_month" AS "t2"
                            WHERE
                              "t2"."invoice_date" >= CAST($start AS DATE)
                              AND "t2"."invoice_date" <= CAST($end AS DATE)
                          ) AS "t12"
                          LEFT OUTER JOIN (
                            SELECT
                              "t3"."customer_id",
                              "t3"."region",
                              "t3"."industry",
                              "t3"."tier",
                              "t3"."customer_type",
                              "t3"."name" AS "customer_name"
                            FROM "customers" AS "t3"
                          ) AS "t11"
                            ON "t12"."customer_id" = "t11"."customer_id"
                        ) AS "t15"
                      ) AS "t20"
                      LEFT OUTER JOIN (
                        SELECT
                          "t0"."product_id",
                          "t0"."category",
                          "t0"."name" AS "product_name"
                        FROM "products" AS "t0"
                      ) AS "t9"
                        ON "t20"."product_id" = "t9"."product_id"
                    ) AS "t23"
                  ) AS "t25"
                  GROUP BY
                    1,
                    2
                ) AS "t31"
                INNER JOIN (
                  SELECT
                    "t25"."customer_id",
                    SUM("t25"."revenue") AS "whole"
                  FROM (
                    SELECT
                      "t23".*
                      EXCLUDE ("product_id_right")
                    FROM (
                      SELECT
                        "t20"."invoice_date",
                        "t20"."customer_id",
                        "t20"."product_id",
                        "t20"."rep_id",
                        "t20"."gross_sales",
                        "t20"."discount",
                        "t20"."invoiced",
                        "t20"."returns",
                        "t20"."revenue",
                        "t20"."cogs_signed",
                        "t20"."orders",
                        "t20"."region",
                        "t20"."industry",
                        "t20"."tier",
                        "t20"."customer_type",
                        "t20"."customer_name",
                        "t9"."product_id" AS "product_id_right",
                        "t9"."category",
                        "t9"."product_name"
                      FROM (
                        SELECT
                          "t15".*
                          EXCLUDE ("customer_id_right")
                        FROM (
                          SELECT
                            "t12"."invoice_date",
                            "t12"."customer_id",
                            "t12"."product_id",
                            "t12"."rep_id",
                            "t12"."gross_sales",
                            "t12"."discount",
                            "t12"."invoiced",
                            "t12"."returns",
                            "t12"."revenue",
                            "t12"."cogs_signed",
                            "t12"."orders",
                            "t11"."customer_id" AS "customer_id_right",
                            "t11"."region",
                            "t11"."industry",
                            "t11"."tier",
                            "t11"."customer_type",
                            "t11"."customer_name"
                          FROM (
                            SELECT
                              *
                            FROM "ms_sales_month" AS "t2"
                            WHERE
                              "t2"."invoice_date" >= CAST($start AS DATE)
                              AND "t2"."invoice_date" <= CAST($end AS DATE)
                          ) AS "t12"
                          LEFT OUTER JOIN (
                            SELECT
                              "t3"."customer_id",
                              "t3"."region",
                              "t3"."industry",
                              "t3"."tier",
                              "t3"."customer_type",
                              "t3"."name" AS "customer_name"
                            FROM "customers" AS "t3"
                          ) AS "t11"
                            ON "t12"."customer_id" = "t11"."customer_id"
                        ) AS "t15"
                      ) AS "t20"
                      LEFT OUTER JOIN (
                        SELECT
                          "t0"."product_id",
                          "t0"."category",
                          "t0"."name" AS "product_name"
                        FROM "products" AS "t0"
                      ) AS "t9"
                        ON "t20"."product_id" = "t9"."product_id"
                    ) AS "t23"
                  ) AS "t25"
                  GROUP BY
                    1
                ) AS "t32"
                  ON "t31"."customer_id" = "t32"."customer_id"
                INNER JOIN (
                  SELECT
                    "t21"."customer_id",
                    CAST(SUM("t21"."amount") AS DECIMAL(18, 4)) AS "cost_to_serve"
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t13".*
                        EXCLUDE ("customer_id_right")
                      FROM (
                        SELECT
                          "t5"."cost_id",
                          "t5"."customer_id",
                          "t5"."cost_date",
                          "t5"."category",
                          "t5"."amount",
                          "t11"."customer_id" AS "customer_id_right",
                          "t11"."region",
                          "t11"."industry",
                          "t11"."tier",
                          "t11"."customer_type",
                          "t11"."customer_name"
                        FROM "costs_to_serve" AS "t5"
                        LEFT OUTER JOIN (
                          SELECT
                            "t3"."customer_id",
                            "t3"."region",
                            "t3"."industry",
                            "t3"."tier",
                            "t3"."customer_type",
                            "t3"."name" AS "customer_name"
                          FROM "customers" AS "t3"
                        ) AS "t11"
                          ON "t5"."customer_id" = "t11"."customer_id"
                      ) AS "t13"
                    ) AS "t16"
                    WHERE
                      "t16"."cost_date" >= CAST($start AS DATE)
                      AND "t16"."cost_date" <= CAST($end AS DATE)
                  ) AS "t21"
                  GROUP BY
                    1
                ) AS "t27"
                  ON "t31"."customer_id" = "t27"."customer_id"
              ) AS "t35"
              GROUP BY
                1
            ) AS "t39"
          ) AS "t43"
            ON "t47"."_missing_l" = "t43"."_missing_r" AND "t47"."_key_l" = "t43"."_key_r"
        ) AS "t48"
      ) AS "t49"
    ) AS "t50"
  ) AS "t51"
) AS "t52"
ORDER BY
  "t52"."revenue" DESC,
  "t52"."category" ASC
