"""The baseline scored a column at a time (engine/scores.py, baseline_probabilities) gives, bit for bit, the
probability it gives row by row, missing features included."""

import math

import pyarrow as pa
from hypothesis import given, settings, strategies as st

from naikkelas.earlywarning.engine.features import FEATURES
from naikkelas.earlywarning.engine.scores import baseline, baseline_probabilities

values = st.one_of(
    st.none(), st.sampled_from((math.nan, math.inf, -math.inf)), st.floats(-1e12, 1e12), st.floats(-2.0, 40.0)
)
rows = st.lists(st.fixed_dictionaries({name: values for name in FEATURES}), min_size=1, max_size=50)


@settings(max_examples=200, deadline=None)
@given(rows=rows)
def test_a_column_at_a_time_gives_the_probabilities_row_by_row(rows):
    table = pa.Table.from_pylist(rows, schema=pa.schema([(name, pa.float64()) for name in FEATURES]))
    assert baseline_probabilities(table).tolist() == [baseline(row)[0] for row in rows]
