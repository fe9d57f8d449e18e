WITH "t15" AS (
  SELECT
    "t14"."invoice_id",
    "t14"."line_no",
    "t14"."kind",
    "t14"."invoice_date",
    "t14"."due_date",
    "t14"."order_id",
    "t14"."customer_id",
    "t14"."product_id",
    "t14"."rep_id",
    "t14"."quantity",
    "t14"."unit_price",
    "t14"."discount_amount",
    "t14"."net_amount",
    "t14"."cogs",
    "t14"."currency",
    "t14"."campaign_id",
    "t14"."region",
    "t14"."industry",
    "t14"."tier",
    "t14"."customer_type",
    "t14"."customer_name",
    "t14"."category",
    "t14"."product_name",
    "t14"."gross_sales",
    "t14"."discount",
    "t14"."invoiced",
    "t14"."returns",
    "t14"."revenue",
    "t14"."cogs_signed",
    "t14"."order_key",
    DATE_TRUNC('WEEK', "t14"."invoice_date") AS "period"
  FROM (
    SELECT
      "t13"."invoice_id",
      "t13"."line_no",
      "t13"."kind",
      "t13"."invoice_date",
      "t13"."due_date",
      "t13"."order_id",
      "t13"."customer_id",
      "t13"."product_id",
      "t13"."rep_id",
      "t13"."quantity",
      "t13"."unit_price",
      "t13"."discount_amount",
      "t13"."net_amount",
      "t13"."cogs",
      "t13"."currency",
      "t13"."campaign_id",
      "t13"."region",
      "t13"."industry",
      "t13"."tier",
      "t13"."customer_type",
      "t13"."customer_name",
      "t13"."category",
      "t13"."product_name",
      CASE
        WHEN "t13"."kind" = 'invoice'
        THEN "t13"."quantity" * "t13"."unit_price"
        ELSE CAST(0 AS DECIMAL(18, 4))
      END AS "gross_sales",
      CASE
        WHEN "t13"."kind" = 'invoice'
        THEN CAST(COALESCE("t13"."discount_amount", 0) AS DECIMAL(18, 4))
        ELSE CAST(0 AS DECIMAL(18, 4))
      END AS "discount",
      CASE
        WHEN "t13"."kind" = 'invoice'
        THEN CAST("t13"."net_amount" AS DECIMAL(18, 4))
        ELSE CAST(0 AS DECIMAL(18, 4))
      END AS "invoiced",
      CASE
        WHEN "t13"."kind" = 'invoice'
        THEN CAST(0 AS DECIMAL(18, 4))
        ELSE CAST("t13"."net_amount" AS DECIMAL(18, 4))
      END AS "returns",
      CASE
        WHEN "t13"."kind" = 'invoice'
        THEN CAST("t13"."net_amount" AS DECIMAL(18, 4))
        ELSE -(
          CAST("t13"."net_amount" AS DECIMAL(18, 4))
        )
      END AS "revenue",
      CASE
        WHEN "t13"."kind" = 'invoice'
        THEN CAST(COALESCE("t13"."cogs", 0) AS DECIMAL(18, 4))
        ELSE -(
          CAST(COALESCE("t13"."cogs", 0) AS DECIMAL(18, 4))
        )
      END AS "cogs_signed",
      CASE
        WHEN "t13"."kind" = 'invoice'
        THEN COALESCE("t13"."order_id", "t13"."invoice_id")
        ELSE CAST(NULL AS TEXT)
      END AS "order_key"
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t11".*
          EXCLUDE ("product_id_right")
        FROM (
          SELECT
            "t10"."invoice_id",
            "t10"."line_no",
            "t10"."kind",
            "t10"."invoice_date",
            "t10"."due_date",
            "t10"."order_id",
            "t10"."customer_id",
            "t10"."product_id",
            "t10"."rep_id",
            "t10"."quantity",
            "t10"."unit_price",
            "t10"."discount_amount",
            "t10"."net_amount",
            "t10"."cogs",
            "t10"."currency",
            "t10"."campaign_id",
            "t10"."region",
            "t10"."industry",
            "t10"."tier",
            "t10"."customer_type",
            "t10"."customer_name",
            "t6"."product_id" AS "product_id_right",
            "t6"."category",
            "t6"."product_name"
          FROM (
            SELECT
              "t8".*
              EXCLUDE ("customer_id_right")
            FROM (
              SELECT
                "t3"."invoice_id",
                "t3"."line_no",
                "t3"."kind",
                "t3"."invoice_date",
                "t3"."due_date",
                "t3"."order_id",
                "t3"."customer_id",
                "t3"."product_id",
                "t3"."rep_id",
                "t3"."quantity",
                "t3"."unit_price",
                "t3"."discount_amount",
                "t3"."net_amount",
                "t3"."cogs",
                "t3"."currency",
                "t3"."campaign_id",
                "t7"."customer_id" AS "customer_id_right",
                "t7"."region",
                "t7"."industry",
                "t7"."tier",
                "t7"."customer_type",
                "t7"."customer_name"
              FROM "invoice_lines" AS "t3"
              LEFT OUTER JOIN (
                SELECT
                  "t2"."customer_id",
                  "t2"."region",
                  "t2"."industry",
                  "t2"."tier",
                  "t2"."customer_type",
                  "t2"."name" AS "customer_name"
                FROM "customers" AS "t2"
              ) AS "t7"
                ON "t3"."customer_id" = "t7"."customer_id"
            ) AS "t8"
          ) AS "t10"
          LEFT OUTER JOIN (
            SELECT
              "t0"."product_id",
              "t0"."category",
              "t0"."name" AS "product_name"
            FROM "products" AS "t0"
          ) AS "t6"
            ON "t10"."product_id" = "t6"."product_id"
        ) AS "t11"
      ) AS "t12"
      WHERE
        LIST_CONTAINS(CAST($products AS TEXT[]), "t12"."product_id")
        AND "t12"."invoice_date" >= CAST($start AS DATE)
        AND "t12"."invoice_date" <= CAST($end AS DATE)
    ) AS "t13"
  ) AS "t14"
)
SELECT
  *
