"""Calibrated synthetic data for demos, tests and benchmarks. Pure Python: nothing here imports Django."""
