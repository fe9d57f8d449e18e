SELECT
  *
FROM (
  SELECT
    "t30"."period",
    CAST(CAST(ROUND("t30"."gross_sales", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_sales",
    CAST(CAST(ROUND("t30"."discount", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "discount",
    CAST(CAST(ROUND("t30"."returns", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "returns",
    CAST(CAST(ROUND("t30"."revenue", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "revenue",
    CAST(CAST(ROUND("t30"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cogs",
    CAST(CAST(ROUND("t30"."revenue" - "t30"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_profit",
    CAST(ROUND(COALESCE("t30"."cost_to_serve", 0), 2) AS DECIMAL(18, 2)) AS "cost_to_serve",
    CAST(CAST(ROUND((
      "t30"."revenue" - "t30"."cogs"
    ) - COALESCE("t30"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "contribution_margin",
    "t30"."orders",
    "t30"."active_customers",
    CASE
      WHEN CAST("t30"."revenue" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t30"."revenue" - "t30"."cogs" AS DOUBLE) / CAST("t30"."revenue" AS DOUBLE)
    END AS "gross_margin",
    CASE
      WHEN CAST("t30"."revenue" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST((
        "t30"."revenue" - "t30"."cogs"
      ) - COALESCE("t30"."cost_to_serve", 0) AS DOUBLE) / CAST("t30"."revenue" AS DOUBLE)
    END AS "contribution_margin_pct",
    CASE
      WHEN CAST("t30"."orders" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t30"."revenue" AS DOUBLE) / CAST("t30"."orders" AS DOUBLE)
    END AS "average_order_value",
    CASE
      WHEN CAST("t30"."invoiced" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t30"."returns" AS DOUBLE) / CAST("t30"."invoiced" AS DOUBLE)
    END AS "return_rate",
    CASE
      WHEN CAST("t30"."gross_sales" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t30"."discount" AS DOUBLE) / CAST("t30"."gross_sales" AS DOUBLE)
    END AS "discount_rate"
  FROM (
    SELECT
      "t29"."period",
      COALESCE("t29"."gross_sales", CAST(0 AS DECIMAL(18, 4))) AS "gross_sales",
      COALESCE("t29"."discount", CAST(0 AS DECIMAL(18, 4))) AS "discount",
      COALESCE("t29"."invoiced", CAST(0 AS DECIMAL(18, 4))) AS "invoiced",
      COALESCE("t29"."returns", CAST(0 AS DECIMAL(18, 4))) AS "returns",
      COALESCE("t29"."revenue", CAST(0 AS DECIMAL(18, 4))) AS "revenue",
      COALESCE("t29"."cogs", CAST(0 AS DECIMAL(18, 4))) AS "cogs",
      COALESCE("t29"."orders", 0) AS "orders",
      COALESCE("t29"."active_customers", 0) AS "active_customers",
      "t29"."cost_to_serve"
    FROM (
      SELECT
        "t28"."period",
        "t28"."gross_sales",
        "t28"."discount",
        "t28"."invoiced",
        "t28"."returns",
        "t28"."revenue",
        "t28"."cogs",
        "t28"."orders",
        "t28"."active_customers",
        "t28"."cost_to_serve"
      FROM (
        SELECT
          COALESCE("t27"."period", "t27"."period_right") AS "period",
          "t27"."gross_sales",
          "t27"."discount",
          "t27"."invoiced",
          "t27"."returns",
          "t27"."revenue",
          "t27"."cogs",
          "t27"."orders",
          "t27"."active_customers",
          "t27"."_missing_l",
          "t27"."_key_l",
          "t27"."period_right",
          "t27"."cost_to_serve",
          "t27"."_missing_r",
          "t27"."_key_r"
        FROM (
          SELECT
            "t26"."period",
            "t26"."gross_sales",
            "t26"."discount",
            "t26"."invoiced",
            "t26"."returns",
            "t26"."revenue",
            "t26"."cogs",
            "t26"."orders",
            "t26"."active_customers",
            "t26"."_missing_l",
            "t26"."_key_l",
            "t16"."period" AS "period_right",
            "t16"."cost_to_serve",
            "t16"."_missing_r",
            "t16"."_key_r"
          FROM (
            SELECT
              "t24"."period",
              "t24"."gross_sales",
              "t24"."discount",
              "t24"."invoiced",
              "t24"."returns",
              "t24"."revenue",
              "t24"."cogs",
              "t24"."orders",
              "t24"."active_customers",
              "t24"."period" IS NULL AS "_missing_l",
              COALESCE("t24"."period", MAKE_DATE(1, 1, 1)) AS "_key_l"
            FROM (
              SELECT
                "t23".*
                EXCLUDE ("split_orders")
              FROM (
                SELECT
                  "t22"."period",
                  "t22"."gross_sales",
                  "t22"."discount",
                  "t22"."invoiced",
                  "t22"."returns",
                  "t22"."revenue",
                  "t22"."cogs",
                  COALESCE("t22"."orders", 0) + COALESCE("t22"."split_orders", 0) AS "orders",
                  "t22"."active_customers",
                  "t22"."split_orders"
                FROM (
                  SELECT
                    "t21".*
                    EXCLUDE ("period_right")
                  FROM (
                    SELECT
                      "t15"."period",
                      "t15"."gross_sales",
                      "t15"."discount",
                      "t15"."invoiced",
                      "t15"."returns",
                      "t15"."revenue",
                      "t15"."cogs",
                      "t15"."orders",
                      "t15"."active_customers",
                      "t20"."period" AS "period_right",
                      "t20"."split_orders"
                    FROM (
                      SELECT
                        "t9"."period",
                        SUM("t9"."gross_sales") AS "gross_sales",
                        SUM("t9"."discount") AS "discount",
                        SUM("t9"."invoiced") AS "invoiced",
                        SUM("t9"."returns") AS "returns",
                        SUM("t9"."revenue") AS "revenue",
                        SUM("t9"."cogs_signed") AS "cogs",
                        SUM("t9"."orders") AS "orders",
                        SUM("t9"."active_customers") AS "active_customers"
                      FROM (
                        SELECT
                          "t7"."invoice_date",
                          "t7"."region",
                          "t7"."industry",
                          "t7"."tier",
                          "t7"."customer_type",
                          "t7"."gross_sales",
                          "t7"."discount",
                          "t7"."invoiced",
                          "t7"."returns",
                          "t7"."revenue",
                          "t7"."cogs_signed",
                          "t7"."orders",
                          "t7"."active_customers",
                          DATE_TRUNC('MONTH', "t7"."invoice_date") AS "period"
                        FROM (
                          SELECT
                            *
                          FROM "ms_segment_month" AS "t1"
                          WHERE
                            "t1"."invoice_date" >= CAST($start AS DATE)
                            AND "t1"."invoice_date" <= CAST($end AS DATE)
                        ) AS "t7"
                      ) AS "t9"
                      GROUP BY
                        1
                    ) AS "t15"
                    LEFT OUTER JOIN (
                      SELECT
                        "t18"."period",
                        COUNT(DISTINCT "t18"."order_key") AS "split_orders"
                      FROM (
                        SELECT
                          "t17"."order_key",
                          "t17"."invoice_date",
                          "t17"."customer_id",
                          "t17"."product_id",
                          "t17"."rep_id",
                          "t17"."region",
                          "t17"."industry",
                          "t17"."tier",
                          "t17"."customer_type",
                          "t17"."customer_name",
                          DATE_TRUNC('MONTH', "t17"."invoice_date") AS "period"
                        FROM (
                          SELECT
                            *
                          FROM (
                            SELECT
                              "t11".*
                              EXCLUDE ("customer_id_right")
                            FROM (
                              SELECT
                                "t4"."order_key",
                                "t4"."invoice_date",
                                "t4"."customer_id",
                                "t4"."product_id",
                                "t4"."rep_id",
                                "t8"."customer_id" AS "customer_id_right",
                                "t8"."region",
                                "t8"."industry",
                                "t8"."tier",
                                "t8"."customer_type",
                                "t8"."customer_name"
                              FROM "ms_split_orders" AS "t4"
                              LEFT OUTER JOIN (
                                SELECT
                                  "t3"."customer_id",
                                  "t3"."region",
                                  "t3"."industry",
                                  "t3"."tier",
                                  "t3"."customer_type",
                                  "t3"."name" AS "customer_name"
                                FROM "customers" AS "t3"
                              ) AS "t8"
                                ON "t4"."customer_id" = "t8"."customer_id"
                            ) AS "t11"
                          ) AS "t12"
                          WHERE
                            "t12"."invoice_date" >= CAST($start AS DATE)
                            AND "t12"."invoice_date" <= CAST($end AS DATE)
                        ) AS "t17"
                      ) AS "t18"
                      GROUP BY
                        1
                    ) AS "t20"
                      ON "t15"."period" IS NOT DISTINCT FROM "t20"."period"
                  ) AS "t21"
                ) AS "t22"
              ) AS "t23"
            ) AS "t24"
          ) AS "t26"
          FULL OUTER JOIN (
            SELECT
              "t10"."period",
              "t10"."cost_to_serve",
              "t10"."period" IS NULL AS "_missing_r",
              COALESCE("t10"."period", MAKE_DATE(1, 1, 1)) AS "_key_r"
            FROM (
              SELECT
                DATE_TRUNC('MONTH', "t6"."cost_date") AS "period",
                CAST(SUM("t6"."amount") AS DECIMAL(18, 4)) AS "cost_to_serve"
              FROM (
                SELECT
                  *
                FROM "ms_segment_costs_month" AS "t0"
                WHERE
                  "t0"."cost_date" >= CAST($start AS DATE)
                  AND "t0"."cost_date" <= CAST($end AS DATE)
              ) AS "t6"
              GROUP BY
                1
            ) AS "t10"
          ) AS "t16"
            ON "t26"."_missing_l" = "t16"."_missing_r" AND "t26"."_key_l" = "t16"."_key_r"
        ) AS "t27"
      ) AS "t28"
    ) AS "t29"
  ) AS "t30"
) AS "t31"
ORDER BY
  "t31"."period" ASC
