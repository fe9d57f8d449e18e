SELECT
  *
FROM (
  SELECT
    "t36"."region",
    CAST(CAST(ROUND("t36"."gross_sales", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_sales",
    CAST(CAST(ROUND("t36"."discount", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "discount",
    CAST(CAST(ROUND("t36"."returns", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "returns",
    CAST(CAST(ROUND("t36"."revenue", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "revenue",
    CAST(CAST(ROUND("t36"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cogs",
    CAST(CAST(ROUND("t36"."revenue" - "t36"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_profit",
    CAST(CAST(ROUND(COALESCE("t36"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cost_to_serve",
    CAST(CAST(ROUND((
      "t36"."revenue" - "t36"."cogs"
    ) - COALESCE("t36"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "contribution_margin",
    "t36"."orders",
    "t36"."active_customers",
    CASE
      WHEN CAST("t36"."revenue" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t36"."revenue" - "t36"."cogs" AS DOUBLE) / CAST("t36"."revenue" AS DOUBLE)
    END AS "gross_margin",
    CASE
      WHEN CAST("t36"."revenue" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST((
        "t36"."revenue" - "t36"."cogs"
      ) - COALESCE("t36"."cost_to_serve", 0) AS DOUBLE) / CAST("t36"."revenue" AS DOUBLE)
    END AS "contribution_margin_pct",
    CASE
      WHEN CAST("t36"."orders" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t36"."revenue" AS DOUBLE) / CAST("t36"."orders" AS DOUBLE)
    END AS "average_order_value",
    CASE
      WHEN CAST("t36"."invoiced" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t36"."returns" AS DOUBLE) / CAST("t36"."invoiced" AS DOUBLE)
    END AS "return_rate",
    CASE
      WHEN CAST("t36"."gross_sales" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t36"."discount" AS DOUBLE) / CAST("t36"."gross_sales" AS DOUBLE)
    END AS "discount_rate"
  FROM (
    SELECT
      "t35"."region",
      COALESCE("t35"."gross_sales", CAST(0 AS DECIMAL(18, 4))) AS "gross_sales",
      COALESCE("t35"."discount", CAST(0 AS DECIMAL(18, 4))) AS "discount",
      COALESCE("t35"."invoiced", CAST(0 AS DECIMAL(18, 4))) AS "invoiced",
      COALESCE("t35"."returns", CAST(0 AS DECIMAL(18, 4))) AS "returns",
      COALESCE("t35"."revenue", CAST(0 AS DECIMAL(18, 4))) AS "revenue",
      COALESCE("t35"."cogs", CAST(0 AS DECIMAL(18, 4))) AS "cogs",
      COALESCE("t35"."orders", 0) AS "orders",
      COALESCE("t35"."active_customers", 0) AS "active_customers",
      "t35"."cost_to_serve"
    FROM (
      SELECT
        "t34"."region",
        "t34"."gross_sales",
        "t34"."discount",
        "t34"."invoiced",
        "t34"."returns",
        "t34"."revenue",
        "t34"."cogs",
        "t34"."orders",
        "t34"."active_customers",
        "t34"."cost_to_serve"
      FROM (
        SELECT
          COALESCE("t33"."region", "t33"."region_right") AS "region",
          "t33"."gross_sales",
          "t33"."discount",
          "t33"."invoiced",
          "t33"."returns",
          "t33"."revenue",
          "t33"."cogs",
          "t33"."orders",
          "t33"."active_customers",
          "t33"."_missing_l",
          "t33"."_key_l",
          "t33"."region_right",
          "t33"."cost_to_serve",
          "t33"."_missing_r",
          "t33"."_key_r"
        FROM (
          SELECT
            "t32"."region",
            "t32"."gross_sales",
            "t32"."discount",
            "t32"."invoiced",
            "t32"."returns",
            "t32"."revenue",
            "t32"."cogs",
            "t32"."orders",
            "t32"."active_customers",
            "t32"."_missing_l",
            "t32"."_key_l",
            "t18"."region" AS "region_right",
            "t18"."cost_to_serve",
            "t18"."_missing_r",
            "t18"."_key_r"
          FROM (
            SELECT
              "t30"."region",
              "t30"."gross_sales",
              "t30"."discount",
              "t30"."invoiced",
              "t30"."returns",
              "t30"."revenue",
              "t30"."cogs",
              "t30"."orders",
              "t30"."active_customers",
              "t30"."region" IS NULL AS "_missing_l",
              COALESCE("t30"."region", '') AS "_key_l"
            FROM (
              SELECT
                "t29".*
                EXCLUDE ("region_right")
              FROM (
                SELECT
                  "t28"."region",
                  "t28"."gross_sales",
                  "t28"."discount",
                  "t28"."invoiced",
                  "t28"."returns",
                  "t28"."revenue",
                  "t28"."cogs",
                  "t28"."orders",
                  "t20"."region" AS "region_right",
                  "t20"."active_customers"
                FROM (
                  SELECT
                    "t26".*
                    EXCLUDE ("split_orders")
                  FROM (
                    SELECT
                      "t25"."region",
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
                        "t24".*
                        EXCLUDE ("region_right")
                      FROM (
                        SELECT
                          "t14"."region",
                          "t14"."gross_sales",
                          "t14"."discount",
                          "t14"."invoiced",
                          "t14"."returns",
                          "t14"."revenue",
                          "t14"."cogs",
                          "t14"."orders",
                          "t23"."region" AS "region_right",
                          "t23"."split_orders"
                        FROM (
                          SELECT
                            "t9"."region",
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
                          GROUP BY
                            1
                        ) AS "t14"
                        LEFT OUTER JOIN (
                          SELECT
                            "t21"."region",
                            COUNT(DISTINCT "t21"."order_key") AS "split_orders"
                          FROM (
                            SELECT
                              *
                            FROM (
                              SELECT
                                "t15".*
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
                              ) AS "t15"
                            ) AS "t16"
                            WHERE
                              "t16"."invoice_date" >= CAST($start AS DATE)
                              AND "t16"."invoice_date" <= CAST($end AS DATE)
                          ) AS "t21"
                          GROUP BY
                            1
                        ) AS "t23"
                          ON "t14"."region" IS NOT DISTINCT FROM "t23"."region"
                      ) AS "t24"
                    ) AS "t25"
                  ) AS "t26"
                ) AS "t28"
                INNER JOIN (
                  SELECT
                    "t12"."region",
                    SUM(CAST("t12"."rev" > 0 AS INT)) AS "active_customers"
                  FROM (
                    SELECT
                      "t8"."region",
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
                      1,
                      2
                  ) AS "t12"
                  GROUP BY
                    1
                ) AS "t20"
                  ON "t28"."region" IS NOT DISTINCT FROM "t20"."region"
              ) AS "t29"
            ) AS "t30"
          ) AS "t32"
          FULL OUTER JOIN (
            SELECT
              "t11"."region",
              "t11"."cost_to_serve",
              "t11"."region" IS NULL AS "_missing_r",
              COALESCE("t11"."region", '') AS "_key_r"
            FROM (
              SELECT
                "t7"."region",
                SUM("t7"."amount") AS "cost_to_serve"
              FROM (
                SELECT
                  *
                FROM "ms_segment_costs_month" AS "t0"
                WHERE
                  "t0"."cost_date" >= CAST($start AS DATE)
                  AND "t0"."cost_date" <= CAST($end AS DATE)
              ) AS "t7"
              GROUP BY
                1
            ) AS "t11"
          ) AS "t18"
            ON "t32"."_missing_l" = "t18"."_missing_r" AND "t32"."_key_l" = "t18"."_key_r"
        ) AS "t33"
      ) AS "t34"
    ) AS "t35"
  ) AS "t36"
) AS "t37"
ORDER BY
  "t37"."revenue" DESC,
  "t37"."region" ASC
