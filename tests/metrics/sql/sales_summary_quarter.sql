SELECT
  CAST(CAST(ROUND("t28"."gross_sales", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_sales",
  CAST(CAST(ROUND("t28"."discount", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "discount",
  CAST(CAST(ROUND("t28"."returns", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "returns",
  CAST(CAST(ROUND("t28"."revenue", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "revenue",
  CAST(CAST(ROUND("t28"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cogs",
  CAST(CAST(ROUND("t28"."revenue" - "t28"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_profit",
  CAST(CAST(ROUND(COALESCE("t28"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cost_to_serve",
  CAST(CAST(ROUND((
    "t28"."revenue" - "t28"."cogs"
  ) - COALESCE("t28"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "contribution_margin",
  "t28"."orders",
  "t28"."active_customers",
  CASE
    WHEN CAST("t28"."revenue" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t28"."revenue" - "t28"."cogs" AS DOUBLE) / CAST("t28"."revenue" AS DOUBLE)
  END AS "gross_margin",
  CASE
    WHEN CAST("t28"."revenue" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST((
      "t28"."revenue" - "t28"."cogs"
    ) - COALESCE("t28"."cost_to_serve", 0) AS DOUBLE) / CAST("t28"."revenue" AS DOUBLE)
  END AS "contribution_margin_pct",
  CASE
    WHEN CAST("t28"."orders" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t28"."revenue" AS DOUBLE) / CAST("t28"."orders" AS DOUBLE)
  END AS "average_order_value",
  CASE
    WHEN CAST("t28"."invoiced" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t28"."returns" AS DOUBLE) / CAST("t28"."invoiced" AS DOUBLE)
  END AS "return_rate",
  CASE
    WHEN CAST("t28"."gross_sales" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t28"."discount" AS DOUBLE) / CAST("t28"."gross_sales" AS DOUBLE)
  END AS "discount_rate"
FROM (
  SELECT
    COALESCE("t27"."gross_sales", CAST(0 AS DECIMAL(18, 4))) AS "gross_sales",
    COALESCE("t27"."discount", CAST(0 AS DECIMAL(18, 4))) AS "discount",
    COALESCE("t27"."invoiced", CAST(0 AS DECIMAL(18, 4))) AS "invoiced",
    COALESCE("t27"."returns", CAST(0 AS DECIMAL(18, 4))) AS "returns",
    COALESCE("t27"."revenue", CAST(0 AS DECIMAL(18, 4))) AS "revenue",
    COALESCE("t27"."cogs", CAST(0 AS DECIMAL(18, 4))) AS "cogs",
    COALESCE("t27"."orders", 0) AS "orders",
    COALESCE("t27"."active_customers", 0) AS "active_customers",
    "t27"."cost_to_serve"
  FROM (
    SELECT
      "t26"."gross_sales",
      "t26"."discount",
      "t26"."invoiced",
      "t26"."returns",
      "t26"."revenue",
      "t26"."cogs",
      "t26"."orders",
      "t19"."active_customers",
      "t14"."cost_to_serve"
    FROM (
      SELECT
        "t24".*
        EXCLUDE ("split_orders")
      FROM (
        SELECT
          "t23"."gross_sales",
          "t23"."discount",
          "t23"."invoiced",
          "t23"."returns",
          "t23"."revenue",
          "t23"."cogs",
          COALESCE("t23"."orders", 0) + COALESCE("t23"."split_orders", 0) AS "orders",
          "t23"."split_orders"
        FROM (
          SELECT
            "t15"."gross_sales",
            "t15"."discount",
            "t15"."invoiced",
            "t15"."returns",
            "t15"."revenue",
            "t15"."cogs",
            "t15"."orders",
            "t22"."split_orders"
          FROM (
            SELECT
              SUM("t9"."gross_sales") AS "gross_sales",
              SUM("t9"."discount") AS "discount",
              SUM("t9"."invoiced") AS "invoiced",
              SUM("t9"."returns") AS "returns",
              SUM("t9"."revenue") AS "revenue",
              SUM("t9"."cogs_signed") AS "cogs",
              SUM("t9"."orders") AS "orders"
            FROM (
              SELECT
                *
              FROM "ms_segment_month" AS "t2"
              WHERE
                "t2"."invoice_date" >= CAST($start AS DATE)
                AND "t2"."invoice_date" <= CAST($end AS DATE)
            ) AS "t9"
          ) AS "t15"
          CROSS JOIN (
            SELECT
              COUNT(DISTINCT "t20"."order_key") AS "split_orders"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t16".*
                  EXCLUDE ("customer_id_right")
                FROM (
                  SELECT
                    "t5"."order_key",
                    "t5"."invoice_date",
                    "t5"."customer_id",
                    "t5"."product_id",
                    "t5"."rep_id",
                    "t10"."customer_id" AS "customer_id_right",
                    "t10"."region",
                    "t10"."industry",
                    "t10"."tier",
                    "t10"."customer_type",
                    "t10"."customer_name"
                  FROM "ms_split_orders" AS "t5"
                  LEFT OUTER JOIN (
                    SELECT
                      "t4"."customer_id",
                      "t4"."region",
                      "t4"."industry",
                      "t4"."tier",
                      "t4"."customer_type",
                      "t4"."name" AS "customer_name"
                    FROM "customers" AS "t4"
                  ) AS "t10"
                    ON "t5"."customer_id" = "t10"."customer_id"
                ) AS "t16"
              ) AS "t17"
              WHERE
                "t17"."invoice_date" >= CAST($start AS DATE)
                AND "t17"."invoice_date" <= CAST($end AS DATE)
            ) AS "t20"
          ) AS "t22"
        ) AS "t23"
      ) AS "t24"
    ) AS "t26"
    CROSS JOIN (
      SELECT
        SUM(CAST("t12"."rev" > 0 AS INT)) AS "active_customers"
      FROM (
        SELECT
          "t8"."customer_id",
          SUM("t8"."revenue") AS "rev"
        FROM (
          SELECT
            *
          FROM "ms_segment_customer_month" AS "t1"
          WHERE
            "t1"."invoice_date" >= CAST($start AS DATE)
            AND "t1"."invoice_date" <= CAST($end AS DATE)
        ) AS "t8"
        GROUP BY
          1
      ) AS "t12"
    ) AS "t19"
    CROSS JOIN (
      SELECT
        SUM("t7"."amount") AS "cost_to_serve"
      FROM (
        SELECT
          *
        FROM "ms_segment_costs_month" AS "t0"
        WHERE
          "t0"."cost_date" >= CAST($start AS DATE)
          AND "t0"."cost_date" <= CAST($end AS DATE)
      ) AS "t7"
    ) AS "t14"
  ) AS "t27"
) AS "t28"
