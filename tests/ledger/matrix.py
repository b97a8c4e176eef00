"""Access matrix entries of the cash book pages."""

ENTRIES: dict = {}
