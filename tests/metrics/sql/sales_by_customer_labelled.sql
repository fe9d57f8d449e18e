WITH "t11" AS (
  SELECT
    *
  FROM (
    SELECT
      *
    FROM "ms_segment_customer_month" AS "t1"
    WHERE
      "t1"."invoice_date" >= CAST($start AS DATE)
      AND "t1"."invoice_date" <= CAST($end AS DATE)
  ) AS "t10"
  WHERE
    LIST_CONTAINS(CAST($regions AS TEXT[]), "t10"."region")
)
SELECT
  *
FROM (
  SELECT
    "t47".*
    EXCLUDE ("customer_id_right")
  FROM (
    SELECT
      "t46"."customer_id",
      "t46"."gross_sales",
      "t46"."discount",
      "t46"."returns",
      "t46"."revenue",
      "t46"."cogs",
      "t46"."gross_profit",
      "t46"."cost_to_serve",
      "t46"."contribution_margin",
      "t46"."orders",
      "t46"."active_customers",
      "t46"."gross_margin",
      "t46"."contribution_margin_pct",
      "t46"."average_order_value",
      "t46"."return_rate",
      "t46"."discount_rate",
      "t8"."customer_id" AS "customer_id_right",
      "t8"."region",
      "t8"."tier",
      "t8"."customer_name"
    FROM (
      SELECT
        "t44"."customer_id",
        CAST(CAST(ROUND("t44"."gross_sales", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_sales",
        CAST(CAST(ROUND("t44"."discount", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "discount",
        CAST(CAST(ROUND("t44"."returns", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "returns",
        CAST(CAST(ROUND("t44"."revenue", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "revenue",
        CAST(CAST(ROUND("t44"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cogs",
        CAST(CAST(ROUND("t44"."revenue" - "t44"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_profit",
        CAST(CAST(ROUND(COALESCE("t44"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cost_to_serve",
        CAST(CAST(ROUND((
          "t44"."revenue" - "t44"."cogs"
        ) - COALESCE("t44"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "contribution_margin",
        "t44"."orders",
        "t44"."active_customers",
        CASE
          WHEN CAST("t44"."revenue" AS DOUBLE) = 0
          THEN CAST(NULL AS DOUBLE)
          ELSE CAST("t44"."revenue" - "t44"."cogs" AS DOUBLE) / CAST("t44"."revenue" AS DOUBLE)
        END AS "gross_margin",
        CASE
          WHEN CAST("t44"."revenue" AS DOUBLE) = 0
          THEN CAST(NULL AS DOUBLE)
          ELSE CAST((
            "t44"."revenue" - "t44"."cogs"
          ) - COALESCE("t44"."cost_to_serve", 0) AS DOUBLE) / CAST("t44"."revenue" AS DOUBLE)
        END AS "contribution_margin_pct",
        CASE
          WHEN CAST("t44"."orders" AS DOUBLE) = 0
          THEN CAST(NULL AS DOUBLE)
          ELSE CAST("t44"."revenue" AS DOUBLE) / CAST("t44"."orders" AS DOUBLE)
        END AS "average_order_value",
        CASE
          WHEN CAST("t44"."invoiced" AS DOUBLE) = 0
          THEN CAST(NULL AS DOUBLE)
          ELSE CAST("t44"."returns" AS DOUBLE) / CAST("t44"."invoiced" AS DOUBLE)
        END AS "return_rate",
        CASE
          WHEN CAST("t44"."gross_sales" AS DOUBLE) = 0
          THEN CAST(NULL AS DOUBLE)
          ELSE CAST("t44"."discount" AS DOUBLE) / CAST("t44"."gross_sales" AS DOUBLE)
        END AS "discount_rate"
      FROM (
        SELECT
          "t43"."customer_id",
          COALESCE("t43"."gross_sales", CAST(0 AS DECIMAL(18, 4))) AS "gross_sales",
          COALESCE("t43"."discount", CAST(0 AS DECIMAL(18, 4))) AS "discount",
          COALESCE("t43"."invoiced", CAST(0 AS DECIMAL(18, 4))) AS "invoiced",
          COALESCE("t43"."returns", CAST(0 AS DECIMAL(18, 4))) AS "returns",
          COALESCE("t43"."revenue", CAST(0 AS DECIMAL(18, 4))) AS "revenue",
          COALESCE("t43"."cogs", CAST(0 AS DECIMAL(18, 4))) AS "cogs",
          COALESCE("t43"."orders", 0) AS "orders",
          COALESCE("t43"."active_customers", 0) AS "active_customers",
          "t43"."cost_to_serve"
        FROM (
          SELECT
            "t42"."customer_id",
            "t42"."gross_sales",
            "t42"."discount",
            "t42"."invoiced",
            "t42"."returns",
            "t42"."revenue",
            "t42"."cogs",
            "t42"."orders",
            "t42"."active_customers",
            "t42"."cost_to_serve"
          FROM (
            SELECT
              COALESCE("t41"."customer_id", "t41"."customer_id_right") AS "customer_id",
              "t41"."gross_sales",
              "t41"."discount",
              "t41"."invoiced",
              "t41"."returns",
              "t41"."revenue",
              "t41"."cogs",
              "t41"."orders",
              "t41"."active_customers",
              "t41"."_missing_l",
              "t41"."_key_l",
              "t41"."customer_id_right",
              "t41"."cost_to_serve",
              "t41"."_missing_r",
              "t41"."_key_r"
            FROM (
              SELECT
                "t40"."customer_id",
                "t40"."gross_sales",
                "t40"."discount",
                "t40"."invoiced",
                "t40"."returns",
                "t40"."revenue",
                "t40"."cogs",
                "t40"."orders",
                "t40"."active_customers",
                "t40"."_missing_l",
                "t40"."_key_l",
                "t36"."customer_id" AS "customer_id_right",
                "t36"."cost_to_serve",
                "t36"."_missing_r",
                "t36"."_key_r"
              FROM (
                SELECT
                  "t38"."customer_id",
                  "t38"."gross_sales",
                  "t38"."discount",
                  "t38"."invoiced",
                  "t38"."returns",
                  "t38"."revenue",
                  "t38"."cogs",
                  "t38"."orders",
                  "t38"."active_customers",
                  "t38"."customer_id" IS NULL AS "_missing_l",
                  COALESCE("t38"."customer_id", '') AS "_key_l"
                FROM (
                  SELECT
                    "t37".*
                    EXCLUDE ("customer_id_right")
                  FROM (
                    SELECT
                      "t35"."customer_id",
                      "t35"."gross_sales",
                      "t35"."discount",
                      "t35"."invoiced",
                      "t35"."returns",
                      "t35"."revenue",
                      "t35"."cogs",
                      "t35"."orders",
                      "t26"."customer_id" AS "customer_id_right",
                      "t26"."active_customers"
                    FROM (
                      SELECT
                        "t32".*
                        EXCLUDE ("split_orders")
                      FROM (
                        SELECT
                          "t30"."customer_id",
                          "t30"."gross_sales",
                          "t30"."discount",
                          "t30"."invoiced",
                          "t30"."returns",
                          "t30"."revenue",
                          "t30"."cogs",
                          COALESCE("t30"."orders", 0) + COALESCE("t30"."split_orders", 0) AS "orders",
                          "t30"."split_orders"
                        FROM (
                          SELECT
                            "t28".*
                            EXCLUDE ("customer_id_right")
                          FROM (
                            SELECT
                              "t21"."customer_id",
                              "t21"."gross_sales",
                              "t21"."discount",
                              "t21"."invoiced",
                              "t21"."returns",
                              "t21"."revenue",
                              "t21"."cogs",
                              "t21"."orders",
                              "t25"."customer_id" AS "customer_id_right",
                              "t25"."split_orders"
                            FROM (
                              SELECT
                                "t14"."customer_id",
                                SUM("t14"."gross_sales") AS "gross_sales",
                                SUM("t14"."discount") AS "discount",
                                SUM("t14"."invoiced") AS "invoiced",
                                SUM("t14"."returns") AS "returns",
                                SUM("t14"."revenue") AS "revenue",
                                SUM("t14"."cogs_signed") AS "cogs",
                                SUM("t14"."orders") AS "orders"
                              FROM "t11" AS "t14"
                              GROUP BY
                                1
                            ) AS "t21"
                            LEFT OUTER JOIN (
                              SELECT
                                "t20"."customer_id",
                                COUNT(DISTINCT "t20"."order_key") AS "split_orders"
                              FROM (
                                SELECT
                                  *
                                FROM (
                                  SELECT
                                    "t13".*
                                    EXCLUDE ("customer_id_right")
                                  FROM (
                                    SELECT
                                      "t5"."order_key",
                                      "t5"."invoice_date",
                                      "t5"."customer_id",
                                      "t5"."product_id",
                                      "t5"."rep_id",
                                      "t9"."customer_id" AS "customer_id_right",
                                      "t9"."region",
                                      "t9"."industry",
                                      "t9"."tier",
                                      "t9"."customer_type",
                                      "t9"."customer_name"
                                    FROM "ms_split_orders" AS "t5"
                                    LEFT OUTER JOIN (
                                      SELECT
                                        "t0"."customer_id",
                                        "t0"."region",
                                        "t0"."industry",
                                        "t0"."tier",
                                        "t0"."customer_type",
                                        "t0"."name" AS "customer_name"
                                      FROM "customers" AS "t0"
                                    ) AS "t9"
                                      ON "t5"."customer_id" = "t9"."customer_id"
                                  ) AS "t13"
                                ) AS "t16"
                                WHERE
                                  LIST_CONTAINS(CAST($regions AS TEXT[]), "t16"."region")
                                  AND "t16"."invoice_date" >= CAST($start AS DATE)
                                  AND "t16"."invoice_date" <= CAST($end AS DATE)
                              ) AS "t20"
                              GROUP BY
                                1
                            ) AS "t25"
                              ON "t21"."customer_id" IS NOT DISTINCT FROM "t25"."customer_id"
                          ) AS "t28"
                        ) AS "t30"
                      ) AS "t32"
                    ) AS "t35"
                    INNER JOIN (
                      SELECT
                        "t17"."customer_id",
                        SUM(CAST("t17"."rev" > 0 AS INT)) AS "active_customers"
                      FROM (
                        SELECT
                          "t14"."customer_id",
                          SUM("t14"."revenue") AS "rev"
                        FROM "t11" AS "t14"
                        GROUP BY
                          1
                      ) AS "t17"
                      GROUP BY
                        1
                    ) AS "t26"
                      ON "t35"."customer_id" IS NOT DISTINCT FROM "t26"."customer_id"
                  ) AS "t37"
                ) AS "t38"
              ) AS "t40"
              FULL OUTER JOIN (
                SELECT
                  "t31"."customer_id",
                  "t31"."cost_to_serve",
                  "t31"."customer_id" IS NULL AS "_missing_r",
                  COALESCE("t31"."customer_id", '') AS "_key_r"
                FROM (
                  SELECT
                    "t29"."customer_id",
                    SUM("t29"."cost_to_serve") AS "cost_to_serve"
                  FROM (
                    SELECT
                      "t27"."customer_id",
                      "t27"."cost_to_serve",
                      "t9"."region",
                      "t9"."industry",
                      "t9"."tier",
                      "t9"."customer_type",
                      "t9"."customer_name"
                    FROM (
                      SELECT
                        "t19"."customer_id",
                        CAST(SUM("t19"."amount") AS DECIMAL(18, 4)) AS "cost_to_serve"
                      FROM (
                        SELECT
                          *
                        FROM (
                          SELECT
                            "t12".*
                            EXCLUDE ("customer_id_right")
                          FROM (
                            SELECT
                              "t4"."cost_id",
                              "t4"."customer_id",
                              "t4"."cost_date",
                              "t4"."category",
                              "t4"."amount",
                              "t9"."customer_id" AS "customer_id_right",
                              "t9"."region",
                              "t9"."industry",
                              "t9"."tier",
                              "t9"."customer_type",
                              "t9"."customer_name"
                            FROM "costs_to_serve" AS "t4"
                            LEFT OUTER JOIN (
                              SELECT
                                "t0"."customer_id",
                                "t0"."region",
                                "t0"."industry",
                                "t0"."tier",
                                "t0"."customer_type",
                                "t0"."name" AS "customer_name"
                              FROM "customers" AS "t0"
                            ) AS "t9"
                              ON "t4"."customer_id" = "t9"."customer_id"
                          ) AS "t12"
                        ) AS "t15"
                        WHERE
                          LIST_CONTAINS(CAST($regions AS TEXT[]), "t15"."region")
                          AND "t15"."cost_date" >= CAST($start AS DATE)
                          AND "t15"."cost_date" <= CAST($end AS DATE)
                      ) AS "t19"
                      GROUP BY
                        1
                    ) AS "t27"
                    INNER JOIN (
                      SELECT
                        "t0"."customer_id",
                        "t0"."region",
                        "t0"."industry",
                        "t0"."tier",
                        "t0"."customer_type",
                        "t0"."name" AS "customer_name"
                      FROM "customers" AS "t0"
                    ) AS "t9"
                      ON "t27"."customer_id" = "t9"."customer_id"
                  ) AS "t29"
                  GROUP BY
                    1
                ) AS "t31"
              ) AS "t36"
                ON "t40"."_missing_l" = "t36"."_missing_r" AND "t40"."_key_l" = "t36"."_key_r"
            ) AS "t41"
          ) AS "t42"
        ) AS "t43"
      ) AS "t44"
    ) AS "t46"
    LEFT OUTER JOIN (
      SELECT
        "t0"."customer_id",
        "t0"."region",
        "t0"."tier",
        "t0"."name" AS "customer_name"
      FROM "customers" AS "t0"
    ) AS "t8"
      ON "t46"."customer_id" = "t8"."customer_id"
  ) AS "t47"
) AS "t48"
ORDER BY
  "t48"."revenue" DESC,
  "t48"."customer_id" ASC
LIMIT 10
