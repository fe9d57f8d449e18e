WITH "t13" AS (
  SELECT
    *
  FROM "ms_customer_day" AS "t6"
  WHERE
    "t6"."invoice_date" >= CAST($start AS DATE)
    AND "t6"."invoice_date" <= CAST($end AS DATE)
    AND "t6"."invoice_date" < (
      DATE_TRUNC('MONTH', CAST($start AS DATE) - INTERVAL '1' DAY) + INTERVAL '1' MONTH
    )
), "t18" AS (
  SELECT
    *
  FROM "ms_customer_day" AS "t6"
  WHERE
    "t6"."invoice_date" >= CAST($start AS DATE)
    AND "t6"."invoice_date" <= CAST($end AS DATE)
    AND "t6"."invoice_date" > (
      DATE_TRUNC('MONTH', CAST($end AS DATE) + INTERVAL '1' DAY) - INTERVAL '1' DAY
    )
    AND "t6"."invoice_date" >= (
      DATE_TRUNC('MONTH', CAST($start AS DATE) - INTERVAL '1' DAY) + INTERVAL '1' MONTH
    )
)
SELECT
  CAST(CAST(ROUND("t74"."gross_sales", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_sales",
  CAST(CAST(ROUND("t74"."discount", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "discount",
  CAST(CAST(ROUND("t74"."returns", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "returns",
  CAST(CAST(ROUND("t74"."revenue", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "revenue",
  CAST(CAST(ROUND("t74"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cogs",
  CAST(CAST(ROUND("t74"."revenue" - "t74"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_profit",
  CAST(CAST(ROUND(COALESCE("t74"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cost_to_serve",
  CAST(CAST(ROUND((
    "t74"."revenue" - "t74"."cogs"
  ) - COALESCE("t74"."cost_to_serve", 0), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "contribution_margin",
  "t74"."orders",
  "t74"."active_customers",
  CASE
    WHEN CAST("t74"."revenue" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t74"."revenue" - "t74"."cogs" AS DOUBLE) / CAST("t74"."revenue" AS DOUBLE)
  END AS "gross_margin",
  CASE
    WHEN CAST("t74"."revenue" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST((
      "t74"."revenue" - "t74"."cogs"
    ) - COALESCE("t74"."cost_to_serve", 0) AS DOUBLE) / CAST("t74"."revenue" AS DOUBLE)
  END AS "contribution_margin_pct",
  CASE
    WHEN CAST("t74"."orders" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t74"."revenue" AS DOUBLE) / CAST("t74"."orders" AS DOUBLE)
  END AS "average_order_value",
  CASE
    WHEN CAST("t74"."invoiced" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t74"."returns" AS DOUBLE) / CAST("t74"."invoiced" AS DOUBLE)
  END AS "return_rate",
  CASE
    WHEN CAST("t74"."gross_sales" AS DOUBLE) = 0
    THEN CAST(NULL AS DOUBLE)
    ELSE CAST("t74"."discount" AS DOUBLE) / CAST("t74"."gross_sales" AS DOUBLE)
  END AS "discount_rate"
FROM (
  SELECT
    COALESCE("t73"."gross_sales", CAST(0 AS DECIMAL(18, 4))) AS "gross_sales",
    COALESCE("t73"."discount", CAST(0 AS DECIMAL(18, 4))) AS "discount",
    COALESCE("t73"."invoiced", CAST(0 AS DECIMAL(18, 4))) AS "invoiced",
    COALESCE("t73"."returns", CAST(0 AS DECIMAL(18, 4))) AS "returns",
    COALESCE("t73"."revenue", CAST(0 AS DECIMAL(18, 4))) AS "revenue",
    COALESCE("t73"."cogs", CAST(0 AS DECIMAL(18, 4))) AS "cogs",
    COALESCE("t73"."orders", 0) AS "orders",
    COALESCE("t73"."active_customers", 0) AS "active_customers",
    "t73"."cost_to_serve"
  FROM (
    SELECT
      "t72"."gross_sales",
      "t72"."discount",
      "t72"."invoiced",
      "t72"."returns",
      "t72"."revenue",
      "t72"."cogs",
      "t72"."orders",
      "t66"."active_customers",
      "t62"."cost_to_serve"
    FROM (
      SELECT
        "t70".*
        EXCLUDE ("split_orders")
      FROM (
        SELECT
          "t69"."gross_sales",
          "t69"."discount",
          "t69"."invoiced",
          "t69"."returns",
          "t69"."revenue",
          "t69"."cogs",
          COALESCE("t69"."orders", 0) + COALESCE("t69"."split_orders", 0) AS "orders",
          "t69"."split_orders"
        FROM (
          SELECT
            "t68"."gross_sales",
            "t68"."discount",
            "t68"."invoiced",
            "t68"."returns",
            "t68"."revenue",
            "t68"."cogs",
            "t68"."orders",
            "t47"."split_orders"
          FROM (
            SELECT
              SUM("t65"."gross_sales") AS "gross_sales",
              SUM("t65"."discount") AS "discount",
              SUM("t65"."invoiced") AS "invoiced",
              SUM("t65"."returns") AS "returns",
              SUM("t65"."revenue") AS "revenue",
              SUM("t65"."cogs_signed") AS "cogs",
              SUM("t65"."orders") AS "orders"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  *
                FROM (
                  SELECT
                    *
                  FROM "ms_segment_month" AS "t2"
                  WHERE
                    "t2"."invoice_date" >= (
                      DATE_TRUNC('MONTH', CAST($start AS DATE) - INTERVAL '1' DAY) + INTERVAL '1' MONTH
                    )
                    AND "t2"."invoice_date" <= (
                      DATE_TRUNC('MONTH', CAST($end AS DATE) + INTERVAL '1' DAY) - INTERVAL '1' DAY
                    )
                ) AS "t16"
                UNION ALL
                SELECT
                  *
                FROM (
                  SELECT
                    "t55"."invoice_date",
                    "t55"."region",
                    "t55"."industry",
                    "t55"."tier",
                    "t55"."customer_type",
                    CAST(SUM("t55"."gross_sales") AS DECIMAL(18, 4)) AS "gross_sales",
                    CAST(SUM("t55"."discount") AS DECIMAL(18, 4)) AS "discount",
                    CAST(SUM("t55"."invoiced") AS DECIMAL(18, 4)) AS "invoiced",
                    CAST(SUM("t55"."returns") AS DECIMAL(18, 4)) AS "returns",
                    CAST(SUM("t55"."revenue") AS DECIMAL(18, 4)) AS "revenue",
                    CAST(SUM("t55"."cogs_signed") AS DECIMAL(18, 4)) AS "cogs_signed",
                    SUM("t55"."orders") AS "orders",
                    SUM(CAST("t55"."revenue" > 0 AS INT)) AS "active_customers"
                  FROM (
                    SELECT
                      "t45"."invoice_date",
                      "t45"."region",
                      "t45"."industry",
                      "t45"."tier",
                      "t45"."customer_type",
                      "t45"."customer_id",
                      CAST(SUM("t45"."gross_sales") AS DECIMAL(18, 4)) AS "gross_sales",
                      CAST(SUM("t45"."discount") AS DECIMAL(18, 4)) AS "discount",
                      CAST(SUM("t45"."invoiced") AS DECIMAL(18, 4)) AS "invoiced",
                      CAST(SUM("t45"."returns") AS DECIMAL(18, 4)) AS "returns",
                      CAST(SUM("t45"."revenue") AS DECIMAL(18, 4)) AS "revenue",
                      CAST(SUM("t45"."cogs_signed") AS DECIMAL(18, 4)) AS "cogs_signed",
                      SUM("t45"."orders") AS "orders"
                    FROM (
                      SELECT
                        "t41".*
                        EXCLUDE ("customer_id_right")
                      FROM (
                        SELECT
                          "t31"."invoice_date",
                          "t31"."customer_id",
                          "t31"."rep_id",
                          "t31"."gross_sales",
                          "t31"."discount",
                          "t31"."invoiced",
                          "t31"."returns",
                          "t31"."revenue",
                          "t31"."cogs_signed",
                          "t31"."orders",
                          "t10"."customer_id" AS "customer_id_right",
                          "t10"."region",
                          "t10"."industry",
                          "t10"."tier",
                          "t10"."customer_type"
                        FROM (
                          SELECT
                            DATE_TRUNC('MONTH', "t19"."invoice_date") AS "invoice_date",
                            "t19"."customer_id",
                            "t19"."rep_id",
                            "t19"."gross_sales",
                            "t19"."discount",
                            "t19"."invoiced",
                            "t19"."returns",
                            "t19"."revenue",
                            "t19"."cogs_signed",
                            "t19"."orders"
                          FROM "t13" AS "t19"
                        ) AS "t31"
                        LEFT OUTER JOIN (
                          SELECT
                            "t4"."customer_id",
                            "t4"."region",
                            "t4"."industry",
                            "t4"."tier",
                            "t4"."customer_type"
                          FROM "customers" AS "t4"
                        ) AS "t10"
                          ON "t31"."customer_id" = "t10"."customer_id"
                      ) AS "t41"
                    ) AS "t45"
                    GROUP BY
                      1,
                      2,
                      3,
                      4,
                      5,
                      6
                  ) AS "t55"
                  GROUP BY
                    1,
                    2,
                    3,
                    4,
                    5
                ) AS "t60"
              ) AS "t63"
              UNION ALL
              SELECT
                *
              FROM (
                SELECT
                  "t56"."invoice_date",
                  "t56"."region",
                  "t56"."industry",
                  "t56"."tier",
                  "t56"."customer_type",
                  CAST(SUM("t56"."gross_sales") AS DECIMAL(18, 4)) AS "gross_sales",
                  CAST(SUM("t56"."discount") AS DECIMAL(18, 4)) AS "discount",
                  CAST(SUM("t56"."invoiced") AS DECIMAL(18, 4)) AS "invoiced",
                  CAST(SUM("t56"."returns") AS DECIMAL(18, 4)) AS "returns",
                  CAST(SUM("t56"."revenue") AS DECIMAL(18, 4)) AS "revenue",
                  CAST(SUM("t56"."cogs_signed") AS DECIMAL(18, 4)) AS "cogs_signed",
                  SUM("t56"."orders") AS "orders",
                  SUM(CAST("t56"."revenue" > 0 AS INT)) AS "active_customers"
                FROM (
                  SELECT
                    "t46"."invoice_date",
                    "t46"."region",
                    "t46"."industry",
                    "t46"."tier",
                    "t46"."customer_type",
                    "t46"."customer_id",
                    CAST(SUM("t46"."gross_sales") AS DECIMAL(18, 4)) AS "gross_sales",
                    CAST(SUM("t46"."discount") AS DECIMAL(18, 4)) AS "discount",
                    CAST(SUM("t46"."invoiced") AS DECIMAL(18, 4)) AS "invoiced",
                    CAST(SUM("t46"."returns") AS DECIMAL(18, 4)) AS "returns",
                    CAST(SUM("t46"."revenue") AS DECIMAL(18, 4)) AS "revenue",
                    CAST(SUM("t46"."cogs_signed") AS DECIMAL(18, 4)) AS "cogs_signed",
                    SUM("t46"."orders") AS "orders"
                  FROM (
                    SELECT
                      "t43".*
                      EXCLUDE ("customer_id_right")
                    FROM (
                      SELECT
                        "t32"."invoice_date",
                        "t32"."customer_id",
                        "t32"."rep_id",
                        "t32"."gross_sales",
                        "t32"."discount",
                        "t32"."invoiced",
                        "t32"."returns",
                        "t32"."revenue",
                        "t32"."cogs_signed",
                        "t32"."orders",
                        "t10"."customer_id" AS "customer_id_right",
                        "t10"."region",
                        "t10"."industry",
                        "t10"."tier",
                        "t10"."customer_type"
                      FROM (
                        SELECT
                          DATE_TRUNC('MONTH', "t20"."invoice_date") AS "invoice_date",
                          "t20"."customer_id",
                          "t20"."rep_id",
                          "t20"."gross_sales",
                          "t20"."discount",
                          "t20"."invoiced",
                          "t20"."returns",
                          "t20"."revenue",
                          "t20"."cogs_signed",
                          "t20"."orders"
                        FROM "t18" AS "t20"
                      ) AS "t32"
                      LEFT OUTER JOIN (
                        SELECT
                          "t4"."customer_id",
                          "t4"."region",
                          "t4"."industry",
                          "t4"."tier",
                          "t4"."customer_type"
                        FROM "customers" AS "t4"
                      ) AS "t10"
                        ON "t32"."customer_id" = "t10"."customer_id"
                    ) AS "t43"
                  ) AS "t46"
                  GROUP BY
                    1,
                    2,
                    3,
                    4,
                    5,
                    6
                ) AS "t56"
                GROUP BY
                  1,
                  2,
                  3,
                  4,
                  5
              ) AS "t61"
            ) AS "t65"
          ) AS "t68"
          CROSS JOIN (
            SELECT
              COUNT(DISTINCT "t35"."order_key") AS "split_orders"
            FROM (
              SELECT
                *
              FROM (
                SELECT
                  "t23".*
                  EXCLUDE ("customer_id_right")
                FROM (
                  SELECT
                    "t7"."order_key",
                    "t7"."invoice_date",
                    "t7"."customer_id",
                    "t7"."product_id",
                    "t7"."rep_id",
                    "t11"."customer_id" AS "customer_id_right",
                    "t11"."region",
                    "t11"."industry",
                    "t11"."tier",
                    "t11"."customer_type",
                    "t11"."customer_name"
                  FROM "ms_split_orders" AS "t7"
                  LEFT OUTER JOIN (
                    SELECT
                      "t4"."customer_id",
                      "t4"."region",
                      "t4"."industry",
                      "t4"."tier",
                      "t4"."customer_type",
                      "t4"."name" AS "customer_name"
                    FROM "customers" AS "t4"
                  ) AS "t11"
                    ON "t7"."customer_id" = "t11"."customer_id"
                ) AS "t23"
              ) AS "t26"
              WHERE
                "t26"."invoice_date" >= CAST($start AS DATE)
                AND "t26"."invoice_date" <= CAST($end AS DATE)
            ) AS "t35"
          ) AS "t47"
        ) AS "t69"
      ) AS "t70"
    ) AS "t72"
    CROSS JOIN (
      SELECT
        SUM(CAST("t58"."rev" > 0 AS INT)) AS "active_customers"
      FROM (
        SELECT
          "t52"."customer_id",
          SUM("t52"."revenue") AS "rev"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              *
            FROM (
              SELECT
                *
              FROM "ms_segment_customer_month" AS "t1"
              WHERE
                "t1"."invoice_date" >= (
                  DATE_TRUNC('MONTH', CAST($start AS DATE) - INTERVAL '1' DAY) + INTERVAL '1' MONTH
                )
                AND "t1"."invoice_date" <= (
                  DATE_TRUNC('MONTH', CAST($end AS DATE) + INTERVAL '1' DAY) - INTERVAL '1' DAY
                )
            ) AS "t15"
            UNION ALL
            SELECT
              *
            FROM (
              SELECT
                "t36"."invoice_date",
                "t36"."region",
                "t36"."industry",
                "t36"."tier",
                "t36"."customer_type",
                "t36"."customer_id",
                CAST(SUM("t36"."gross_sales") AS DECIMAL(18, 4)) AS "gross_sales",
                CAST(SUM("t36"."discount") AS DECIMAL(18, 4)) AS "discount",
                CAST(SUM("t36"."invoiced") AS DECIMAL(18, 4)) AS "invoiced",
                CAST(SUM("t36"."returns") AS DECIMAL(18, 4)) AS "returns",
                CAST(SUM("t36"."revenue") AS DECIMAL(18, 4)) AS "revenue",
                CAST(SUM("t36"."cogs_signed") AS DECIMAL(18, 4)) AS "cogs_signed",
                SUM("t36"."orders") AS "orders"
              FROM (
                SELECT
                  "t33".*
                  EXCLUDE ("customer_id_right")
                FROM (
                  SELECT
                    "t21"."invoice_date",
                    "t21"."customer_id",
                    "t21"."rep_id",
                    "t21"."gross_sales",
                    "t21"."discount",
                    "t21"."invoiced",
                    "t21"."returns",
                    "t21"."revenue",
                    "t21"."cogs_signed",
                    "t21"."orders",
                    "t10"."customer_id" AS "customer_id_right",
                    "t10"."region",
                    "t10"."industry",
                    "t10"."tier",
                    "t10"."customer_type"
                  FROM "t13" AS "t21"
                  LEFT OUTER JOIN (
                    SELECT
                      "t4"."customer_id",
                      "t4"."region",
                      "t4"."industry",
                      "t4"."tier",
                      "t4"."customer_type"
                    FROM "customers" AS "t4"
                  ) AS "t10"
                    ON "t21"."customer_id" = "t10"."customer_id"
                ) AS "t33"
              ) AS "t36"
              GROUP BY
                1,
                2,
                3,
                4,
                5,
                6
            ) AS "t48"
          ) AS "t50"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              "t37"."invoice_date",
              "t37"."region",
              "t37"."industry",
              "t37"."tier",
              "t37"."customer_type",
              "t37"."customer_id",
              CAST(SUM("t37"."gross_sales") AS DECIMAL(18, 4)) AS "gross_sales",
              CAST(SUM("t37"."discount") AS DECIMAL(18, 4)) AS "discount",
              CAST(SUM("t37"."invoiced") AS DECIMAL(18, 4)) AS "invoiced",
              CAST(SUM("t37"."returns") AS DECIMAL(18, 4)) AS "returns",
              CAST(SUM("t37"."revenue") AS DECIMAL(18, 4)) AS "revenue",
              CAST(SUM("t37"."cogs_signed") AS DECIMAL(18, 4)) AS "cogs_signed",
              SUM("t37"."orders") AS "orders"
            FROM (
              SELECT
                "t34".*
                EXCLUDE ("customer_id_right")
              FROM (
                SELECT
                  "t22"."invoice_date",
                  "t22"."customer_id",
                  "t22"."rep_id",
                  "t22"."gross_sales",
                  "t22"."discount",
                  "t22"."invoiced",
                  "t22"."returns",
                  "t22"."revenue",
                  "t22"."cogs_signed",
                  "t22"."orders",
                  "t10"."customer_id" AS "customer_id_right",
                  "t10"."region",
                  "t10"."industry",
                  "t10"."tier",
                  "t10"."customer_type"
                FROM "t18" AS "t22"
                LEFT OUTER JOIN (
                  SELECT
                    "t4"."customer_id",
                    "t4"."region",
                    "t4"."industry",
                    "t4"."tier",
                    "t4"."customer_type"
                  FROM "customers" AS "t4"
                ) AS "t10"
                  ON "t22"."customer_id" = "t10"."customer_id"
              ) AS "t34"
            ) AS "t37"
            GROUP BY
              1,
              2,
              3,
              4,
              5,
              6
          ) AS "t49"
        ) AS "t52"
        GROUP BY
          1
      ) AS "t58"
    ) AS "t66"
    CROSS JOIN (
      SELECT
        SUM("t57"."amount") AS "cost_to_serve"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            *
          FROM (
            SELECT
              *
            FROM "ms_segment_costs_month" AS "t0"
            WHERE
              "t0"."cost_date" >= (
                DATE_TRUNC('MONTH', CAST($start AS DATE) - INTERVAL '1' DAY) + INTERVAL '1' MONTH
              )
              AND "t0"."cost_date" <= (
                DATE_TRUNC('MONTH', CAST($end AS DATE) + INTERVAL '1' DAY) - INTERVAL '1' DAY
              )
          ) AS "t14"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              "t40"."cost_date",
              "t40"."region",
              "t40"."industry",
              "t40"."tier",
              "t40"."customer_type",
              CAST(SUM("t40"."amount") AS DECIMAL(18, 4)) AS "amount"
            FROM (
              SELECT
                "t38".*
                EXCLUDE ("customer_id_right")
              FROM (
                SELECT
                  "t27"."cost_id",
                  "t27"."customer_id",
                  "t27"."cost_date",
                  "t27"."category",
                  "t27"."amount",
                  "t10"."customer_id" AS "customer_id_right",
                  "t10"."region",
                  "t10"."industry",
                  "t10"."tier",
                  "t10"."customer_type"
                FROM (
                  SELECT
                    "t12"."cost_id",
                    "t12"."customer_id",
                    DATE_TRUNC('MONTH', "t12"."cost_date") AS "cost_date",
                    "t12"."category",
                    "t12"."amount"
                  FROM (
                    SELECT
                      *
                    FROM "costs_to_serve" AS "t3"
                    WHERE
                      "t3"."cost_date" >= CAST($start AS DATE)
                      AND "t3"."cost_date" <= CAST($end AS DATE)
                      AND "t3"."cost_date" < (
                        DATE_TRUNC('MONTH', CAST($start AS DATE) - INTERVAL '1' DAY) + INTERVAL '1' MONTH
                      )
                  ) AS "t12"
                ) AS "t27"
                LEFT OUTER JOIN (
                  SELECT
                    "t4"."customer_id",
                    "t4"."region",
                    "t4"."industry",
                    "t4"."tier",
                    "t4"."customer_type"
                  FROM "customers" AS "t4"
                ) AS "t10"
                  ON "t27"."customer_id" = "t10"."customer_id"
              ) AS "t38"
            ) AS "t40"
            GROUP BY
              1,
              2,
              3,
              4,
              5
          ) AS "t51"
        ) AS "t54"
        UNION ALL
        SELECT
          *
        FROM (
          SELECT
            "t42"."cost_date",
            "t42"."region",
            "t42"."industry",
            "t42"."tier",
            "t42"."customer_type",
            CAST(SUM("t42"."amount") AS DECIMAL(18, 4)) AS "amount"
          FROM (
            SELECT
              "t39".*
              EXCLUDE ("customer_id_right")
            FROM (
              SELECT
                "t29"."cost_id",
                "t29"."customer_id",
                "t29"."cost_date",
                "t29"."category",
                "t29"."amount",
                "t10"."customer_id" AS "customer_id_right",
                "t10"."region",
                "t10"."industry",
                "t10"."tier",
                "t10"."customer_type"
              FROM (
                SELECT
                  "t17"."cost_id",
                  "t17"."customer_id",
                  DATE_TRUNC('MONTH', "t17"."cost_date") AS "cost_date",
                  "t17"."category",
                  "t17"."amount"
                FROM (
                  SELECT
                    *
                  FROM "costs_to_serve" AS "t3"
                  WHERE
                    "t3"."cost_date" >= CAST($start AS DATE)
                    AND "t3"."cost_date" <= CAST($end AS DATE)
                    AND "t3"."cost_date" > (
                      DATE_TRUNC('MONTH', CAST($end AS DATE) + INTERVAL '1' DAY) - INTERVAL '1' DAY
                    )
                    AND "t3"."cost_date" >= (
                      DATE_TRUNC('MONTH', CAST($start AS DATE) - INTERVAL '1' DAY) + INTERVAL '1' MONTH
                    )
                ) AS "t17"
              ) AS "t29"
              LEFT OUTER JOIN (
                SELECT
                  "t4"."customer_id",
                  "t4"."region",
                  "t4"."industry",
                  "t4"."tier",
                  "t4"."customer_type"
                FROM "customers" AS "t4"
              ) AS "t10"
                ON "t29"."customer_id" = "t10"."customer_id"
            ) AS "t39"
          ) AS "t42"
          GROUP BY
            1,
            2,
            3,
            4,
            5
        ) AS "t53"
      ) AS "t57"
    ) AS "t62"
  ) AS "t73"
) AS "t74"
