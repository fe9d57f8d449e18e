WITH "t35" AS (
  SELECT
    "t16"."campaign_id",
    "t16"."name",
    "t16"."channel",
    "t16"."start_date",
    "t16"."end_date",
    "t16"."cost",
    "t16"."target_segment",
    CAST("t16"."end_date" - "t16"."start_date" AS BIGINT) + 1 AS "days",
    "t16"."start_date" - TO_DAYS(CAST("t16"."end_date" - "t16"."start_date" AS BIGINT) + 1) AS "baseline_start",
    "t16"."start_date" - INTERVAL '1' DAY AS "baseline_end"
  FROM (
    SELECT
      *
    FROM "campaigns" AS "t2"
    WHERE
      "t2"."end_date" >= CAST($start AS DATE)
      AND "t2"."start_date" <= CAST($end AS DATE)
  ) AS "t16"
), "t50" AS (
  SELECT
    "t42"."invoice_id",
    "t42"."line_no",
    "t42"."kind",
    "t42"."invoice_date",
    "t42"."due_date",
    "t42"."order_id",
    "t42"."customer_id",
    "t42"."product_id",
    "t42"."rep_id",
    "t42"."quantity",
    "t42"."unit_price",
    "t42"."discount_amount",
    "t42"."net_amount",
    "t42"."cogs",
    "t42"."currency",
    "t42"."campaign_id",
    "t42"."region",
    "t42"."industry",
    "t42"."tier",
    "t42"."customer_type",
    "t42"."customer_name",
    "t42"."category",
    "t42"."product_name",
    CASE
      WHEN "t42"."kind" = 'invoice'
      THEN "t42"."quantity" * "t42"."unit_price"
      ELSE CAST(0 AS DECIMAL(18, 4))
    END AS "gross_sales",
    CASE
      WHEN "t42"."kind" = 'invoice'
      THEN CAST(COALESCE("t42"."discount_amount", 0) AS DECIMAL(18, 4))
      ELSE CAST(0 AS DECIMAL(18, 4))
    END AS "discount",
    CASE
      WHEN "t42"."kind" = 'invoice'
      THEN CAST("t42"."net_amount" AS DECIMAL(18, 4))
      ELSE CAST(0 AS DECIMAL(18, 4))
    END AS "invoiced",
    CASE
      WHEN "t42"."kind" = 'invoice'
      THEN CAST(0 AS DECIMAL(18, 4))
      ELSE CAST("t42"."net_amount" AS DECIMAL(18, 4))
    END AS "returns",
    CASE
      WHEN "t42"."kind" = 'invoice'
      THEN CAST("t42"."net_amount" AS DECIMAL(18, 4))
      ELSE -(
        CAST("t42"."net_amount" AS DECIMAL(18, 4))
      )
    END AS "revenue",
    CASE
      WHEN "t42"."kind" = 'invoice'
      THEN CAST(COALESCE("t42"."cogs", 0) AS DECIMAL(18, 4))
      ELSE -(
        CAST(COALESCE("t42"."cogs", 0) AS DECIMAL(18, 4))
      )
    END AS "cogs_signed",
    CASE
      WHEN "t42"."kind" = 'invoice'
      THEN COALESCE("t42"."order_id", "t42"."invoice_id")
      ELSE CAST(NULL AS TEXT)
    END AS "order_key"
  FROM (
    SELECT
      "t38".*
      EXCLUDE ("product_id_right")
    FROM (
      SELECT
        "t33"."invoice_id",
        "t33"."line_no",
        "t33"."kind",
        "t33"."invoice_date",
        "t33"."due_date",
        "t33"."order_id",
        "t33"."customer_id",
        "t33"."product_id",
        "t33"."rep_id",
        "t33"."quantity",
        "t33"."unit_price",
        "t33"."discount_amount",
        "t33"."net_amount",
        "t33"."cogs",
        "t33"."currency",
        "t33"."campaign_id",
        "t33"."region",
        "t33"."industry",
        "t33"."tier",
        "t33"."customer_type",
        "t33"."customer_name",
        "t18"."product_id" AS "product_id_right",
        "t18"."category",
        "t18"."product_name"
      FROM (
        SELECT
          "t29".*
          EXCLUDE ("customer_id_right")
        FROM (
          SELECT
            "t6"."invoice_id",
            "t6"."line_no",
            "t6"."kind",
            "t6"."invoice_date",
            "t6"."due_date",
            "t6"."order_id",
            "t6"."customer_id",
            "t6"."product_id",
            "t6"."rep_id",
            "t6"."quantity",
            "t6"."unit_price",
            "t6"."discount_amount",
            "t6"."net_amount",
            "t6"."cogs",
            "t6"."currency",
            "t6"."campaign_id",
            "t15"."customer_id" AS "customer_id_right",
            "t15"."region",
            "t15"."industry",
            "t15"."tier",
            "t15"."customer_type",
            "t15"."customer_name"
          FROM "invoice_lines" AS "t6"
          LEFT OUTER JOIN (
            SELECT
              "t1"."customer_id",
              "t1"."region",
              "t1"."industry",
              "t1"."tier",
              "t1"."customer_type",
              "t1"."name" AS "customer_name"
            FROM "customers" AS "t1"
          ) AS "t15"
            ON "t6"."customer_id" = "t15"."customer_id"
        ) AS "t29"
      ) AS "t33"
      LEFT OUTER JOIN (
        SELECT
          "t3"."product_id",
          "t3"."category",
          "t3"."name" AS "product_name"
        FROM "products" AS "t3"
      ) AS "t18"
        ON "t33"."product_id" = "t18"."product_id"
    ) AS "t38"
  ) AS "t42"
), "t54" AS (
  SELECT
    *
  FROM (
    SELECT
      "t49".*
      EXCLUDE ("product_id_right")
    FROM (
      SELECT
        "t46"."opportunity_id",
        "t46"."customer_id",
        "t46"."rep_id",
        "t46"."product_id",
        "t46"."stage",
        "t46"."engage_date",
        "t46"."close_date",
        "t46"."close_value",
        "t46"."campaign_id",
        "t46"."region",
        "t46"."industry",
        "t46"."tier",
        "t46"."customer_type",
        "t46"."customer_name",
        "t46"."manager",
        "t46"."regional_office",
        "t17"."product_id" AS "product_id_right",
        "t17"."category"
      FROM (
        SELECT
          "t39".*
          EXCLUDE ("rep_id_right")
        FROM (
          SELECT
            "t34"."opportunity_id",
            "t34"."customer_id",
            "t34"."rep_id",
            "t34"."product_id",
            "t34"."stage",
            "t34"."engage_date",
            "t34"."close_date",
            "t34"."close_value",
            "t34"."campaign_id",
            "t34"."region",
            "t34"."industry",
            "t34"."tier",
            "t34"."customer_type",
            "t34"."customer_name",
            "t19"."rep_id" AS "rep_id_right",
            "t19"."manager",
            "t19"."regional_office"
          FROM (
            SELECT
              "t30".*
              EXCLUDE ("customer_id_right")
            FROM (
              SELECT
                "t7"."opportunity_id",
                "t7"."customer_id",
                "t7"."rep_id",
                "t7"."product_id",
                "t7"."stage",
                "t7"."engage_date",
                "t7"."close_date",
                "t7"."close_value",
                "t7"."campaign_id",
                "t15"."customer_id" AS "customer_id_right",
                "t15"."region",
                "t15"."industry",
                "t15"."tier",
                "t15"."customer_type",
                "t15"."customer_name"
              FROM "opportunities" AS "t7"
              LEFT OUTER JOIN (
                SELECT
                  "t1"."customer_id",
                  "t1"."region",
                  "t1"."industry",
                  "t1"."tier",
                  "t1"."customer_type",
                  "t1"."name" AS "customer_name"
                FROM "customers" AS "t1"
              ) AS "t15"
                ON "t7"."customer_id" = "t15"."customer_id"
            ) AS "t30"
          ) AS "t34"
          LEFT OUTER JOIN (
            SELECT
              "t4"."rep_id",
              "t4"."manager",
              "t4"."regional_office"
            FROM "reps" AS "t4"
          ) AS "t19"
            ON "t34"."rep_id" = "t19"."rep_id"
        ) AS "t39"
      ) AS "t46"
      LEFT OUTER JOIN (
        SELECT
          "t3"."product_id",
          "t3"."category"
        FROM "products" AS "t3"
      ) AS "t17"
        ON "t46"."product_id" = "t17"."product_id"
    ) AS "t49"
  ) AS "t51"
  WHERE
    "t51"."stage" = 'won' AND "t51"."campaign_id" IS NOT NULL
), "t55" AS (
  SELECT
    "t52"."campaign_id",
    MIN("t52"."priority") AS "priority"
  FROM (
    SELECT
      "t48"."campaign_id",
      "t48"."wanted",
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
    ) AS "t48"
    INNER JOIN (
      SELECT
        *
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t1"."customer_id",
            'tier' AS "target_attribute",
            0 AS "priority",
            LOWER(TRIM("t1"."tier", ' 	
')) AS "value"
          FROM "customers" AS "t1"
        ) AS "t23"
        UNION ALL
        SELECT
          *
        FROM (
          SELECT
            "t1"."customer_id",
            'region' AS "target_attribute",
            1 AS "priority",
            LOWER(TRIM("t1"."region", ' 	
')) AS "value"
          FROM "customers" AS "t1"
        ) AS "t21"
      ) AS "t25"
      UNION ALL
      SELECT
        *
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t1"."customer_id",
            'industry' AS "target_attribute",
            2 AS "priority",
            LOWER(TRIM("t1"."industry", ' 	
')) AS "value"
          FROM "customers" AS "t1"
        ) AS "t22"
        UNION ALL
        SELECT
          *
        FROM (
          SELECT
            "t1"."customer_id",
            'customer_type' AS "target_attribute",
            3 AS "priority",
            LOWER(TRIM("t1"."customer_type", ' 	
')) AS "value"
          FROM "customers" AS "t1"
        ) AS "t24"
      ) AS "t26"
    ) AS "t28"
      ON "t48"."wanted" = "t28"."value"
  ) AS "t52"
  GROUP BY
    1
), "t57" AS (
  SELECT
    *
  FROM "t50" AS "t53"
  WHERE
    "t53"."campaign_id" IS NOT NULL
), "t75" AS (
  SELECT
    *
  FROM (
    SELECT
      "t48"."campaign_id",
      "t28"."customer_id",
      "t28"."target_attribute"
    FROM (
      SELECT
        "t36"."campaign_id",
        LOWER(TRIM("t36"."target_segment", ' 	
')) AS "wanted"
      FROM "t35" AS "t36"
    ) AS "t48"
    INNER JOIN (
      SELECT
        *
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t1"."customer_id",
            'tier' AS "target_attribute",
            0 AS "priority",
            LOWER(TRIM("t1"."tier", ' 	
')) AS "value"
          FROM "customers" AS "t1"
        ) AS "t23"
        UNION ALL
        SELECT
          *
        FROM (
          SELECT
            "t1"."customer_id",
            'region' AS "target_attribute",
            1 AS "priority",
            LOWER(TRIM("t1"."region", ' 	
')) AS "value"
          FROM "customers" AS "t1"
        ) AS "t21"
      ) AS "t25"
      UNION ALL
      SELECT
        *
      FROM (
        SELECT
          *
        FROM (
          SELECT
            "t1"."customer_id",
            'industry' AS "target_attribute",
            2 AS "priority",
            LOWER(TRIM("t1"."industry", ' 	
')) AS "value"
          FROM "customers" AS "t1"
        ) AS "t22"
        UNION ALL
        SELECT
          *
        FROM (
          SELECT
            "t1"."customer_id",
            'customer_type' AS "target_attribute",
            3 AS "priority",
            LOWER(TRIM("t1"."customer_type", ' 	
')) AS "value"
          FROM "customers" AS "t1"
        ) AS "t24"
      ) AS "t26"
    ) AS "t28"
      ON "t48"."wanted" = "t28"."value"
    INNER JOIN "t55" AS "t62"
      ON "t48"."campaign_id" = "t62"."campaign_id" AND "t28"."priority" = "t62"."priority"
  ) AS "t71"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t72"."campaign_id",
      "t72"."customer_id",
      'all customers' AS "target_attribute"
    FROM (
      SELECT
        "t44"."campaign_id",
        "t14"."customer_id"
      FROM (
        SELECT
          "t36"."campaign_id"
        FROM "t35" AS "t36"
      ) AS "t44"
      ANTI JOIN "t55" AS "t63"
        ON "t44"."campaign_id" = "t63"."campaign_id"
      CROSS JOIN (
        SELECT
          "t1"."customer_id"
        FROM "customers" AS "t1"
      ) AS "t14"
    ) AS "t72"
  ) AS "t74"
)
SELECT
  *
FROM (
  SELECT
    "t107"."campaign_id",
    "t107"."name",
    "t107"."channel",
    "t107"."start_date",
    "t107"."end_date",
    "t107"."days",
    "t107"."baseline_start",
    "t107"."baseline_end",
    "t107"."target_segment",
    COALESCE("t107"."target_attribute", 'all customers') AS "target_attribute",
    COALESCE("t107"."target_customers", 0) AS "target_customers",
    "t107"."cost",
    CAST(ROUND("t107"."cost", 2) AS DECIMAL(18, 2)) AS "cost_in_selection",
    CAST(ROUND(
      COALESCE(CAST("t107"."attributed_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))),
      2
    ) AS DECIMAL(18, 2)) AS "attributed_revenue",
    CAST(ROUND(
      COALESCE(CAST("t107"."attributed_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))) - COALESCE(CAST("t107"."attributed_cogs" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))),
      2
    ) AS DECIMAL(18, 2)) AS "attributed_gross_profit",
    COALESCE("t107"."attributed_orders", 0) AS "attributed_orders",
    COALESCE("t107"."won_deals", 0) AS "won_deals",
    CAST(ROUND(COALESCE(CAST("t107"."won_value" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))), 2) AS DECIMAL(18, 2)) AS "won_value",
    COALESCE("t107"."customers_reached", 0) AS "customers_reached",
    CAST(ROUND(
      COALESCE(CAST("t107"."target_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))),
      2
    ) AS DECIMAL(18, 2)) AS "target_revenue",
    CAST(ROUND(
      COALESCE(CAST("t107"."baseline_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))),
      2
    ) AS DECIMAL(18, 2)) AS "baseline_revenue",
    CAST(ROUND(
      COALESCE(CAST("t107"."target_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))) - COALESCE(CAST("t107"."baseline_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))),
      2
    ) AS DECIMAL(18, 2)) AS "lift",
    CASE
      WHEN CAST(ABS(
        COALESCE(CAST("t107"."baseline_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4)))
      ) AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST(COALESCE(CAST("t107"."target_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))) - COALESCE(CAST("t107"."baseline_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))) AS DOUBLE) / CAST(ABS(
        COALESCE(CAST("t107"."baseline_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4)))
      ) AS DOUBLE)
    END AS "lift_pct",
    CAST(ROUND(
      COALESCE(CAST("t107"."target_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))) - COALESCE(CAST("t107"."target_cogs" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))),
      2
    ) AS DECIMAL(18, 2)) AS "target_gross_profit",
    CAST(ROUND(
      COALESCE(CAST("t107"."baseline_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))) - COALESCE(CAST("t107"."baseline_cogs" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))),
      2
    ) AS DECIMAL(18, 2)) AS "baseline_gross_profit",
    CAST(ROUND(
      (
        COALESCE(CAST("t107"."target_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))) - COALESCE(CAST("t107"."target_cogs" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4)))
      ) - (
        COALESCE(CAST("t107"."baseline_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))) - COALESCE(CAST("t107"."baseline_cogs" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4)))
      ),
      2
    ) AS DECIMAL(18, 2)) AS "incremental_gross_profit",
    CASE
      WHEN CAST("t107"."cost" AS DOUBLE) = 0
      THEN CAST(NULL AS DOUBLE)
      ELSE CAST((
        (
          COALESCE(CAST("t107"."target_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))) - COALESCE(CAST("t107"."target_cogs" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4)))
        ) - (
          COALESCE(CAST("t107"."baseline_revenue" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4))) - COALESCE(CAST("t107"."baseline_cogs" AS DECIMAL(18, 4)), CAST(0 AS DECIMAL(18, 4)))
        )
      ) - CAST("t107"."cost" AS DECIMAL(18, 4)) AS DOUBLE) / CAST("t107"."cost" AS DOUBLE)
    END AS "roi",
    (
      "t20"."first_invoice" <= "t107"."baseline_start"
    )
    AND (
      "t20"."last_invoice" >= "t107"."end_date"
    ) AS "complete"
  FROM (
    SELECT
      "t105".*
      EXCLUDE ("campaign_id_right")
    FROM (
      SELECT
        "t104"."campaign_id",
        "t104"."name",
        "t104"."channel",
        "t104"."start_date",
        "t104"."end_date",
        "t104"."cost",
        "t104"."target_segment",
        "t104"."days",
        "t104"."baseline_start",
        "t104"."baseline_end",
        "t104"."attributed_revenue",
        "t104"."attributed_cogs",
        "t104"."attributed_orders",
        "t104"."won_deals",
        "t104"."won_value",
        "t104"."customers_reached",
        "t104"."all_target_customers",
        "t104"."target_attribute",
        "t104"."target_customers",
        "t98"."campaign_id" AS "campaign_id_right",
        "t98"."target_revenue",
        "t98"."target_cogs",
        "t98"."baseline_revenue",
        "t98"."baseline_cogs"
      FROM (
        SELECT
          "t102".*
          EXCLUDE ("campaign_id_right")
        FROM (
          SELECT
            "t101"."campaign_id",
            "t101"."name",
            "t101"."channel",
            "t101"."start_date",
            "t101"."end_date",
            "t101"."cost",
            "t101"."target_segment",
            "t101"."days",
            "t101"."baseline_start",
            "t101"."baseline_end",
            "t101"."attributed_revenue",
            "t101"."attributed_cogs",
            "t101"."attributed_orders",
            "t101"."won_deals",
            "t101"."won_value",
            "t101"."customers_reached",
            "t101"."all_target_customers",
            "t101"."target_attribute",
            "t91"."campaign_id" AS "campaign_id_right",
            "t91"."target_customers"
          FROM (
            SELECT
              "t99".*
              EXCLUDE ("campaign_id_right")
            FROM (
              SELECT
                "t96"."campaign_id",
                "t96"."name",
                "t96"."channel",
                "t96"."start_date",
                "t96"."end_date",
                "t96"."cost",
                "t96"."target_segment",
                "t96"."days",
                "t96"."baseline_start",
                "t96"."baseline_end",
                "t96"."attributed_revenue",
                "t96"."attributed_cogs",
                "t96"."attributed_orders",
                "t96"."won_deals",
                "t96"."won_value",
                "t96"."customers_reached",
                "t84"."campaign_id" AS "campaign_id_right",
                "t84"."all_target_customers",
                "t84"."target_attribute"
              FROM (
                SELECT
                  "t94".*
                  EXCLUDE ("campaign_id_right")
                FROM (
                  SELECT
                    "t90"."campaign_id",
                    "t90"."name",
                    "t90"."channel",
                    "t90"."start_date",
                    "t90"."end_date",
                    "t90"."cost",
                    "t90"."target_segment",
                    "t90"."days",
                    "t90"."baseline_start",
                    "t90"."baseline_end",
                    "t90"."attributed_revenue",
                    "t90"."attributed_cogs",
                    "t90"."attributed_orders",
                    "t90"."won_deals",
                    "t90"."won_value",
                    "t80"."campaign_id" AS "campaign_id_right",
                    "t80"."customers_reached"
                  FROM (
                    SELECT
                      "t87".*
                      EXCLUDE ("campaign_id_right")
                    FROM (
                      SELECT
                        "t82"."campaign_id",
                        "t82"."name",
                        "t82"."channel",
                        "t82"."start_date",
                        "t82"."end_date",
                        "t82"."cost",
                        "t82"."target_segment",
                        "t82"."days",
                        "t82"."baseline_start",
                        "t82"."baseline_end",
                        "t82"."attributed_revenue",
                        "t82"."attributed_cogs",
                        "t82"."attributed_orders",
                        "t68"."campaign_id" AS "campaign_id_right",
                        "t68"."won_deals",
                        "t68"."won_value"
                      FROM (
                        SELECT
                          "t76".*
                          EXCLUDE ("campaign_id_right")
                        FROM (
                          SELECT
                            "t37"."campaign_id",
                            "t37"."name",
                            "t37"."channel",
                            "t37"."start_date",
                            "t37"."end_date",
                            "t37"."cost",
                            "t37"."target_segment",
                            "t37"."days",
                            "t37"."baseline_start",
                            "t37"."baseline_end",
                            "t69"."campaign_id" AS "campaign_id_right",
                            "t69"."attributed_revenue",
                            "t69"."attributed_cogs",
                            "t69"."attributed_orders"
                          FROM "t35" AS "t37"
                          LEFT OUTER JOIN (
                            SELECT
                              "t61"."campaign_id",
                              SUM("t61"."revenue") AS "attributed_revenue",
                              SUM("t61"."cogs_signed") AS "attributed_cogs",
                              COUNT(DISTINCT "t61"."order_key") AS "attributed_orders"
                            FROM "t57" AS "t61"
                            GROUP BY
                              1
                          ) AS "t69"
                            ON "t37"."campaign_id" = "t69"."campaign_id"
                        ) AS "t76"
                      ) AS "t82"
                      LEFT OUTER JOIN (
                        SELECT
                          "t58"."campaign_id",
                          COUNT(*) AS "won_deals",
                          SUM("t58"."close_value") AS "won_value"
                        FROM "t54" AS "t58"
                        GROUP BY
                          1
                      ) AS "t68"
                        ON "t82"."campaign_id" = "t68"."campaign_id"
                    ) AS "t87"
                  ) AS "t90"
                  LEFT OUTER JOIN (
                    SELECT
                      "t73"."campaign_id",
                      COUNT(DISTINCT "t73"."customer_id") AS "customers_reached"
                    FROM (
                      SELECT
                        *
                      FROM (
                        SELECT
                          "t61"."campaign_id",
                          "t61"."customer_id"
                        FROM "t57" AS "t61"
                      ) AS "t64"
                      UNION ALL
                      SELECT
                        *
                      FROM (
                        SELECT
                          "t65"."campaign_id",
                          "t65"."customer_id"
                        FROM (
                          SELECT
                            *
                          FROM "t54" AS "t58"
                          WHERE
                            "t58"."customer_id" IS NOT NULL
                        ) AS "t65"
                      ) AS "t70"
                    ) AS "t73"
                    GROUP BY
                      1
                  ) AS "t80"
                    ON "t90"."campaign_id" = "t80"."campaign_id"
                ) AS "t94"
              ) AS "t96"
              LEFT OUTER JOIN (
                SELECT
                  "t78"."campaign_id",
                  COUNT(*) AS "all_target_customers",
                  MAX("t78"."target_attribute") AS "target_attribute"
                FROM "t75" AS "t78"
                GROUP BY
                  1
              ) AS "t84"
                ON "t96"."campaign_id" = "t84"."campaign_id"
            ) AS "t99"
          ) AS "t101"
          LEFT OUTER JOIN (
            SELECT
              "t85"."campaign_id",
              COUNT(*) AS "target_customers"
            FROM (
              SELECT
                "t81"."campaign_id",
                "t81"."customer_id",
                "t81"."target_attribute",
                "t15"."region",
                "t15"."industry",
                "t15"."tier",
                "t15"."customer_type",
                "t15"."customer_name"
              FROM "t75" AS "t81"
              INNER JOIN (
                SELECT
                  "t1"."customer_id",
                  "t1"."region",
                  "t1"."industry",
                  "t1"."tier",
                  "t1"."customer_type",
                  "t1"."name" AS "customer_name"
                FROM "customers" AS "t1"
              ) AS "t15"
                ON "t81"."customer_id" = "t15"."customer_id"
            ) AS "t85"
            GROUP BY
              1
          ) AS "t91"
            ON "t101"."campaign_id" = "t91"."campaign_id"
        ) AS "t102"
      ) AS "t104"
      LEFT OUTER JOIN (
        SELECT
          "t93"."campaign_id",
          SUM("t93"."revenue") FILTER(WHERE
            "t93"."during") AS "target_revenue",
          SUM("t93"."cogs") FILTER(WHERE
            "t93"."during") AS "target_cogs",
          SUM("t93"."revenue") FILTER(WHERE
            NOT (
              "t93"."during"
            )) AS "baseline_revenue",
          SUM("t93"."cogs") FILTER(WHERE
            NOT (
              "t93"."during"
            )) AS "baseline_cogs"
        FROM (
          SELECT
            "t92"."campaign_id",
            "t92"."invoice_date",
            "t92"."during",
            SUM("t92"."revenue") AS "revenue",
            SUM("t92"."cogs") AS "cogs"
          FROM (
            SELECT
              "t86"."campaign_id",
              "t86"."customer_id",
              "t86"."start_date",
              "t86"."end_date",
              "t86"."baseline_start",
              "t86"."customer_id_right",
              "t86"."invoice_date",
              "t86"."revenue",
              "t86"."cogs",
              "t86"."invoice_date" >= "t86"."start_date" AS "during"
            FROM (
              SELECT
                "t81"."campaign_id",
                "t81"."customer_id",
                "t45"."start_date",
                "t45"."end_date",
                "t45"."baseline_start",
                "t60"."customer_id" AS "customer_id_right",
                "t60"."invoice_date",
                "t60"."revenue",
                "t60"."cogs"
              FROM "t75" AS "t81"
              INNER JOIN (
                SELECT
                  "t1"."customer_id",
                  "t1"."region",
                  "t1"."industry",
                  "t1"."tier",
                  "t1"."customer_type",
                  "t1"."name" AS "customer_name"
                FROM "customers" AS "t1"
              ) AS "t15"
                ON "t81"."customer_id" = "t15"."customer_id"
              INNER JOIN (
                SELECT
                  "t36"."campaign_id",
                  "t36"."start_date",
                  "t36"."end_date",
                  "t36"."baseline_start"
                FROM "t35" AS "t36"
              ) AS "t45"
                ON "t81"."campaign_id" = "t45"."campaign_id"
              INNER JOIN (
                SELECT
                  "t53"."customer_id",
                  "t53"."invoice_date",
                  SUM("t53"."revenue") AS "revenue",
                  SUM("t53"."cogs_signed") AS "cogs"
                FROM "t50" AS "t53"
                GROUP BY
                  1,
                  2
              ) AS "t60"
                ON "t81"."customer_id" = "t60"."customer_id"
                AND "t60"."invoice_date" >= "t45"."baseline_start"
                AND "t60"."invoice_date" <= "t45"."end_date"
            ) AS "t86"
          ) AS "t92"
          GROUP BY
            1,
            2,
            3
        ) AS "t93"
        GROUP BY
          1
      ) AS "t98"
        ON "t104"."campaign_id" = "t98"."campaign_id"
    ) AS "t105"
  ) AS "t107"
  CROSS JOIN (
    SELECT
      MIN("t0"."invoice_date") AS "first_invoice",
      MAX("t0"."invoice_date") AS "last_invoice"
    FROM "invoice_lines" AS "t0"
  ) AS "t20"
) AS "t108"
ORDER BY
  "t108"."start_date" ASC,
  "t108"."campaign_id" ASC
