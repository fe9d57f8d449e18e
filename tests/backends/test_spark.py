"""A Spark warehouse opened by URL: the session it builds, its capabilities, and loads refused."""

from __future__ import annotations

import pytest

from marginscope.ingest import IngestError, load_file


def test_the_url_builds_the_session_it_describes(spark_metrics):
    wh = spark_metrics.warehouse
    conf = wh.con._session.sparkContext.getConf()
    assert wh.engine == "pyspark" and wh.url.startswith("spark://local[1]?")
    assert conf.get("spark.master") == "local[1]" and conf.get("spark.app.name") == "marginscope"
    assert wh.con._session.conf.get("spark.sql.shuffle.partitions") == "1"  # from the URL's query
    assert wh.con._session.conf.get("spark.sql.session.timeZone") == "UTC"  # marginscope's default


def test_spark_runs_no_transactions_so_loads_are_refused(spark_metrics, write):
    wh = spark_metrics.warehouse
    assert not wh.supports_transactions and not wh.supports_query_templates
    before = wh.row_counts()["reps"]
    with pytest.raises(IngestError, match="the pyspark engine runs no transactions"):
        load_file(wh, "reps", write("reps.csv", "rep_id,name\nR9,Nobody\n"))
    assert wh.row_counts()["reps"] == before
