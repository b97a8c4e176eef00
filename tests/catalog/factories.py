"""Products for tests, written straight to the database (tests of the services build through the services)."""

from naikkelas.catalog.models import Product


def make_product(business, *, name: str = "Keripik Pisang Manis", price: int = 15000, stock: int = 10, **fields) -> Product:
    return Product.objects.create(business=business, name=name, price=price, stock=stock, **fields)
