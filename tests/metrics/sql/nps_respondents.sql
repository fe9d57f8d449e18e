SELECT
  *
FROM (
  SELECT
    "t10"."customer_id",
    "t10"."customer_name",
    "t10"."tier",
    "t10"."region",
    "t10"."industry",
    "t10"."customer_type",
    "t10"."owner_rep_id",
    "t10"."responses",
    "t10"."response_date" AS "last_response_date",
    "t10"."score",
    "t10"."category"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t8"."customer_id",
        "t8"."response_date",
        "t8"."score",
        "t8"."comment",
        "t8"."tier",
        "t8"."region",
        "t8"."industry",
        "t8"."customer_type",
        "t8"."owner_rep_id",
        "t8"."customer_name",
        "t8"."category",
        ROW_NUMBER() OVER (
          PARTITION BY "t8"."customer_id"
          ORDER BY "t8"."response_date" DESC
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
        ) - 1 AS "newest",
        COUNT(*) OVER (
          PARTITION BY "t8"."customer_id"
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
        ) AS "responses"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t6"."customer_id",
            "t6"."response_date",
            "t6"."score",
            "t6"."comment",
            "t6"."tier",
            "t6"."region",
            "t6"."industry",
            "t6"."customer_type",
            "t6"."owner_rep_id",
            "t6"."customer_name",
            CASE
              WHEN "t6"."score" >= 9
              THEN 'promoter'
              WHEN "t6"."score" >= 7
              THEN 'passive'
              ELSE 'detractor'
            END AS "category"
          FROM (
            SELECT
              *
            FROM (
              SELECT
                "t2"."customer_id",
                "t2"."response_date",
                "t2"."score",
                "t2"."comment",
                "t4"."tier",
                "t4"."region",
                "t4"."industry",
                "t4"."customer_type",
                "t4"."owner_rep_id",
                "t4"."customer_name"
              FROM "nps_responses" AS "t2"
              INNER JOIN (
                SELECT
                  "t1"."customer_id",
                  "t1"."tier",
                  "t1"."region",
                  "t1"."industry",
                  "t1"."customer_type",
                  "t1"."owner_rep_id",
                  "t1"."name" AS "customer_name"
                FROM "customers" AS "t1"
              ) AS "t4"
                ON "t2"."customer_id" = "t4"."customer_id"
            ) AS "t5"
            WHERE
              LIST_CONTAINS(CAST($regions AS TEXT[]), "t5"."region")
              AND "t5"."response_date" >= CAST($start AS DATE)
              AND "t5"."response_date" <= CAST($end AS DATE)
          ) AS "t6"
        ) AS "t7"
        ORDER BY
          "t7"."response_date" DESC,
          "t7"."customer_id" ASC
      ) AS "t8"
    ) AS "t9"
    WHERE
      "t9"."newest" = 0
  ) AS "t10"
) AS "t11"
ORDER BY
  "t11"."customer_id" ASC
