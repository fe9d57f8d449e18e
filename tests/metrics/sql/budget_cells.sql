SELECT
  "t1"."period",
  "t1"."measure",
  "t1"."region",
  SUM("t1"."amount") AS "budget"
FROM (
  SELECT
    *
  FROM "budgets" AS "t0"
  WHERE
    "t0"."period" >= DATE_TRUNC('MONTH', CAST($start AS DATE))
    AND "t0"."period" <= CAST($end AS DATE)
    AND LIST_CONTAINS(CAST($regions AS TEXT[]), "t0"."region")
) AS "t1"
GROUP BY
  1,
  2,
  3
