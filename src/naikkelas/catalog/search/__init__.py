"""Search over the active products of public shops, and the shops themselves.

Indonesian stemming on both engines: SQLite's FTS5 is fed stems from PyStemmer, PostgreSQL stems the same
words with its built-in `indonesian` configuration (the same Snowball stemmer); the same Python reads the
query, corrects typos and ranks, so for the same data both engines give the same results in the same order.
See query.py for how a query is read and ranked, index.py for what is indexed and when.

    index_products(product_ids)   after any change to these products (in the same transaction)
    index_business(business_id)   after a shop opens or closes or its details change
    index_rebuild() -> dict       everything again (`naikkelas reindex`)
    search(query, *, region=None, sector=None, price_min=None, price_max=None, page=1) -> SearchResults
"""

from naikkelas.catalog.search import hits
from naikkelas.catalog.search.index import index_business, index_products, index_rebuild
from naikkelas.catalog.search.query import MAX_PAGES, PER_PAGE, SearchError, SearchResults, parse_filters, run

__all__ = [
    "MAX_PAGES", "PER_PAGE", "SearchError", "SearchResults", "index_business", "index_products",
    "index_rebuild", "search",
]


def search(query: str, *, region=None, sector=None, price_min=None, price_max=None, page: int = 1) -> SearchResults:
    """One page of products (PER_PAGE, best first) and, on the first page, the best few matching shops,
    as `results.products` (hits.ProductHit) and `results.shops` (hits.ShopHit); `results.has_next` says
    whether another page follows, `results.total` is the number of matches when known (None when there is
    more than this page shows). Raises SearchError with an Indonesian message for a filter that cannot be
    used; an empty query with no filter finds nothing."""
    filters = parse_filters(region=region, sector=sector, price_min=price_min, price_max=price_max)
    results = run(query or "", filters, page=page)
    results.products = hits.products(results.product_ids)
    results.shops = hits.shops(results.shop_ids)
    return results
