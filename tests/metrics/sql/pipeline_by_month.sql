SELECT
  *
FROM (
  SELECT
    "t33"."key" AS "period",
    "t33"."won",
    "t33"."lost",
    "t33"."closed",
    "t33"."open",
    "t33"."new_opportunities",
    "t33"."pipeline_revenue",
    "t33"."average_sale",
    "t33"."conversion_rate",
    "t33"."days_to_close",
    "t33"."weeks_to_close",
    "t33"."days_to_close_won"
  FROM (
    SELECT
      "t32"."key",
      COALESCE("t32"."won", 0) AS "won",
      COALESCE("t32"."lost", 0) AS "lost",
      COALESCE("t32"."won", 0) + COALESCE("t32"."lost", 0) AS "closed",
      "t32"."open",
      COALESCE("t32"."new_opportunities", 0) AS "new_opportunities",
      CAST(COALESCE("t32"."pipeline_revenue", 0) AS DECIMAL(18, 2)) AS "pipeline_revenue",
      CASE
        WHEN CAST(COALESCE("t32"."won", 0) AS DOUBLE) = 0
        THEN CAST(NULL AS DOUBLE)
        ELSE CAST(COALESCE("t32"."pipeline_revenue", 0) AS DOUBLE) / CAST(COALESCE("t32"."won", 0) AS DOUBLE)
      END AS "average_sale",
      CASE
        WHEN CAST(COALESCE("t32"."won", 0) + COALESCE("t32"."lost", 0) AS DOUBLE) = 0
        THEN CAST(NULL AS DOUBLE)
        ELSE CAST(COALESCE("t32"."won", 0) AS DOUBLE) / CAST(COALESCE("t32"."won", 0) + COALESCE("t32"."lost", 0) AS DOUBLE)
      END AS "conversion_rate",
      "t32"."days_to_close",
      "t32"."days_to_close" / 7 AS "weeks_to_close",
      "t32"."days_to_close_won"
    FROM (
      SELECT
        "t31"."key",
        "t31"."won",
        "t31"."lost",
        "t31"."pipeline_revenue",
        "t31"."days_to_close",
        "t31"."days_to_close_won",
        "t31"."new_opportunities",
        CAST(NULL AS BIGINT) AS "open"
      FROM (
        SELECT
          "t30"."key",
          "t30"."won",
          "t30"."lost",
          "t30"."pipeline_revenue",
          "t30"."days_to_close",
          "t30"."days_to_close_won",
          "t30"."new_opportunities"
        FROM (
          SELECT
            COALESCE("t29"."key", "t29"."key_right") AS "key",
            "t29"."won",
            "t29"."lost",
            "t29"."pipeline_revenue",
            "t29"."days_to_close",
            "t29"."days_to_close_won",
            "t29"."_missing_l",
            "t29"."_key_l",
            "t29"."key_right",
            "t29"."new_opportunities",
            "t29"."_missing_r",
            "t29"."_key_r"
          FROM (
            SELECT
              "t28"."key",
              "t28"."won",
              "t28"."lost",
              "t28"."pipeline_revenue",
              "t28"."days_to_close",
              "t28"."days_to_close_won",
              "t28"."_missing_l",
              "t28"."_key_l",
              "t26"."key" AS "key_right",
              "t26"."new_opportunities",
              "t26"."_missing_r",
              "t26"."_key_r"
            FROM (
              SELECT
                "t25"."key",
                "t25"."won",
                "t25"."lost",
                "t25"."pipeline_revenue",
                "t25"."days_to_close",
                "t25"."days_to_close_won",
                "t25"."key" IS NULL AS "_missing_l",
                COALESCE("t25"."key", MAKE_DATE(1, 1, 1)) AS "_key_l"
              FROM (
                SELECT
                  "t22"."key",
                  SUM(CAST("t22"."stage" = 'won' AS INT)) AS "won",
                  SUM(CAST(NOT (
                    "t22"."stage" = 'won'
                  ) AS INT)) AS "lost",
                  SUM("t22"."close_value") FILTER(WHERE
                    "t22"."stage" = 'won') AS "pipeline_revenue",
                  AVG(CAST("t22"."close_date" - "t22"."engage_date" AS BIGINT)) AS "days_to_close",
                  AVG(CAST("t22"."close_date" - "t22"."engage_date" AS BIGINT)) FILTER(WHERE
                    "t22"."stage" = 'won') AS "days_to_close_won"
                FROM (
                  SELECT
                    "t20"."opportunity_id",
                    "t20"."customer_id",
                    "t20"."rep_id",
                    "t20"."product_id",
                    "t20"."stage",
                    "t20"."engage_date",
                    "t20"."close_date",
                    "t20"."close_value",
                    "t20"."campaign_id",
                    "t20"."region",
                    "t20"."industry",
                    "t20"."tier",
                    "t20"."customer_type",
                    "t20"."customer_name",
                    "t20"."manager",
                    "t20"."regional_office",
                    "t20"."category",
                    DATE_TRUNC('MONTH', "t20"."close_date") AS "key"
                  FROM (
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
                      "t18"."stage" IN ('won', 'lost')
                      AND "t18"."close_date" IS NOT NULL
                      AND "t18"."close_date" >= CAST($start AS DATE)
                      AND "t18"."close_date" <= CAST($end AS DATE)
                  ) AS "t20"
                ) AS "t22"
                GROUP BY
                  1
              ) AS "t25"
            ) AS "t28"
            FULL OUTER JOIN (
              SELECT
                "t23"."key",
                "t23"."new_opportunities",
                "t23"."key" IS NULL AS "_missing_r",
                COALESCE("t23"."key", MAKE_DATE(1, 1, 1)) AS "_key_r"
              FROM (
                SELECT
                  "t21"."key",
                  COUNT(*) AS "new_opportunities"
                FROM (
                  SELECT
                    "t19"."opportunity_id",
                    "t19"."customer_id",
                    "t19"."rep_id",
                    "t19"."product_id",
                    "t19"."stage",
                    "t19"."engage_date",
                    "t19"."close_date",
                    "t19"."close_value",
                    "t19"."campaign_id",
                    "t19"."region",
                    "t19"."industry",
                    "t19"."tier",
                    "t19"."customer_type",
                    "t19"."customer_name",
                    "t19"."manager",
                    "t19"."regional_office",
                    "t19"."category",
                    DATE_TRUNC('MONTH', "t19"."engage_date") AS "key"
                  FROM (
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
                      "t18"."engage_date" IS NOT NULL
                      AND "t18"."engage_date" >= CAST($start AS DATE)
                      AND "t18"."engage_date" <= CAST($end AS DATE)
                  ) AS "t19"
                ) AS "t21"
                GROUP BY
                  1
              ) AS "t23"
            ) AS "t26"
              ON "t28"."_missing_l" = "t26"."_missing_r" AND "t28"."_key_l" = "t26"."_key_r"
          ) AS "t29"
        ) AS "t30"
      ) AS "t31"
    ) AS "t32"
  ) AS "t33"
) AS "t34"
ORDER BY
  "t34"."period" ASC
