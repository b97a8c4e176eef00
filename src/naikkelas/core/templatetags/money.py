"""`{% load money %}` then `{{ amount|rupiah }}` -> "Rp 15.000"."""

from django import template

from naikkelas.core.money import rupiah as _rupiah

register = template.Library()


@register.filter
def rupiah(amount) -> str:
    try:
        return _rupiah(amount)
    except (TypeError, ValueError):
        # A template must never fail on a value it did not expect; show nothing rather than a 500.
        return ""
