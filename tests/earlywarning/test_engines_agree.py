"""The same engine expressions on DuckDB and on PySpark (local mode) give the same features, and so the same
scores: an agency can move from one machine to a cluster without its warnings changing."""

import datetime as dt
import importlib.util
import math
import shutil

import ibis
import pytest

from naikkelas.earlywarning.engine.features import features
from naikkelas.earlywarning.engine.model import Model
from naikkelas.earlywarning.engine.scores import baseline
from tests.conftest import require
from tests.earlywarning.test_engine_features import START, shop, tables


@pytest.fixture(scope="module")
def spark():
    require(importlib.util.find_spec("pyspark") is not None, "PySpark is not installed: pip install -e '.[spark]'")
    require(shutil.which("java") is not None, "PySpark needs Java 17 (Debian: openjdk-17-jre-headless)")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]").appName("naikkelas-tests")
        .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4").config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield ibis.pyspark.connect(session)
    session.stop()


def same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12))
    return a == b


def test_duckdb_and_pyspark_give_the_same_features_and_scores(spark):
    rows = (
        shop(1, 500) + shop(2, 200, seed=2) + shop(3, 500, closed_after=420, seed=3)
        + shop(4, 480, seed=4, kategori="I") + shop(5, 500, seed=5, regency="34.71")
    )
    expression = features(*tables(rows), [START + dt.timedelta(days=n) for n in range(99, 500, 10)])
    on_duckdb = {(r["business_id"], r["as_of"]): r for r in ibis.duckdb.connect().to_pyarrow(expression).to_pylist()}
    on_spark = {(r["business_id"], r["as_of"]): r for r in spark.to_pyarrow(expression).to_pylist()}
    assert set(on_duckdb) == set(on_spark) and len(on_duckdb) == 5 * 41
    for key, row in on_duckdb.items():
        for column, value in row.items():
            assert same(value, on_spark[key][column]), (key, column, value, on_spark[key][column])
    # and so the scores: the baseline's and a model's, with their reasons
    keys = sorted(on_duckdb)
    closing = [k[0] == 3 and 330 <= (k[1] - START).days <= 420 for k in keys]  # business 3 stops on day 420
    model = Model.train([on_duckdb[k] for k in keys], closing)
    assert len(set(model.predict([on_duckdb[k] for k in keys])[0])) > 1  # a model that tells rows apart
    for engine in (on_duckdb, on_spark):
        assert [baseline(engine[k]) for k in keys] == [baseline(on_duckdb[k]) for k in keys]
    assert model.predict([on_spark[k] for k in keys]) == model.predict([on_duckdb[k] for k in keys])


def test_scoring_one_day_gives_the_same_features_on_both(spark):
    # One day is read without joining the days asked (the rows are chosen by constants), so it is checked apart.
    rows = shop(1, 500) + shop(2, 200, seed=2) + shop(3, 500, closed_after=420, seed=3) + shop(4, 480, seed=4)
    expression = features(*tables(rows), [START + dt.timedelta(days=470)])
    on_duckdb = ibis.duckdb.connect().to_pyarrow(expression).to_pylist()
    on_spark = {r["business_id"]: r for r in spark.to_pyarrow(expression).to_pylist()}
    assert len(on_duckdb) == len(on_spark) == 4
    for row in on_duckdb:
        for column, value in row.items():
            assert same(value, on_spark[row["business_id"]][column]), (row["business_id"], column, value)
