"""Shared pieces of the access gates. Each app's access.py has one gate per object kind; all of them answer
"missing" and "forbidden" the same way, with a 404, so nobody can probe for what exists."""

from django.http import Http404


def not_found() -> Http404:
    return Http404("Tidak ditemukan.")