FROM (
  SELECT
    "t25"."period",
    CAST(CAST(ROUND("t25"."gross_sales", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_sales",
    CAST(CAST(ROUND("t25"."discount", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "discount",
    CAST(CAST(ROUND("t25"."returns", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "returns",
    CAST(CAST(ROUND("t25"."revenue", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "revenue",
    CAST(CAST(ROUND("t25"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cogs",
    CAST(CAST(ROUND("t25"."revenue" - "t25"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_profit",
    CAST(ROUND(COALESCE("t25"."cost_to_serve", 0), 2) AS DECIMAL(18, 2)) AS "cost_to_serve",
    CAST(CAST(ROUND((
      "t25"."revenue" - "t25"."cogs"
    ) - COALESCE("t25"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "contribution_margin",
    "t25"."orders",
    "t25"."active_customers",
    CASE
      WHEN CAST("t25"."revenue" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t25"."revenue" - "t25"."cogs" AS DOUBLE) / CAST("t25"."revenue" AS DOUBLE)
    END AS "gross_margin",
    CASE
      WHEN CAST("t25"."revenue" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST((
        "t25"."revenue" - "t25"."cogs"
      ) - COALESCE("t25"."cost_to_serve", 0) AS DOUBLE) / CAST("t25"."revenue" AS DOUBLE)
    END AS "contribution_margin_pct",
    CASE
      WHEN CAST("t25"."orders" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t25"."revenue" AS DOUBLE) / CAST("t25"."orders" AS DOUBLE)
    END AS "average_order_value",
    CASE
      WHEN CAST("t25"."invoiced" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t25"."returns" AS DOUBLE) / CAST("t25"."invoiced" AS DOUBLE)
    END AS "return_rate",
    CASE
      WHEN CAST("t25"."gross_sales" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t25"."discount" AS DOUBLE) / CAST("t25"."gross_sales" AS DOUBLE)
    END AS "discount_rate"
  FROM (
    SELECT
      "t24"."period",
      COALESCE("t24"."gross_sales", CAST(0 AS DECIMAL(18, 4))) AS "gross_sales",
      COALESCE("t24"."discount", CAST(0 AS DECIMAL(18, 4))) AS "discount",
      COALESCE("t24"."invoiced", CAST(0 AS DECIMAL(18, 4))) AS "invoiced",
      COALESCE("t24"."returns", CAST(0 AS DECIMAL(18, 4))) AS "returns",
      COALESCE("t24"."revenue", CAST(0 AS DECIMAL(18, 4))) AS "revenue",
      COALESCE("t24"."cogs", CAST(0 AS DECIMAL(18, 4))) AS "cogs",
      COALESCE("t24"."orders", 0) AS "orders",
      COALESCE("t24"."active_customers", 0) AS "active_customers",
      "t24"."cost_to_serve"
    FROM (
      SELECT
        "t23"."period",
        "t23"."gross_sales",
        "t23"."discount",
        "t23"."invoiced",
        "t23"."returns",
        "t23"."revenue",
        "t23"."cogs",
        "t23"."orders",
        "t23"."active_customers",
        CAST(NULL AS DECIMAL(18, 4)) AS "cost_to_serve"
      FROM (
        SELECT
          "t22".*
          EXCLUDE ("period_right")
        FROM (
          SELECT
            "t19"."period",
            "t19"."gross_sales",
            "t19"."discount",
            "t19"."invoiced",
            "t19"."returns",
            "t19"."revenue",
            "t19"."cogs",
            "t19"."orders",
            "t21"."period" AS "period_right",
            "t21"."active_customers"
          FROM (
            SELECT
              "t16"."period",
              SUM("t16"."gross_sales") AS "gross_sales",
              SUM("t16"."discount") AS "discount",
              SUM("t16"."invoiced") AS "invoiced",
              SUM("t16"."returns") AS "returns",
              SUM("t16"."revenue") AS "revenue",
              SUM("t16"."cogs_signed") AS "cogs",
              COUNT(DISTINCT "t16"."order_key") AS "orders"
            FROM "t15" AS "t16"
            GROUP BY
              1
          ) AS "t19"
          INNER JOIN (
            SELECT
              "t17"."period",
              SUM(CAST("t17"."rev" > 0 AS INT)) AS "active_customers"
            FROM (
              SELECT
                "t16"."period",
                "t16"."customer_id",
                SUM("t16"."revenue") AS "rev"
              FROM "t15" AS "t16"
              GROUP BY
                1,
                2
            ) AS "t17"
            GROUP BY
              1
          ) AS "t21"
            ON "t19"."period" IS NOT DISTINCT FROM "t21"."period"
        ) AS "t22"
      ) AS "t23"
    ) AS "t24"
  ) AS "t25"
) AS "t26"
ORDER BY
  "t26"."period" ASC
