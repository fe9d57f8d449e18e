WITH "t9" AS (
  SELECT
    *
  FROM (
    SELECT
      *
    FROM "ms_segment_customer_month" AS "t0"
    WHERE
      "t0"."invoice_date" >= CAST($start AS DATE)
      AND "t0"."invoice_date" <= CAST($end AS DATE)
  ) AS "t7"
  WHERE
    LIST_CONTAINS(CAST($scope AS TEXT[]), "t7"."customer_id")
)
SELECT
  CAST(CAST(ROUND("t32"."gross_sales", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_sales",
  CAST(CAST(ROUND("t32"."discount", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "discount",
  CAST(CAST(ROUND("t32"."returns", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "returns",
  CAST(CAST(ROUND("t32"."revenue", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "revenue",
  CAST(CAST(ROUND("t32"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cogs",
  CAST(CAST(ROUND("t32"."revenue" - "t32"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_profit",
  CAST(CAST(ROUND(COALESCE("t32"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cost_to_serve",
  CAST(CAST(ROUND((
    "t32"."revenue" - "t32"."cogs"
  ) - COALESCE("t32"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "contribution_margin",
  "t32"."orders",
  "t32"."active_customers",
  CASE
    WHEN CAST("t32"."revenue" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t32"."revenue" - "t32"."cogs" AS DOUBLE) / CAST("t32"."revenue" AS DOUBLE)
  END AS "gross_margin",
  CASE
    WHEN CAST("t32"."revenue" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST((
      "t32"."revenue" - "t32"."cogs"
    ) - COALESCE("t32"."cost_to_serve", 0) AS DOUBLE) / CAST("t32"."revenue" AS DOUBLE)
  END AS "contribution_margin_pct",
  CASE
    WHEN CAST("t32"."orders" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t32"."revenue" AS DOUBLE) / CAST("t32"."orders" AS DOUBLE)
  END AS "average_order_value",
  CASE
    WHEN CAST("t32"."invoiced" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t32"."returns" AS DOUBLE) / CAST("t32"."invoiced" AS DOUBLE)
  END AS "return_rate",
  CASE
    WHEN CAST("t32"."gross_sales" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t32"."discount" AS DOUBLE) / CAST("t32"."gross_sales" AS DOUBLE)
  END AS "discount_rate"
FROM (
  SELECT
    COALESCE("t31"."gross_sales", CAST(0 AS DECIMAL(18, 4))) AS "gross_sales",
    COALESCE("t31"."discount", CAST(0 AS DECIMAL(18, 4))) AS "discount",
    COALESCE("t31"."invoiced", CAST(0 AS DECIMAL(18, 4))) AS "invoiced",
    COALESCE("t31"."returns", CAST(0 AS DECIMAL(18, 4))) AS "returns",
    COALESCE("t31"."revenue", CAST(0 AS DECIMAL(18, 4))) AS "revenue",
    COALESCE("t31"."cogs", CAST(0 AS DECIMAL(18, 4))) AS "cogs",
    COALESCE("t31"."orders", 0) AS "orders",
    COALESCE("t31"."active_customers", 0) AS "active_customers",
    "t31"."cost_to_serve"
  FROM (
    SELECT
      "t30"."gross_sales",
      "t30"."discount",
      "t30"."invoiced",
      "t30"."returns",
      "t30"."revenue",
      "t30"."cogs",
      "t30"."orders",
      "t22"."active_customers",
      "t27"."cost_to_serve"
    FROM (
      SELECT
        "t28".*
        EXCLUDE ("split_orders")
      FROM (
        SELECT
          "t25"."gross_sales",
          "t25"."discount",
          "t25"."invoiced",
          "t25"."returns",
          "t25"."revenue",
          "t25"."cogs",
          COALESCE("t25"."orders", 0) + COALESCE("t25"."split_orders", 0) AS "orders",
          "t25"."split_orders"
        FROM (
          SELECT
            "t17"."gross_sales",
            "t17"."discount",
            "t17"."invoiced",
            "t17"."returns",
            "t17"."revenue",
            "t17"."cogs",
            "t17"."orders",
            "t24"."split_orders"
          FROM (
            SELECT
              SUM("t10"."gross_sales") AS "gross_sales",
              SUM("t10"."discount") AS "discount",
              SUM("t10"."invoiced") AS "invoiced",
              SUM("t10"."returns") AS "returns",
              SUM("t10"."revenue") AS "revenue",
              SUM("t10"."cogs_signed") AS "cogs",
              SUM("t10"."orders") AS "orders"
            FROM "t9" AS "t10"
          ) AS "t17"
          CROSS JOIN (
            SELECT
              COUNT(DISTINCT "t19"."order_key") AS "split_orders"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t12".*
                  EXCLUDE ("customer_id_right")
                FROM (
                  SELECT
                    "t5"."order_key",
                    "t5"."invoice_date",
                    "t5"."customer_id",
                    "t5"."product_id",
                    "t5"."rep_id",
                    "t8"."customer_id" AS "customer_id_right",
                    "t8"."region",
                    "t8"."industry",
                    "t8"."tier",
                    "t8"."customer_type",
                    "t8"."customer_name"
                  FROM "ms_split_orders" AS "t5"
                  LEFT OUTER JOIN (
                    SELECT
                      "t2"."customer_id",
                      "t2"."region",
                      "t2"."industry",
                      "t2"."tier",
                      "t2"."customer_type",
                      "t2"."name" AS "customer_name"
                    FROM "customers" AS "t2"
                  ) AS "t8"
                    ON "t5"."customer_id" = "t8"."customer_id"
                ) AS "t12"
              ) AS "t14"
              WHERE
                LIST_CONTAINS(CAST($scope AS TEXT[]), "t14"."customer_id")
                AND "t14"."invoice_date" >= CAST($start AS DATE)
                AND "t14"."invoice_date" <= CAST($end AS DATE)
            ) AS "t19"
          ) AS "t24"
        ) AS "t25"
      ) AS "t28"
    ) AS "t30"
    CROSS JOIN (
      SELECT
        SUM(CAST("t15"."rev" > 0 AS INT)) AS "active_customers"
      FROM (
        SELECT
          "t10"."customer_id",
          SUM("t10"."revenue") AS "rev"
        FROM "t9" AS "t10"
        GROUP BY
          1
      ) AS "t15"
    ) AS "t22"
    CROSS JOIN (
      SELECT
        SUM("t23"."cost_to_serve") AS "cost_to_serve"
      FROM (
        SELECT
          "t18"."customer_id",
          CAST(SUM("t18"."amount") AS DECIMAL(18, 4)) AS "cost_to_serve"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t11".*
              EXCLUDE ("customer_id_right")
            FROM (
              SELECT
                "t4"."cost_id",
                "t4"."customer_id",
                "t4"."cost_date",
                "t4"."category",
                "t4"."amount",
                "t8"."customer_id" AS "customer_id_right",
                "t8"."region",
                "t8"."industry",
                "t8"."tier",
                "t8"."customer_type",
                "t8"."customer_name"
              FROM "costs_to_serve" AS "t4"
              LEFT OUTER JOIN (
                SELECT
                  "t2"."customer_id",
                  "t2"."region",
                  "t2"."industry",
                  "t2"."tier",
                  "t2"."customer_type",
                  "t2"."name" AS "customer_name"
                FROM "customers" AS "t2"
              ) AS "t8"
                ON "t4"."customer_id" = "t8"."customer_id"
            ) AS "t11"
          ) AS "t13"
          WHERE
            LIST_CONTAINS(CAST($scope AS TEXT[]), "t13"."customer_id")
            AND "t13"."cost_date" >= CAST($start AS DATE)
            AND "t13"."cost_date" <= CAST($end AS DATE)
        ) AS "t18"
        GROUP BY
          1
      ) AS "t23"
    ) AS "t27"
  ) AS "t31"
) AS "t32"
