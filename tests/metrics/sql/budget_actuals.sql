SELECT
  "t2"."period",
  SUM("t2"."revenue") AS "revenue",
  SUM("t2"."revenue") - SUM("t2"."cogs_signed") AS "gross_profit"
FROM (
  SELECT
    "t1"."invoice_date",
    "t1"."region",
    "t1"."industry",
    "t1"."tier",
    "t1"."customer_type",
    "t1"."gross_sales",
    "t1"."discount",
    "t1"."invoiced",
    "t1"."returns",
    "t1"."revenue",
    "t1"."cogs_signed",
    "t1"."orders",
    "t1"."active_customers",
    DATE_TRUNC('MONTH', "t1"."invoice_date") AS "period"
  FROM (
    SELECT
      *
    FROM "ms_segment_month" AS "t0"
    WHERE
      "t0"."invoice_date" >= CAST($start AS DATE)
      AND "t0"."invoice_date" <= CAST($end AS DATE)
  ) AS "t1"
) AS "t2"
GROUP BY
  1
