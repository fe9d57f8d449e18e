WITH "t35" AS (
  SELECT
    "t17"."campaign_id",
    "t17"."name",
    "t17"."channel",
    "t17"."start_date",
    "t17"."end_date",
    "t17"."cost",
    "t17"."target_segment",
    CAST("t17"."end_date" - "t17"."start_date" AS BIGINT) + 1 AS "days",
    "t17"."start_date" - TO_DAYS(CAST("t17"."end_date" - "t17"."start_date" AS BIGINT) + 1) AS "baseline_start",
    "t17"."start_date" - INTERVAL '1' DAY AS "baseline_end"
  FROM (
    SELECT
      *
    FROM "campaigns" AS "t1"
    WHERE
      "t1"."campaign_id" = 'CA1'
  ) AS "t17"
), "t52" AS (
  SELECT
    "t49"."campaign_id",
    MIN("t49"."priority") AS "priority"
  FROM (
    SELECT
      "t45"."campaign_id",
      "t45"."wanted",
      "t28"."customer_id",
      "t28"."target_attribute",
      "t28"."priority",
      "t28"."value"
    FROM (
      SELECT
        "t36"."campaign_id",
        LOWER(TRIM("t36"."target_segment", ' 	
')) AS "wanted"
      FROM "t35" AS "t36"
    ) AS "t45"
    INNER JOIN (
      SELECT
        *
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t0"."customer_id",
            'tier' AS "target_attribute",
            0 AS "priority",
            LOWER(TRIM("t0"."tier", ' 	
')) AS "value"
          FROM "customers" AS "t0"
        ) AS "t21"
        UNION ALL
        SELECT
          *
        FROM (
          SELECT
            "t0"."customer_id",
            'region' AS "target_attribute",
            1 AS "priority",
            LOWER(TRIM("t0"."region", ' 	
')) AS "value"
          FROM "customers" AS "t0"
        ) AS "t22"
      ) AS "t25"
      UNION ALL
      SELECT
        *
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t0"."customer_id",
            'industry' AS "target_attribute",
            2 AS "priority",
            LOWER(TRIM("t0"."industry", ' 	
')) AS "value"
          FROM "customers" AS "t0"
        ) AS "t23"
        UNION ALL
        SELECT
          *
        FROM (
          SELECT
            "t0"."customer_id",
            'customer_type' AS "target_attribute",
            3 AS "priority",
            LOWER(TRIM("t0"."customer_type", ' 	
')) AS "value"
          FROM "customers" AS "t0"
        ) AS "t24"
      ) AS "t26"
    ) AS "t28"
      ON "t45"."wanted" = "t28"."value"
  ) AS "t49"
  GROUP BY
    1
), "t58" AS (
  SELECT
    "t56"."customer_id",
    COUNT(*) AS "won_deals",
    SUM("t56"."close_value") AS "won_value"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        *
      FROM (
        SELECT
          "t47".*
          EXCLUDE ("product_id_right")
        FROM (
          SELECT
            "t43"."opportunity_id",
            "t43"."customer_id",
            "t43"."rep_id",
            "t43"."product_id",
            "t43"."stage",
            "t43"."engage_date",
            "t43"."close_date",
            "t43"."close_value",
            "t43"."campaign_id",
            "t43"."region",
            "t43"."industry",
            "t43"."tier",
            "t43"."customer_type",
            "t43"."customer_name",
            "t43"."manager",
            "t43"."regional_office",
            "t18"."product_id" AS "product_id_right",
            "t18"."category"
          FROM (
            SELECT
              "t37".*
              EXCLUDE ("rep_id_right")
            FROM (
              SELECT
                "t33"."opportunity_id",
                "t33"."customer_id",
                "t33"."rep_id",
                "t33"."product_id",
                "t33"."stage",
                "t33"."engage_date",
                "t33"."close_date",
                "t33"."close_value",
                "t33"."campaign_id",
                "t33"."region",
                "t33"."industry",
                "t33"."tier",
                "t33"."customer_type",
                "t33"."customer_name",
                "t20"."rep_id" AS "rep_id_right",
                "t20"."manager",
                "t20"."regional_office"
              FROM (
                SELECT
                  "t29".*
                  EXCLUDE ("customer_id_right")
                FROM (
                  SELECT
                    "t6"."opportunity_id",
                    "t6"."customer_id",
                    "t6"."rep_id",
                    "t6"."product_id",
                    "t6"."stage",
                    "t6"."engage_date",
                    "t6"."close_date",
                    "t6"."close_value",
                    "t6"."campaign_id",
                    "t16"."customer_id" AS "customer_id_right",
                    "t16"."region",
                    "t16"."industry",
                    "t16"."tier",
                    "t16"."customer_type",
                    "t16"."customer_name"
                  FROM "opportunities" AS "t6"
                  LEFT OUTER JOIN (
                    SELECT
                      "t0"."customer_id",
                      "t0"."region",
                      "t0"."industry",
                      "t0"."tier",
                      "t0"."customer_type",
                      "t0"."name" AS "customer_name"
                    FROM "customers" AS "t0"
                  ) AS "t16"
                    ON "t6"."customer_id" = "t16"."customer_id"
                ) AS "t29"
              ) AS "t33"
              LEFT OUTER JOIN (
                SELECT
                  "t3"."rep_id",
                  "t3"."manager",
                  "t3"."regional_office"
                FROM "reps" AS "t3"
              ) AS "t20"
                ON "t33"."rep_id" = "t20"."rep_id"
            ) AS "t37"
          ) AS "t43"
          LEFT OUTER JOIN (
            SELECT
              "t2"."product_id",
              "t2"."category"
            FROM "products" AS "t2"
          ) AS "t18"
            ON "t43"."product_id" = "t18"."product_id"
        ) AS "t47"
      ) AS "t48"
      WHERE
        LIST_CONTAINS(CAST($scope AS TEXT[]), "t48"."customer_id")
    ) AS "t50"
    WHERE
      "t50"."stage" = 'won'
      AND "t50"."campaign_id" = 'CA1'
      AND "t50"."customer_id" IS NOT NULL
  ) AS "t56"
  GROUP BY
    1
), "t59" AS (
  SELECT
    "t57"."customer_id",
    SUM("t57"."revenue") AS "attributed_revenue",
    SUM("t57"."cogs_signed") AS "attributed_cogs",
    COUNT(DISTINCT "t57"."order_key") AS "attributed_orders"
  FROM (
    SELECT
      *
    FROM (
      SELECT
        "t46"."invoice_id",
        "t46"."line_no",
        "t46"."kind",
        "t46"."invoice_date",
        "t46"."due_date",
        "t46"."order_id",
        "t46"."customer_id",
        "t46"."product_id",
        "t46"."rep_id",
        "t46"."quantity",
        "t46"."unit_price",
        "t46"."discount_amount",
        "t46"."net_amount",
        "t46"."cogs",
        "t46"."currency",
        "t46"."campaign_id",
        "t46"."region",
        "t46"."industry",
        "t46"."tier",
        "t46"."customer_type",
        "t46"."customer_name",
        "t46"."category",
        "t46"."product_name",
        CASE
          WHEN "t46"."kind" = 'invoice'
          THEN "t46"."quantity" * "t46"."unit_price"
          ELSE CAST(0 AS DECIMAL(18, 4))
        END AS "gross_sales",
        CASE
          WHEN "t46"."kind" = 'invoice'
          THEN CAST(COALESCE("t46"."discount_amount", 0) AS DECIMAL(18, 4))
          ELSE CAST(0 AS DECIMAL(18, 4))
        END AS "discount",
        CASE
          WHEN "t46"."kind" = 'invoice'
          THEN CAST("t46"."net_amount" AS DECIMAL(18, 4))
          ELSE CAST(0 AS DECIMAL(18, 4))
        END AS "invoiced",
        CASE
          WHEN "t46"."kind" = 'invoice'
          THEN CAST(0 AS DECIMAL(18, 4))
          ELSE CAST("t46"."net_amount" AS DECIMAL(18, 4))
        END AS "returns",
        CASE
          WHEN "t46"."kind" = 'invoice'
          THEN CAST("t46"."net_amount" AS DECIMAL(18, 4))
          ELSE -(
            CAST("t46"."net_amount" AS DECIMAL(18, 4))
          )
        END AS "revenue",
        CASE
          WHEN "t46"."kind" = 'invoice'
          THEN CAST(COALESCE("t46"."cogs", 0) AS DECIMAL(18, 4))
          ELSE -(
            CAST(COALESCE("t46"."cogs", 0) AS DECIMAL(18, 4))
          )
        END AS "cogs_signed",
        CASE
          WHEN "t46"."kind" = 'invoice'
          THEN COALESCE("t46"."order_id", "t46"."invoice_id")
          ELSE CAST(NULL AS TEXT)
        END AS "order_key"
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t38".*
            EXCLUDE ("product_id_right")
          FROM (
            SELECT
              "t34"."invoice_id",
              "t34"."line_no",
              "t34"."kind",
              "t34"."invoice_date",
              "t34"."due_date",
              "t34"."order_id",
              "t34"."customer_id",
              "t34"."product_id",
              "t34"."rep_id",
              "t34"."quantity",
              "t34"."unit_price",
              "t34"."discount_amount",
              "t34"."net_amount",
              "t34"."cogs",
              "t34"."currency",
              "t34"."campaign_id",
              "t34"."region",
              "t34"."industry",
              "t34"."tier",
              "t34"."customer_type",
              "t34"."customer_name",
              "t19"."product_id" AS "product_id_right",
              "t19"."category",
              "t19"."product_name"
            FROM (
              SELECT
                "t30".*
                EXCLUDE ("customer_id_right")
              FROM (
                SELECT
                  "t7"."invoice_id",
                  "t7"."line_no",
                  "t7"."kind",
                  "t7"."invoice_date",
                  "t7"."due_date",
                  "t7"."order_id",
                  "t7"."customer_id",
                  "t7"."product_id",
                  "t7"."rep_id",
                  "t7"."quantity",
                  "t7"."unit_price",
                  "t7"."discount_amount",
                  "t7"."net_amount",
                  "t7"."cogs",
                  "t7"."currency",
                  "t7"."campaign_id",
                  "t16"."customer_id" AS "customer_id_right",
                  "t16"."region",
                  "t16"."industry",
                  "t16"."tier",
                  "t16"."customer_type",
                  "t16"."customer_name"
                FROM "invoice_lines" AS "t7"
                LEFT OUTER JOIN (
                  SELECT
                    "t0"."customer_id",
                    "t0"."region",
                    "t0"."industry",
                    "t0"."tier",
                    "t0"."customer_type",
                    "t0"."name" AS "customer_name"
                  FROM "customers" AS "t0"
                ) AS "t16"
                  ON "t7"."customer_id" = "t16"."customer_id"
              ) AS "t30"
            ) AS "t34"
            LEFT OUTER JOIN (
              SELECT
                "t2"."product_id",
                "t2"."category",
                "t2"."name" AS "product_name"
              FROM "products" AS "t2"
            ) AS "t19"
              ON "t34"."product_id" = "t19"."product_id"
          ) AS "t38"
        ) AS "t41"
        WHERE
          LIST_CONTAINS(CAST($scope AS TEXT[]), "t41"."customer_id")
      ) AS "t46"
    ) AS "t51"
    WHERE
      "t51"."campaign_id" = 'CA1'
  ) AS "t57"
  GROUP BY
    1
)
SELECT
  *
FROM (
  SELECT
    "t81"."customer_id",
    "t81"."customer_name",
    "t81"."tier",
    "t81"."region",
    "t81"."industry",
    COALESCE("t81"."in_target", FALSE) AS "in_target",
    CAST(CAST(ROUND(COALESCE("t81"."attributed_revenue", CAST(0 AS DECIMAL(18, 4))), 2) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "attributed_revenue",
    CAST(CAST(ROUND(
      COALESCE("t81"."attributed_revenue", CAST(0 AS DECIMAL(18, 4))) - COALESCE("t81"."attributed_cogs", CAST(0 AS DECIMAL(18, 4))),
      2
    ) AS DECIMAL(38, 2)) AS DECIMAL(18, 2)) AS "attributed_gross_profit",
    COALESCE("t81"."attributed_orders", 0) AS "attributed_orders",
    COALESCE("t81"."won_deals", 0) AS "won_deals",
    CAST(ROUND(COALESCE(CAST("t81"."won_value" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))), 2) AS DECIMAL(18, 2)) AS "won_value"
  FROM (
    SELECT
      "t80".*
      EXCLUDE ("customer_id_right")
    FROM (
      SELECT
        "t79"."customer_id",
        "t79"."tier",
        "t79"."region",
        "t79"."industry",
        "t79"."customer_name",
        "t79"."attributed_revenue",
        "t79"."attributed_cogs",
        "t79"."attributed_orders",
        "t79"."won_deals",
        "t79"."won_value",
        "t73"."customer_id" AS "customer_id_right",
        "t73"."in_target"
      FROM (
        SELECT
          "t77".*
          EXCLUDE ("customer_id_right")
        FROM (
          SELECT
            "t76"."customer_id",
            "t76"."tier",
            "t76"."region",
            "t76"."industry",
            "t76"."customer_name",
            "t76"."attributed_revenue",
            "t76"."attributed_cogs",
            "t76"."attributed_orders",
            "t64"."customer_id" AS "customer_id_right",
            "t64"."won_deals",
            "t64"."won_value"
          FROM (
            SELECT
              "t74".*
              EXCLUDE ("customer_id_right")
            FROM (
              SELECT
                "t71"."customer_id",
                "t15"."tier",
                "t15"."region",
                "t15"."industry",
                "t15"."customer_name",
                "t65"."customer_id" AS "customer_id_right",
                "t65"."attributed_revenue",
                "t65"."attributed_cogs",
                "t65"."attributed_orders"
              FROM (
                SELECT
                  *
                FROM (
                  SELECT
                    "t63"."customer_id"
                  FROM "t59" AS "t63"
                ) AS "t68"
                UNION
                SELECT
                  *
                FROM (
                  SELECT
                    "t62"."customer_id"
                  FROM "t58" AS "t62"
                ) AS "t67"
              ) AS "t71"
              INNER JOIN (
                SELECT
                  "t0"."customer_id",
                  "t0"."tier",
                  "t0"."region",
                  "t0"."industry",
                  "t0"."name" AS "customer_name"
                FROM "customers" AS "t0"
              ) AS "t15"
                ON "t71"."customer_id" = "t15"."customer_id"
              LEFT OUTER JOIN "t59" AS "t65"
                ON "t71"."customer_id" = "t65"."customer_id"
            ) AS "t74"
          ) AS "t76"
          LEFT OUTER JOIN "t58" AS "t64"
            ON "t76"."customer_id" = "t64"."customer_id"
        ) AS "t77"
      ) AS "t79"
      LEFT OUTER JOIN (
        SELECT
          "t69"."customer_id",
          TRUE AS "in_target"
        FROM (
          SELECT
            *
          FROM (
            SELECT
              "t45"."campaign_id",
              "t28"."customer_id",
              "t28"."target_attribute"
            FROM (
              SELECT
                "t36"."campaign_id",
                LOWER(TRIM("t36"."target_segment", ' 	
')) AS "wanted"
              FROM "t35" AS "t36"
            ) AS "t45"
            INNER JOIN (
              SELECT
                *
              FROM (
                SELECT
                  *
                FROM (
                  SELECT
                    "t0"."customer_id",
                    'tier' AS "target_attribute",
                    0 AS "priority",
                    LOWER(TRIM("t0"."tier", ' 	
')) AS "value"
                  FROM "customers" AS "t0"
                ) AS "t21"
                UNION ALL
                SELECT
                  *
                FROM (
                  SELECT
                    "t0"."customer_id",
                    'region' AS "target_attribute",
                    1 AS "priority",
                    LOWER(TRIM("t0"."region", ' 	
')) AS "value"
                  FROM "customers" AS "t0"
                ) AS "t22"
              ) AS "t25"
              UNION ALL
              SELECT
                *
              FROM (
                SELECT
                  *
                FROM (
                  SELECT
                    "t0"."customer_id",
                    'industry' AS "target_attribute",
                    2 AS "priority",
                    LOWER(TRIM("t0"."industry", ' 	
')) AS "value"
                  FROM "customers" AS "t0"
                ) AS "t23"
                UNION ALL
                SELECT
                  *
                FROM (
                  SELECT
                    "t0"."customer_id",
                    'customer_type' AS "target_attribute",
                    3 AS "priority",
                    LOWER(TRIM("t0"."customer_type", ' 	
')) AS "value"
                  FROM "customers" AS "t0"
                ) AS "t24"
              ) AS "t26"
            ) AS "t28"
              ON "t45"."wanted" = "t28"."value"
            INNER JOIN "t52" AS "t54"
              ON "t45"."campaign_id" = "t54"."campaign_id" AND "t28"."priority" = "t54"."priority"
          ) AS "t60"
          UNION ALL
          SELECT
            *
          FROM (
            SELECT
              "t61"."campaign_id",
              "t61"."customer_id",
              'all customers' AS "target_attribute"
            FROM (
              SELECT
                "t42"."campaign_id",
                "t14"."customer_id"
              FROM (
                SELECT
                  "t36"."campaign_id"
                FROM "t35" AS "t36"
              ) AS "t42"
              ANTI JOIN "t52" AS "t55"
                ON "t42"."campaign_id" = "t55"."campaign_id"
              CROSS JOIN (
                SELECT
                  "t0"."customer_id"
                FROM "customers" AS "t0"
              ) AS "t14"
            ) AS "t61"
          ) AS "t66"
        ) AS "t69"
      ) AS "t73"
        ON "t79"."customer_id" = "t73"."customer_id"
    ) AS "t80"
  ) AS "t81"
) AS "t82"
ORDER BY
  "t82"."attributed_revenue" DESC,
  "t82"."won_value" DESC,
  "t82"."customer_id" ASC
