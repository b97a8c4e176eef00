"""Size class of a business under PP 7/2021, Article 35.

Capital (modal usaha, excluding land and buildings): micro ≤ Rp1 M, small ≤ Rp5 M, medium ≤ Rp10 M.
Annual sales (hasil penjualan tahunan): micro ≤ Rp2 M, small ≤ Rp15 M, medium ≤ Rp50 M (M = miliar).
Art. 35(3) uses capital when a business is registered; 35(5) uses annual sales for support and empowerment,
which is what this platform does, so sales decide when they are known and capital otherwise.
"""

MILIAR = 1_000_000_000

CAPITAL_LIMITS = [("micro", 1 * MILIAR), ("small", 5 * MILIAR), ("medium", 10 * MILIAR)]
SALES_LIMITS = [("micro", 2 * MILIAR), ("small", 15 * MILIAR), ("medium", 50 * MILIAR)]


def _classify(amount: int, limits: list[tuple[str, int]]) -> str:
    for size, ceiling in limits:
        if amount <= ceiling:
            return size
    return "large"


def size_class(*, capital: int | None, annual_sales: int | None) -> str:
    """'' when neither figure is known."""
    if annual_sales is not None:
        return _classify(annual_sales, SALES_LIMITS)
    if capital is not None:
        return _classify(capital, CAPITAL_LIMITS)
    return ""
