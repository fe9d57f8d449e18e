SELECT
  *
FROM (
  SELECT
    "t15"."product_id",
    "t15"."period",
    SUM("t15"."units") AS "units",
    CAST(CAST(ROUND(SUM("t15"."revenue"), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "revenue"
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
      "t14"."category",
      "t14"."product_name",
      "t14"."gross_sales",
      "t14"."discount",
      "t14"."invoiced",
      "t14"."returns",
      "t14"."revenue",
      "t14"."cogs_signed",
      "t14"."order_key",
      DATE_TRUNC('MONTH', "t14"."invoice_date") AS "period",
      "t14"."quantity" * CASE WHEN "t14"."kind" = 'invoice' THEN 1 ELSE -1 END AS "units"
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
  ) AS "t15"
  GROUP BY
    1,
    2
) AS "t16"
ORDER BY
  "t16"."product_id" ASC,
  "t16"."period" ASC
