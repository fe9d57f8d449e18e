WITH "t19" AS (
  SELECT
    *
  FROM (
    SELECT
      "t17".*
      EXCLUDE ("product_id_right")
    FROM (
      SELECT
        "t16"."opportunity_id",
        "t16"."customer_id",
        "t16"."rep_id",
        "t16"."product_id",
        "t16"."stage",
        "t16"."engage_date",
        "t16"."close_date",
        "t16"."close_value",
        "t16"."campaign_id",
        "t16"."region",
        "t16"."industry",
        "t16"."tier",
        "t16"."customer_type",
        "t16"."customer_name",
        "t16"."manager",
        "t16"."regional_office",
        "t8"."product_id" AS "product_id_right",
        "t8"."category"
      FROM (
        SELECT
          "t14".*
          EXCLUDE ("rep_id_right")
        FROM (
          SELECT
            "t13"."opportunity_id",
            "t13"."customer_id",
            "t13"."rep_id",
            "t13"."product_id",
            "t13"."stage",
            "t13"."engage_date",
            "t13"."close_date",
            "t13"."close_value",
            "t13"."campaign_id",
            "t13"."region",
            "t13"."industry",
            "t13"."tier",
            "t13"."customer_type",
            "t13"."customer_name",
            "t9"."rep_id" AS "rep_id_right",
            "t9"."manager",
            "t9"."regional_office"
          FROM (
            SELECT
              "t11".*
              EXCLUDE ("customer_id_right")
            FROM (
              SELECT
                "t4"."opportunity_id",
                "t4"."customer_id",
                "t4"."rep_id",
                "t4"."product_id",
                "t4"."stage",
                "t4"."engage_date",
                "t4"."close_date",
                "t4"."close_value",
                "t4"."campaign_id",
                "t10"."customer_id" AS "customer_id_right",
                "t10"."region",
                "t10"."industry",
                "t10"."tier",
                "t10"."customer_type",
                "t10"."customer_name"
              FROM "opportunities" AS "t4"
              LEFT OUTER JOIN (
                SELECT
                  "t3"."customer_id",
                  "t3"."region",
                  "t3"."industry",
                  "t3"."tier",
                  "t3"."customer_type",
                  "t3"."name" AS "customer_name"
                FROM "customers" AS "t3"
              ) AS "t10"
                ON "t4"."customer_id" = "t10"."customer_id"
            ) AS "t11"
          ) AS "t13"
          LEFT OUTER JOIN (
            SELECT
              "t1"."rep_id",
              "t1"."manager",
              "t1"."regional_office"
            FROM "reps" AS "t1"
          ) AS "t9"
            ON "t13"."rep_id" = "t9"."rep_id"
        ) AS "t14"
      ) AS "t16"
      LEFT OUTER JOIN (
        SELECT
          "t0"."product_id",
          "t0"."category"
        FROM "products" AS "t0"
      ) AS "t8"
        ON "t16"."product_id" = "t8"."product_id"
    ) AS "t17"
  ) AS "t18"
  WHERE
    LIST_CONTAINS(CAST($scope AS TEXT[]), "t18"."customer_id")
    AND LIST_CONTAINS(CAST($regions AS TEXT[]), "t18"."region")
)
SELECT
  *
