"""The early-warning engine: features, scores and reasons over the snapshot's documented columns (schema.py).

Pure: Ibis expressions and plain Python, no Django, so an agency can run it on a snapshot written by another
bookkeeping system, on DuckDB on one machine or on PySpark for the nation.
"""
