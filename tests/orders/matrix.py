"""Access matrix entries for this app's routes (merged into tests/test_access_matrix.py)."""

from tests.matrix import Entry  # noqa: F401

ENTRIES: dict = {}
PUBLIC_KEYS: set[str] = set()