FROM (
  SELECT
    "t44"."key" AS "rep_id",
    "t44"."won",
    "t44"."lost",
    "t44"."closed",
    "t44"."open",
    "t44"."new_opportunities",
    "t44"."pipeline_revenue",
    "t44"."average_sale",
    "t44"."conversion_rate",
    "t44"."days_to_close",
    "t44"."weeks_to_close",
    "t44"."days_to_close_won"
  FROM (
    SELECT
      "t43"."key",
      COALESCE("t43"."won", 0) AS "won",
      COALESCE("t43"."lost", 0) AS "lost",
      COALESCE("t43"."won", 0) + COALESCE("t43"."lost", 0) AS "closed",
      COALESCE("t43"."open", 0) AS "open",
      COALESCE("t43"."new_opportunities", 0) AS "new_opportunities",
      CAST(COALESCE("t43"."pipeline_revenue", 0) AS DECIMAL(18, 2)) AS "pipeline_revenue",
      CASE
        WHEN CAST(COALESCE("t43"."won", 0) AS DOUBLE) = 0
        THEN CAST(NULL AS DOUBLE)
        ELSE CAST(COALESCE("t43"."pipeline_revenue", 0) AS DOUBLE) / CAST(COALESCE("t43"."won", 0) AS DOUBLE)
      END AS "average_sale",
      CASE
        WHEN CAST(COALESCE("t43"."won", 0) + COALESCE("t43"."lost", 0) AS DOUBLE) = 0
        THEN CAST(NULL AS DOUBLE)
        ELSE CAST(COALESCE("t43"."won", 0) AS DOUBLE) / CAST(COALESCE("t43"."won", 0) + COALESCE("t43"."lost", 0) AS DOUBLE)
      END AS "conversion_rate",
      "t43"."days_to_close",
      "t43"."days_to_close" / 7 AS "weeks_to_close",
      "t43"."days_to_close_won"
    FROM (
      SELECT
        "t42"."key",
        "t42"."won",
        "t42"."lost",
        "t42"."pipeline_revenue",
        "t42"."days_to_close",
        "t42"."days_to_close_won",
        "t42"."new_opportunities",
        "t42"."open"
      FROM (
        SELECT
          COALESCE("t41"."key", "t41"."key_right") AS "key",
          "t41"."won",
          "t41"."lost",
          "t41"."pipeline_revenue",
          "t41"."days_to_close",
          "t41"."days_to_close_won",
          "t41"."new_opportunities",
          "t41"."_missing_l",
          "t41"."_key_l",
          "t41"."key_right",
          "t41"."open",
          "t41"."_missing_r",
          "t41"."_key_r"
        FROM (
          SELECT
            "t40"."key",
            "t40"."won",
            "t40"."lost",
            "t40"."pipeline_revenue",
            "t40"."days_to_close",
            "t40"."days_to_close_won",
            "t40"."new_opportunities",
            "t40"."_missing_l",
            "t40"."_key_l",
            "t32"."key" AS "key_right",
            "t32"."open",
            "t32"."_missing_r",
            "t32"."_key_r"
          FROM (
            SELECT
              "t38"."key",
              "t38"."won",
              "t38"."lost",
              "t38"."pipeline_revenue",
              "t38"."days_to_close",
              "t38"."days_to_close_won",
              "t38"."new_opportunities",
              "t38"."key" IS NULL AS "_missing_l",
              COALESCE("t38"."key", '') AS "_key_l"
            FROM (
              SELECT
                "t37"."key",
                "t37"."won",
                "t37"."lost",
                "t37"."pipeline_revenue",
                "t37"."days_to_close",
                "t37"."days_to_close_won",
                "t37"."new_opportunities"
              FROM (
                SELECT
                  COALESCE("t36"."key", "t36"."key_right") AS "key",
                  "t36"."won",
                  "t36"."lost",
                  "t36"."pipeline_revenue",
                  "t36"."days_to_close",
                  "t36"."days_to_close_won",
                  "t36"."_missing_l",
                  "t36"."_key_l",
                  "t36"."key_right",
                  "t36"."new_opportunities",
                  "t36"."_missing_r",
                  "t36"."_key_r"
                FROM (
                  SELECT
                    "t35"."key",
                    "t35"."won",
                    "t35"."lost",
                    "t35"."pipeline_revenue",
                    "t35"."days_to_close",
                    "t35"."days_to_close_won",
                    "t35"."_missing_l",
                    "t35"."_key_l",
                    "t33"."key" AS "key_right",
                    "t33"."new_opportunities",
                    "t33"."_missing_r",
                    "t33"."_key_r"
                  FROM (
                    SELECT
                      "t31"."key",
                      "t31"."won",
                      "t31"."lost",
                      "t31"."pipeline_revenue",
                      "t31"."days_to_close",
                      "t31"."days_to_close_won",
                      "t31"."key" IS NULL AS "_missing_l",
                      COALESCE("t31"."key", '') AS "_key_l"
                    FROM (
                      SELECT
                        "t26"."key",
                        SUM(CAST("t26"."stage" = 'won' AS INT)) AS "won",
                        SUM(CAST(NOT (
                          "t26"."stage" = 'won'
                        ) AS INT)) AS "lost",
                        SUM("t26"."close_value") FILTER(WHERE
                          "t26"."stage" = 'won') AS "pipeline_revenue",
                        AVG(CAST("t26"."close_date" - "t26"."engage_date" AS BIGINT)) AS "days_to_close",
                        AVG(CAST("t26"."close_date" - "t26"."engage_date" AS BIGINT)) FILTER(WHERE
                          "t26"."stage" = 'won') AS "days_to_close_won"
                      FROM (
                        SELECT
                          "t23"."opportunity_id",
                          "t23"."customer_id",
                          "t23"."rep_id",
                          "t23"."product_id",
                          "t23"."stage",
                          "t23"."engage_date",
                          "t23"."close_date",
                          "t23"."close_value",
                          "t23"."campaign_id",
                          "t23"."region",
                          "t23"."industry",
                          "t23"."tier",
                          "t23"."customer_type",
                          "t23"."customer_name",
                          "t23"."manager",
                          "t23"."regional_office",
                          "t23"."category",
                          "t23"."rep_id" AS "key"
                        FROM (
                          SELECT
                            *
                          FROM "t19" AS "t20"
                          WHERE
                            "t20"."stage" IN ('won', 'lost')
                            AND "t20"."close_date" IS NOT NULL
                            AND "t20"."close_date" >= CAST($start AS DATE)
                            AND "t20"."close_date" <= CAST($end AS DATE)
                        ) AS "t23"
                      ) AS "t26"
                      GROUP BY
                        1
                    ) AS "t31"
                  ) AS "t35"
                  FULL OUTER JOIN (
                    SELECT
                      "t28"."key",
                      "t28"."new_opportunities",
                      "t28"."key" IS NULL AS "_missing_r",
                      COALESCE("t28"."key", '') AS "_key_r"
                    FROM (
                      SELECT
                        "t25"."key",
                        COUNT(*) AS "new_opportunities"
                      FROM (
                        SELECT
                          "t22"."opportunity_id",
                          "t22"."customer_id",
                          "t22"."rep_id",
                          "t22"."product_id",
                          "t22"."stage",
                          "t22"."engage_date",
                          "t22"."close_date",
                          "t22"."close_value",
                          "t22"."campaign_id",
                          "t22"."region",
                          "t22"."industry",
                          "t22"."tier",
                          "t22"."customer_type",
                          "t22"."customer_name",
                          "t22"."manager",
                          "t22"."regional_office",
                          "t22"."category",
                          "t22"."rep_id" AS "key"
                        FROM (
                          SELECT
                            *
                          FROM "t19" AS "t20"
                          WHERE
                            "t20"."engage_date" IS NOT NULL
                            AND "t20"."engage_date" >= CAST($start AS DATE)
                            AND "t20"."engage_date" <= CAST($end AS DATE)
                        ) AS "t22"
                      ) AS "t25"
                      GROUP BY
                        1
                    ) AS "t28"
                  ) AS "t33"
                    ON "t35"."_missing_l" = "t33"."_missing_r" AND "t35"."_key_l" = "t33"."_key_r"
                ) AS "t36"
              ) AS "t37"
            ) AS "t38"
          ) AS "t40"
          FULL OUTER JOIN (
            SELECT
              "t27"."key",
              "t27"."open",
              "t27"."key" IS NULL AS "_missing_r",
              COALESCE("t27"."key", '') AS "_key_r"
            FROM (
              SELECT
                "t24"."key",
                COUNT(*) AS "open"
              FROM (
                SELECT
                  "t21"."opportunity_id",
                  "t21"."customer_id",
                  "t21"."rep_id",
                  "t21"."product_id",
                  "t21"."stage",
                  "t21"."engage_date",
                  "t21"."close_date",
                  "t21"."close_value",
                  "t21"."campaign_id",
                  "t21"."region",
                  "t21"."industry",
                  "t21"."tier",
                  "t21"."customer_type",
                  "t21"."customer_name",
                  "t21"."manager",
                  "t21"."regional_office",
                  "t21"."category",
                  "t21"."rep_id" AS "key"
                FROM (
                  SELECT
                    *
                  FROM "t19" AS "t20"
                  WHERE
                    "t20"."stage" IN ('prospecting', 'engaging')
                ) AS "t21"
              ) AS "t24"
              GROUP BY
                1
            ) AS "t27"
          ) AS "t32"
            ON "t40"."_missing_l" = "t32"."_missing_r" AND "t40"."_key_l" = "t32"."_key_r"
        ) AS "t41"
      ) AS "t42"
    ) AS "t43"
  ) AS "t44"
) AS "t45"
ORDER BY
  "t45"."rep_id" ASC
