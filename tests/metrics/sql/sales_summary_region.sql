SELECT
  CAST(CAST(ROUND("t31"."gross_sales", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_sales",
  CAST(CAST(ROUND("t31"."discount", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "discount",
  CAST(CAST(ROUND("t31"."returns", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "returns",
  CAST(CAST(ROUND("t31"."revenue", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "revenue",
  CAST(CAST(ROUND("t31"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cogs",
  CAST(CAST(ROUND("t31"."revenue" - "t31"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_profit",
  CAST(CAST(ROUND(COALESCE("t31"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cost_to_serve",
  CAST(CAST(ROUND((
    "t31"."revenue" - "t31"."cogs"
  ) - COALESCE("t31"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "contribution_margin",
  "t31"."orders",
  "t31"."active_customers",
  CASE
    WHEN CAST("t31"."revenue" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t31"."revenue" - "t31"."cogs" AS DOUBLE) / CAST("t31"."revenue" AS DOUBLE)
  END AS "gross_margin",
  CASE
    WHEN CAST("t31"."revenue" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST((
      "t31"."revenue" - "t31"."cogs"
    ) - COALESCE("t31"."cost_to_serve", 0) AS DOUBLE) / CAST("t31"."revenue" AS DOUBLE)
  END AS "contribution_margin_pct",
  CASE
    WHEN CAST("t31"."orders" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t31"."revenue" AS DOUBLE) / CAST("t31"."orders" AS DOUBLE)
  END AS "average_order_value",
  CASE
    WHEN CAST("t31"."invoiced" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t31"."returns" AS DOUBLE) / CAST("t31"."invoiced" AS DOUBLE)
  END AS "return_rate",
  CASE
    WHEN CAST("t31"."gross_sales" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t31"."discount" AS DOUBLE) / CAST("t31"."gross_sales" AS DOUBLE)
  END AS "discount_rate"
FROM (
  SELECT
    COALESCE("t30"."gross_sales", CAST(0 AS DECIMAL(18, 4))) AS "gross_sales",
    COALESCE("t30"."discount", CAST(0 AS DECIMAL(18, 4))) AS "discount",
    COALESCE("t30"."invoiced", CAST(0 AS DECIMAL(18, 4))) AS "invoiced",
    COALESCE("t30"."returns", CAST(0 AS DECIMAL(18, 4))) AS "returns",
    COALESCE("t30"."revenue", CAST(0 AS DECIMAL(18, 4))) AS "revenue",
    COALESCE("t30"."cogs", CAST(0 AS DECIMAL(18, 4))) AS "cogs",
    COALESCE("t30"."orders", 0) AS "orders",
    COALESCE("t30"."active_customers", 0) AS "active_customers",
    "t30"."cost_to_serve"
  FROM (
    SELECT
      "t29"."gross_sales",
      "t29"."discount",
      "t29"."invoiced",
      "t29"."returns",
      "t29"."revenue",
      "t29"."cogs",
      "t29"."orders",
      "t23"."active_customers",
      "t19"."cost_to_serve"
    FROM (
      SELECT
        "t27".*
        EXCLUDE ("split_orders")
      FROM (
        SELECT
          "t26"."gross_sales",
          "t26"."discount",
          "t26"."invoiced",
          "t26"."returns",
          "t26"."revenue",
          "t26"."cogs",
          COALESCE("t26"."orders", 0) + COALESCE("t26"."split_orders", 0) AS "orders",
          "t26"."split_orders"
        FROM (
          SELECT
            "t20"."gross_sales",
            "t20"."discount",
            "t20"."invoiced",
            "t20"."returns",
            "t20"."revenue",
            "t20"."cogs",
            "t20"."orders",
            "t25"."split_orders"
          FROM (
            SELECT
              SUM("t13"."gross_sales") AS "gross_sales",
              SUM("t13"."discount") AS "discount",
              SUM("t13"."invoiced") AS "invoiced",
              SUM("t13"."returns") AS "returns",
              SUM("t13"."revenue") AS "revenue",
              SUM("t13"."cogs_signed") AS "cogs",
              SUM("t13"."orders") AS "orders"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  *
                FROM "ms_segment_month" AS "t2"
                WHERE
                  "t2"."invoice_date" >= CAST($start AS DATE)
                  AND "t2"."invoice_date" <= CAST($end AS DATE)
              ) AS "t9"
              WHERE
                LIST_CONTAINS(CAST($regions AS TEXT[]), "t9"."region")
            ) AS "t13"
          ) AS "t20"
          CROSS JOIN (
            SELECT
              COUNT(DISTINCT "t21"."order_key") AS "split_orders"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t14".*
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
                ) AS "t14"
              ) AS "t15"
              WHERE
                LIST_CONTAINS(CAST($regions AS TEXT[]), "t15"."region")
                AND "t15"."invoice_date" >= CAST($start AS DATE)
                AND "t15"."invoice_date" <= CAST($end AS DATE)
            ) AS "t21"
          ) AS "t25"
        ) AS "t26"
      ) AS "t27"
    ) AS "t29"
    CROSS JOIN (
      SELECT
        SUM(CAST("t17"."rev" > 0 AS INT)) AS "active_customers"
      FROM (
        SELECT
          "t12"."customer_id",
          SUM("t12"."revenue") AS "rev"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              *
            FROM "ms_segment_customer_month" AS "t1"
            WHERE
              "t1"."invoice_date" >= CAST($start AS DATE)
              AND "t1"."invoice_date" <= CAST($end AS DATE)
          ) AS "t8"
          WHERE
            LIST_CONTAINS(CAST($regions AS TEXT[]), "t8"."region")
        ) AS "t12"
        GROUP BY
          1
      ) AS "t17"
    ) AS "t23"
    CROSS JOIN (
      SELECT
        SUM("t11"."amount") AS "cost_to_serve"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            *
          FROM "ms_segment_costs_month" AS "t0"
          WHERE
            "t0"."cost_date" >= CAST($start AS DATE)
            AND "t0"."cost_date" <= CAST($end AS DATE)
        ) AS "t7"
        WHERE
          LIST_CONTAINS(CAST($regions AS TEXT[]), "t7"."region")
      ) AS "t11"
    ) AS "t19"
  ) AS "t30"
) AS "t31"
