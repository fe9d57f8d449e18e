SELECT
  *
FROM (
  SELECT
    "t26"."invoice_id",
    "t26"."customer_id",
    "t26"."customer_name",
    "t26"."invoice_date",
    "t26"."due_date",
    "t26"."total",
    "t26"."paid",
    "t26"."open_amount",
    GREATEST(
      CASE
        WHEN "t26"."due_date" IS NULL
        THEN 0
        ELSE CAST(CAST($end AS DATE) - "t26"."due_date" AS BIGINT)
      END,
      0
    ) AS "days_past_due",
    CASE
      WHEN CASE
        WHEN "t26"."due_date" IS NULL
        THEN 0
        ELSE CAST(CAST($end AS DATE) - "t26"."due_date" AS BIGINT)
      END <= 0
      THEN 'not due'
      WHEN CASE
        WHEN "t26"."due_date" IS NULL
        THEN 0
        ELSE CAST(CAST($end AS DATE) - "t26"."due_date" AS BIGINT)
      END <= 30
      THEN '1-30'
      WHEN CASE
        WHEN "t26"."due_date" IS NULL
        THEN 0
        ELSE CAST(CAST($end AS DATE) - "t26"."due_date" AS BIGINT)
      END <= 60
      THEN '31-60'
      WHEN CASE
        WHEN "t26"."due_date" IS NULL
        THEN 0
        ELSE CAST(CAST($end AS DATE) - "t26"."due_date" AS BIGINT)
      END <= 90
      THEN '61-90'
      ELSE 'over 90'
    END AS "bucket"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t24"."invoice_id",
        "t24"."customer_id",
        "t24"."customer_name",
        "t24"."invoice_date",
        "t24"."due_date",
        "t24"."total",
        "t24"."paid",
        CAST("t24"."total" - "t24"."paid" AS DECIMAL(18, 2)) AS "open_amount"
      FROM (
        SELECT
          "t23"."invoice_id",
          "t23"."customer_id",
          "t23"."customer_name",
          "t23"."invoice_date",
          "t23"."due_date",
          "t23"."total",
          COALESCE("t23"."paid", 0) AS "paid"
        FROM (
          SELECT
            "t22".*
            EXCLUDE ("invoice_id_right")
          FROM (
            SELECT
              "t21"."invoice_id",
              "t21"."customer_id",
              "t21"."customer_name",
              "t21"."invoice_date",
              "t21"."due_date",
              "t21"."total",
              "t11"."invoice_id" AS "invoice_id_right",
              "t11"."paid"
            FROM (
              SELECT
                "t19"."invoice_id",
                "t19"."customer_id",
                "t19"."customer_name",
                MIN("t19"."invoice_date") AS "invoice_date",
                MAX("t19"."due_date") AS "due_date",
                SUM("t19"."net_amount") AS "total"
              FROM (
                SELECT
                  *
                FROM (
                  SELECT
                    "t17"."invoice_id",
                    "t17"."line_no",
                    "t17"."kind",
                    "t17"."invoice_date",
                    "t17"."due_date",
                    "t17"."order_id",
                    "t17"."customer_id",
                    "t17"."product_id",
                    "t17"."rep_id",
                    "t17"."quantity",
                    "t17"."unit_price",
                    "t17"."discount_amount",
                    "t17"."net_amount",
                    "t17"."cogs",
                    "t17"."currency",
                    "t17"."campaign_id",
                    "t17"."region",
                    "t17"."industry",
                    "t17"."tier",
                    "t17"."customer_type",
                    "t17"."customer_name",
                    "t17"."category",
                    "t17"."product_name",
                    CASE
                      WHEN "t17"."kind" = 'invoice'
                      THEN "t17"."quantity" * "t17"."unit_price"
                      ELSE CAST(0 AS DECIMAL(18, 4))
                    END AS "gross_sales",
                    CASE
                      WHEN "t17"."kind" = 'invoice'
                      THEN CAST(COALESCE("t17"."discount_amount", 0) AS DECIMAL(18, 4))
                      ELSE CAST(0 AS DECIMAL(18, 4))
                    END AS "discount",
                    CASE
                      WHEN "t17"."kind" = 'invoice'
                      THEN CAST("t17"."net_amount" AS DECIMAL(18, 4))
                      ELSE CAST(0 AS DECIMAL(18, 4))
                    END AS "invoiced",
                    CASE
                      WHEN "t17"."kind" = 'invoice'
                      THEN CAST(0 AS DECIMAL(18, 4))
                      ELSE CAST("t17"."net_amount" AS DECIMAL(18, 4))
                    END AS "returns",
                    CASE
                      WHEN "t17"."kind" = 'invoice'
                      THEN CAST("t17"."net_amount" AS DECIMAL(18, 4))
                      ELSE -(
                        CAST("t17"."net_amount" AS DECIMAL(18, 4))
                      )
                    END AS "revenue",
                    CASE
                      WHEN "t17"."kind" = 'invoice'
                      THEN CAST(COALESCE("t17"."cogs", 0) AS DECIMAL(18, 4))
                      ELSE -(
                        CAST(COALESCE("t17"."cogs", 0) AS DECIMAL(18, 4))
                      )
                    END AS "cogs_signed",
                    CASE
                      WHEN "t17"."kind" = 'invoice'
                      THEN COALESCE("t17"."order_id", "t17"."invoice_id")
                      ELSE CAST(NULL AS TEXT)
                    END AS "order_key"
                  FROM (
                    SELECT
                      *
                    FROM (
                      SELECT
                        "t15".*
                        EXCLUDE ("product_id_right")
                      FROM (
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
                          "t8"."product_id" AS "product_id_right",
                          "t8"."category",
                          "t8"."product_name"
                        FROM (
                          SELECT
                            "t12".*
                            EXCLUDE ("customer_id_right")
                          FROM (
                            SELECT
                              "t4"."invoice_id",
                              "t4"."line_no",
                              "t4"."kind",
                              "t4"."invoice_date",
                              "t4"."due_date",
                              "t4"."order_id",
                              "t4"."customer_id",
                              "t4"."product_id",
                              "t4"."rep_id",
                              "t4"."quantity",
                              "t4"."unit_price",
                              "t4"."discount_amount",
                              "t4"."net_amount",
                              "t4"."cogs",
                              "t4"."currency",
                              "t4"."campaign_id",
                              "t9"."customer_id" AS "customer_id_right",
                              "t9"."region",
                              "t9"."industry",
                              "t9"."tier",
                              "t9"."customer_type",
                              "t9"."customer_name"
                            FROM "invoice_lines" AS "t4"
                            LEFT OUTER JOIN (
                              SELECT
                                "t3"."customer_id",
                                "t3"."region",
                                "t3"."industry",
                                "t3"."tier",
                                "t3"."customer_type",
                                "t3"."name" AS "customer_name"
                              FROM "customers" AS "t3"
                            ) AS "t9"
                              ON "t4"."customer_id" = "t9"."customer_id"
                          ) AS "t12"
                        ) AS "t14"
                        LEFT OUTER JOIN (
                          SELECT
                            "t1"."product_id",
                            "t1"."category",
                            "t1"."name" AS "product_name"
                          FROM "products" AS "t1"
                        ) AS "t8"
                          ON "t14"."product_id" = "t8"."product_id"
                      ) AS "t15"
                    ) AS "t16"
                    WHERE
                      LIST_CONTAINS(CAST($scope AS TEXT[]), "t16"."customer_id")
                      AND "t16"."invoice_date" <= CAST($end AS DATE)
                  ) AS "t17"
                ) AS "t18"
                WHERE
                  "t18"."kind" = 'invoice'
              ) AS "t19"
              GROUP BY
                1,
                2,
                3
            ) AS "t21"
            LEFT OUTER JOIN (
              SELECT
                "t7"."invoice_id",
                SUM("t7"."amount") AS "paid"
              FROM (
                SELECT
                  *
                FROM "payments" AS "t0"
                WHERE
                  "t0"."paid_date" <= CAST($end AS DATE)
              ) AS "t7"
              GROUP BY
                1
            ) AS "t11"
              ON "t21"."invoice_id" = "t11"."invoice_id"
          ) AS "t22"
        ) AS "t23"
      ) AS "t24"
    ) AS "t25"
    WHERE
      "t25"."open_amount" > 0
  ) AS "t26"
) AS "t27"
ORDER BY
  "t27"."days_past_due" DESC,
  "t27"."invoice_id" ASC
