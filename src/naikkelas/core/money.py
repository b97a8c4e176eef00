"""Money is whole rupiah in integers; people read it as "Rp 15.000"."""


def rupiah(amount) -> str:
    """15000 -> "Rp 15.000", -2500 -> "-Rp 2.500". Dots group the thousands whatever the page's language,
    because that is how a price is written in Indonesia (and on the receipt the buyer shows the seller)."""
    if amount is None or amount == "":
        return ""
    value = int(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {abs(value):,}".replace(",", ".")
