"""Builders, readers and fixtures shared by the search tests (no tests of its own).

The market: three public shops in three places, and what should never be found.
    Warung Bu Sri  Caturtunggal, Depok, Sleman (34.04.07.2001), KBLI 10794 (keripik)
    Batik Kricak   Kricak, Tegalrejo, Kota Yogyakarta (34.71.01.1001), KBLI 13134 (batik)
    Batik Semarangan  Miroto, Semarang Tengah, Kota Semarang (33.74.01.1001), KBLI 13134
    Keripik Diam-diam  in Kricak with no shop profile: its shop is not public
"""

import pytest

from naikkelas.catalog.models import ShopProfile
from naikkelas.catalog.search import query
from tests.catalog.factories import make_product
from tests.registry.factories import CATURTUNGGAL, KRICAK, MIROTO, make_business


def open_shop(business, *, tagline: str = ""):
    """Make the business's shop public (what the catalogue does on its first product or profile save)."""
    ShopProfile.objects.create(business=business, tagline=tagline)
    return business


def names(results) -> list[str]:
    return [hit.name for hit in results.products]


def shop_names(results) -> list[str]:
    return [hit.name for hit in results.shops]


def build_market() -> dict:
    """The market above, not yet indexed. Products are created in the order listed (so ids ascend)."""
    sri = open_shop(
        make_business(village=CATURTUNGGAL, name="Warung Bu Sri", sector_code="10794"),
        tagline="Camilan rumahan dari Sleman",
    )
    kricak = open_shop(make_business(village=KRICAK, name="Batik Kricak", sector_code="13134"))
    semarang = open_shop(make_business(village=MIROTO, name="Batik Semarangan", sector_code="13134"))
    hidden_shop = make_business(village=KRICAK, name="Keripik Diam-diam", sector_code="10794")
    products = {}
    for business, name, price, fields in (
        (sri, "Keripik Pisang Manis", 15000, {"category": "Camilan"}),
        (sri, "Keripik Singkong Balado", 12000, {"description": "Pedas, renyah."}),
        (sri, "Aneka Makanan Ringan", 20000, {"description": "Paket isi lima macam."}),
        (sri, "Keripik Pisang Keju", 18000, {"is_active": False}),
        (kricak, "Batik Tulis Kawung", 350000, {"description": "Kain katun, pewarna alam."}),
        (kricak, "Batik Cap Parang", 150000, {}),
        (semarang, "Batik Tulis Semarang", 300000, {"category": "Kain"}),
        (hidden_shop, "Keripik Pisang Coklat", 16000, {}),
    ):
        products[name] = make_product(business, name=name, price=price, **fields)
    return {"sri": sri, "kricak": kricak, "semarang": semarang, "hidden_shop": hidden_shop, "products": products}


@pytest.fixture(params=["few", "many"])
def ranking_path(request, monkeypatch):
    """Run the test both ways search ranks: "few" matches are ranked in Python from their titles, "many"
    by asking the engine group by group (query.find). Both must give the same pages."""
    if request.param == "many":
        monkeypatch.setattr(query, "SMALL_SET", 0)
    return request.param
