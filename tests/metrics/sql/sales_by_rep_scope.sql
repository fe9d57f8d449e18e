WITH "t18" AS (
  SELECT
    *
  FROM (
    SELECT
      "t12".*
      EXCLUDE ("customer_id_right")
    FROM (
      SELECT
        "t9"."invoice_date",
        "t9"."customer_id",
        "t9"."rep_id",
        "t9"."gross_sales",
        "t9"."discount",
        "t9"."invoiced",
        "t9"."returns",
        "t9"."revenue",
        "t9"."cogs_signed",
        "t9"."orders",
        "t8"."customer_id" AS "customer_id_right",
        "t8"."region",
        "t8"."industry",
        "t8"."tier",
        "t8"."customer_type",
        "t8"."customer_name"
      FROM (
        SELECT
          *
        FROM "ms_customer_month" AS "t1"
        WHERE
          "t1"."invoice_date" >= CAST($start AS DATE)
          AND "t1"."invoice_date" <= CAST($end AS DATE)
      ) AS "t9"
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
        ON "t9"."customer_id" = "t8"."customer_id"
    ) AS "t12"
  ) AS "t15"
  WHERE
    LIST_CONTAINS(CAST($scope AS TEXT[]), "t15"."customer_id")
)
SELECT
  *
FROM (
  SELECT
    "t49"."rep_id",
    CAST(CAST(ROUND("t49"."gross_sales", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_sales",
    CAST(CAST(ROUND("t49"."discount", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "discount",
    CAST(CAST(ROUND("t49"."returns", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "returns",
    CAST(CAST(ROUND("t49"."revenue", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "revenue",
    CAST(CAST(ROUND("t49"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cogs",
    CAST(CAST(ROUND("t49"."revenue" - "t49"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_profit",
    CAST(CAST(ROUND(COALESCE("t49"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cost_to_serve",
    CAST(CAST(ROUND((
      "t49"."revenue" - "t49"."cogs"
    ) - COALESCE("t49"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "contribution_margin",
    "t49"."orders",
    "t49"."active_customers",
    CASE
      WHEN CAST("t49"."revenue" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t49"."revenue" - "t49"."cogs" AS DOUBLE) / CAST("t49"."revenue" AS DOUBLE)
    END AS "gross_margin",
    CASE
      WHEN CAST("t49"."revenue" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST((
        "t49"."revenue" - "t49"."cogs"
      ) - COALESCE("t49"."cost_to_serve", 0) AS DOUBLE) / CAST("t49"."revenue" AS DOUBLE)
    END AS "contribution_margin_pct",
    CASE
      WHEN CAST("t49"."orders" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t49"."revenue" AS DOUBLE) / CAST("t49"."orders" AS DOUBLE)
    END AS "average_order_value",
    CASE
      WHEN CAST("t49"."invoiced" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t49"."returns" AS DOUBLE) / CAST("t49"."invoiced" AS DOUBLE)
    END AS "return_rate",
    CASE
      WHEN CAST("t49"."gross_sales" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST("t49"."discount" AS DOUBLE) / CAST("t49"."gross_sales" AS DOUBLE)
    END AS "discount_rate"
  FROM (
    SELECT
      "t48"."rep_id",
      COALESCE("t48"."gross_sales", CAST(0 AS DECIMAL(18, 4))) AS "gross_sales",
      COALESCE("t48"."discount", CAST(0 AS DECIMAL(18, 4))) AS "discount",
      COALESCE("t48"."invoiced", CAST(0 AS DECIMAL(18, 4))) AS "invoiced",
      COALESCE("t48"."returns", CAST(0 AS DECIMAL(18, 4))) AS "returns",
      COALESCE("t48"."revenue", CAST(0 AS DECIMAL(18, 4))) AS "revenue",
      COALESCE("t48"."cogs", CAST(0 AS DECIMAL(18, 4))) AS "cogs",
      COALESCE("t48"."orders", 0) AS "orders",
      COALESCE("t48"."active_customers", 0) AS "active_customers",
      "t48"."cost_to_serve"
    FROM (
      SELECT
        "t47"."rep_id",
        "t47"."gross_sales",
        "t47"."discount",
        "t47"."invoiced",
        "t47"."returns",
        "t47"."revenue",
        "t47"."cogs",
        "t47"."orders",
        "t47"."active_customers",
        "t47"."cost_to_serve"
      FROM (
        SELECT
          COALESCE("t46"."rep_id", "t46"."rep_id_right") AS "rep_id",
          "t46"."gross_sales",
          "t46"."discount",
          "t46"."invoiced",
          "t46"."returns",
          "t46"."revenue",
          "t46"."cogs",
          "t46"."orders",
          "t46"."active_customers",
          "t46"."_missing_l",
          "t46"."_key_l",
          "t46"."rep_id_right",
          "t46"."cost_to_serve",
          "t46"."_missing_r",
          "t46"."_key_r"
        FROM (
          SELECT
            "t45"."rep_id",
            "t45"."gross_sales",
            "t45"."discount",
            "t45"."invoiced",
            "t45"."returns",
            "t45"."revenue",
            "t45"."cogs",
            "t45"."orders",
            "t45"."active_customers",
            "t45"."_missing_l",
            "t45"."_key_l",
            "t41"."rep_id" AS "rep_id_right",
            "t41"."cost_to_serve",
            "t41"."_missing_r",
            "t41"."_key_r"
          FROM (
            SELECT
              "t43"."rep_id",
              "t43"."gross_sales",
              "t43"."discount",
              "t43"."invoiced",
              "t43"."returns",
              "t43"."revenue",
              "t43"."cogs",
              "t43"."orders",
              "t43"."active_customers",
              "t43"."rep_id" IS NULL AS "_missing_l",
              COALESCE("t43"."rep_id", '') AS "_key_l"
            FROM (
              SELECT
                "t42".*
                EXCLUDE ("rep_id_right")
              FROM (
                SELECT
                  "t39"."rep_id",
                  "t39"."gross_sales",
                  "t39"."discount",
                  "t39"."invoiced",
                  "t39"."returns",
                  "t39"."revenue",
                  "t39"."cogs",
                  "t39"."orders",
                  "t32"."rep_id" AS "rep_id_right",
                  "t32"."active_customers"
                FROM (
                  SELECT
                    "t36".*
                    EXCLUDE ("split_orders")
                  FROM (
                    SELECT
                      "t34"."rep_id",
                      "t34"."gross_sales",
                      "t34"."discount",
                      "t34"."invoiced",
                      "t34"."returns",
                      "t34"."revenue",
                      "t34"."cogs",
                      COALESCE("t34"."orders", 0) + COALESCE("t34"."split_orders", 0) AS "orders",
                      "t34"."split_orders"
                    FROM (
                      SELECT
                        "t33".*
                        EXCLUDE ("rep_id_right")
                      FROM (
                        SELECT
                          "t30"."rep_id",
                          "t30"."gross_sales",
                          "t30"."discount",
                          "t30"."invoiced",
                          "t30"."returns",
                          "t30"."revenue",
                          "t30"."cogs",
                          "t30"."orders",
                          "t22"."rep_id" AS "rep_id_right",
                          "t22"."split_orders"
                        FROM (
                          SELECT
                            "t19"."rep_id",
                            SUM("t19"."gross_sales") AS "gross_sales",
                            SUM("t19"."discount") AS "discount",
                            SUM("t19"."invoiced") AS "invoiced",
                            SUM("t19"."returns") AS "returns",
                            SUM("t19"."revenue") AS "revenue",
                            SUM("t19"."cogs_signed") AS "cogs",
                            SUM("t19"."orders") AS "orders"
                          FROM "t18" AS "t19"
                          GROUP BY
                            1
                        ) AS "t30"
                        LEFT OUTER JOIN (
                          SELECT
                            "t17"."rep_id",
                            COUNT(DISTINCT "t17"."order_key") AS "split_orders"
                          FROM (
                            SELECT
                              *
                            FROM (
                              SELECT
                                "t11".*
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
                              ) AS "t11"
                            ) AS "t14"
                            WHERE
                              LIST_CONTAINS(CAST($scope AS TEXT[]), "t14"."customer_id")
                              AND "t14"."invoice_date" >= CAST($start AS DATE)
                              AND "t14"."invoice_date" <= CAST($end AS DATE)
                          ) AS "t17"
                          GROUP BY
                            1
                        ) AS "t22"
                          ON "t30"."rep_id" IS NOT DISTINCT FROM "t22"."rep_id"
                      ) AS "t33"
                    ) AS "t34"
                  ) AS "t36"
                ) AS "t39"
                INNER JOIN (
                  SELECT
                    "t24"."rep_id",
                    SUM(CAST("t24"."rev" > 0 AS INT)) AS "active_customers"
                  FROM (
                    SELECT
                      "t19"."rep_id",
                      "t19"."customer_id",
                      SUM("t19"."revenue") AS "rev"
                    FROM "t18" AS "t19"
                    GROUP BY
                      1,
                      2
                  ) AS "t24"
                  GROUP BY
                    1
                ) AS "t32"
                  ON "t39"."rep_id" IS NOT DISTINCT FROM "t32"."rep_id"
              ) AS "t42"
            ) AS "t43"
          ) AS "t45"
          FULL OUTER JOIN (
            SELECT
              "t37"."rep_id",
              "t37"."cost_to_serve",
              "t37"."rep_id" IS NULL AS "_missing_r",
              COALESCE("t37"."rep_id", '') AS "_key_r"
            FROM (
              SELECT
                "t35"."rep_id",
                SUM("t35"."cost_to_serve") AS "cost_to_serve"
              FROM (
                SELECT
                  "t28"."customer_id",
                  "t28"."rep_id",
                  CAST(CAST("t27"."cost_to_serve" AS DOUBLE) * CASE
                    WHEN CAST("t29"."whole" AS DOUBLE) = 0
                    THEN CAST(NULL AS DOUBLE)
                    ELSE CAST("t28"."part" AS DOUBLE) / CAST("t29"."whole" AS DOUBLE)
                  END AS DECIMAL(18, 4)) AS "cost_to_serve"
                FROM (
                  SELECT
                    "t19"."customer_id",
                    "t19"."rep_id",
                    SUM("t19"."revenue") AS "part"
                  FROM "t18" AS "t19"
                  GROUP BY
                    1,
                    2
                ) AS "t28"
                INNER JOIN (
                  SELECT
                    "t19"."customer_id",
                    SUM("t19"."revenue") AS "whole"
                  FROM "t18" AS "t19"
                  GROUP BY
                    1
                ) AS "t29"
                  ON "t28"."customer_id" = "t29"."customer_id"
                INNER JOIN (
                  SELECT
                    "t16"."customer_id",
                    CAST(SUM("t16"."amount") AS DECIMAL(18, 4)) AS "cost_to_serve"
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t10".*
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
                      ) AS "t10"
                    ) AS "t13"
                    WHERE
                      LIST_CONTAINS(CAST($scope AS TEXT[]), "t13"."customer_id")
                      AND "t13"."cost_date" >= CAST($start AS DATE)
                      AND "t13"."cost_date" <= CAST($end AS DATE)
                  ) AS "t16"
                  GROUP BY
                    1
                ) AS "t27"
                  ON "t28"."customer_id" = "t27"."customer_id"
              ) AS "t35"
              GROUP BY
                1
            ) AS "t37"
          ) AS "t41"
            ON "t45"."_missing_l" = "t41"."_missing_r" AND "t45"."_key_l" = "t41"."_key_r"
        ) AS "t46"
      ) AS "t47"
    ) AS "t48"
  ) AS "t49"
) AS "t50"
ORDER BY
  "t50"."revenue" DESC,
  "t50"."rep_id" ASC
