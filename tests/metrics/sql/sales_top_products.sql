SELECT
  *
FROM (
  SELECT
    "t14".*
    EXCLUDE ("product_id_right")
  FROM (
    SELECT
      "t13"."product_id",
      "t13"."revenue",
      "t13"."cogs",
      "t13"."gross_profit",
      "t13"."gross_margin",
      "t3"."product_id" AS "product_id_right",
      "t3"."category",
      "t3"."product_name"
    FROM (
      SELECT
        "t11"."product_id",
        CAST(CAST(ROUND("t11"."revenue", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "revenue",
        CAST(CAST(ROUND("t11"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "cogs",
        CAST(CAST(ROUND("t11"."revenue" - "t11"."cogs", 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "gross_profit",
        CASE
          WHEN CAST("t11"."revenue" AS DOUBLE) = 0
          THEN CAST(NULL AS DOUBLE)
          ELSE CAST("t11"."revenue" - "t11"."cogs" AS DOUBLE) / CAST("t11"."revenue" AS DOUBLE)
        END AS "gross_margin"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t8"."product_id",
            "t8"."revenue",
            "t8"."cogs",
            CAST(ROUND("t8"."revenue", 2) AS DECIMAL(38, 2)) AS "ranked"
          FROM (
            SELECT
              "t7"."product_id",
              SUM("t7"."revenue") AS "revenue",
              SUM("t7"."cogs_signed") AS "cogs"
            FROM (
              SELECT
                "t6".*
                EXCLUDE ("product_id_right")
              FROM (
                SELECT
                  "t5"."invoice_date",
                  "t5"."product_id",
                  "t5"."region",
                  "t5"."industry",
                  "t5"."tier",
                  "t5"."customer_type",
                  "t5"."gross_sales",
                  "t5"."discount",
                  "t5"."invoiced",
                  "t5"."returns",
                  "t5"."revenue",
                  "t5"."cogs_signed",
                  "t5"."orders",
                  "t3"."product_id" AS "product_id_right",
                  "t3"."category",
                  "t3"."product_name"
                FROM (
                  SELECT
                    *
                  FROM "ms_segment_product_month" AS "t1"
                  WHERE
                    "t1"."invoice_date" >= CAST($start AS DATE)
                    AND "t1"."invoice_date" <= CAST($end AS DATE)
                ) AS "t5"
                LEFT OUTER JOIN (
                  SELECT
                    "t0"."product_id",
                    "t0"."category",
                    "t0"."name" AS "product_name"
                  FROM "products" AS "t0"
                ) AS "t3"
                  ON "t5"."product_id" = "t3"."product_id"
              ) AS "t6"
            ) AS "t7"
            GROUP BY
              1
          ) AS "t8"
        ) AS "t9"
        ORDER BY
          "t9"."ranked" DESC,
          "t9"."product_id" ASC
        LIMIT 10
      ) AS "t11"
    ) AS "t13"
    LEFT OUTER JOIN (
      SELECT
        "t0"."product_id",
        "t0"."category",
        "t0"."name" AS "product_name"
      FROM "products" AS "t0"
    ) AS "t3"
      ON "t13"."product_id" = "t3"."product_id"
  ) AS "t14"
) AS "t15"
ORDER BY
  "t15"."revenue" DESC,
  "t15"."product_id" ASC
