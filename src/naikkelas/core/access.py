"""Shared pieces of the access gates. Each app's access.py has one gate per object kind; all of them answer
"missing" and "forbidden" the same way, with a 404, so nobody can probe for what exists."""

from django.http import Http404

# The largest id a bigint key holds: anything above names no row (and some database drivers would overflow).
MAX_ID = 2**63 - 1


def not_found() -> Http404:
    return Http404("Tidak ditemukan.")
