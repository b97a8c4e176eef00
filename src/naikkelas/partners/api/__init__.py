"""The partner API, version 1 (django-ninja): `/api/v1/`, its OpenAPI 3.1 description at
`/api/v1/openapi.json` and a docs page at `/api/v1/docs` (Swagger UI served from this site, no CDN).

Every operation takes a key in `Authorization: Bearer nk_…` (partners/keys.py); writes need a key with the
write scope. Each key may make RATE_LIMIT requests a minute, counted in the database so that every server
process shares the count; beyond it, 429 with Retry-After. Every error is an RFC 9457 problem document
(application/problem+json), declared as such on every operation (see ProblemAPI.get_openapi_schema), in
Indonesian unless the request asks for English with Accept-Language.

The operations live in the modules next to this one, one router each; docs/API.md explains them with
examples.
"""

from ninja import NinjaAPI

from naikkelas.partners.api import catalog, orders, sales, webhooks
from naikkelas.partners.api.base import KeyAuth, ProblemAPI, install_problem_handlers

api = ProblemAPI(
    title="Naik Kelas API",
    version="1",
    description=(
        "Katalog UMKM yang dibagikan pemiliknya kepada mitra, pesanan dari mitra, dan laporan penjualan. "
        "Lihat docs/API.md."
    ),
    urls_namespace="api-v1",
    auth=KeyAuth(),
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_problem_handlers(api)
api.add_router("/", catalog.router)
api.add_router("/", orders.router)
api.add_router("/", sales.router)
api.add_router("/", webhooks.router)

__all__ = ["api", "NinjaAPI"]
