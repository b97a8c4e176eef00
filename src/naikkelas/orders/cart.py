"""The buyer's cart: kept in the session (buyers have no account), one cart per shop.

The session holds only {shop slug: {product id: quantity}}. Names, prices and stock are read fresh from the
catalogue each time the cart is shown, so a price changed or a product hidden since is never sold from a
stale copy; order_place checks everything again when the order is placed.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from naikkelas.catalog.models import Product
from naikkelas.core.access import not_found
from naikkelas.registry.models import Business

SESSION_KEY = "cart"
MAX_QUANTITY = 999
# A cart is a shopping basket at one small shop, not a warehouse order; the cap also keeps the session small.
MAX_LINES = 50


class CartError(ValueError):
    """A cart change refused, with the Indonesian message for the buyer."""


@dataclass(frozen=True)
class CartLine:
    product_id: int
    name: str
    unit: str
    unit_price: int
    quantity: int
    stock: int | None  # None: made to order, stock is not counted

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity

    @property
    def short(self) -> bool:
        """More in the cart than the shop has on hand."""
        return self.stock is not None and self.quantity > self.stock


def public_shop(slug: str) -> Business:
    """The business whose shop is public at /<slug>/ (it has a shop profile); 404 otherwise."""
    business = (
        Business.objects.select_related("shop", "village")
        .filter(slug=slug, shop__isnull=False)
        .first()
    )
    if business is None:
        raise not_found()
    return business


def accepting_orders(business: Business) -> bool:
    return business.shop.accepting_orders


def shop_product(business: Business, product_id) -> Product | None:
    """An active product of this shop, or None (another shop's, hidden, deleted or not a number)."""
    try:
        product_id = int(product_id)
    except (TypeError, ValueError):
        return None
    return Product.objects.filter(pk=product_id, business=business, is_active=True).first()


def _line(product: Product, quantity: int) -> CartLine:
    return CartLine(
        product_id=product.pk,
        name=product.name,
        unit=product.unit,
        unit_price=product.price,
        quantity=quantity,
        stock=None if product.made_to_order else product.stock,
    )


def single_line(business: Business, product_id) -> CartLine | None:
    """One unit of one product, for "order this on WhatsApp" straight from a product page."""
    product = shop_product(business, product_id)
    return _line(product, 1) if product is not None else None


def check_quantity(raw) -> int:
    """A quantity typed by the buyer: a whole number from 1 to 999."""
    try:
        quantity = int(str(raw).strip())
    except (TypeError, ValueError):
        raise CartError(_("Jumlah harus angka bulat, 1 sampai %(max)s.") % {"max": MAX_QUANTITY})
    if not 1 <= quantity <= MAX_QUANTITY:
        raise CartError(_("Jumlah harus 1 sampai %(max)s.") % {"max": MAX_QUANTITY})
    return quantity


class Cart:
    """The cart for one shop, in `session`."""

    def __init__(self, session, slug: str):
        self.session = session
        self.slug = slug

    def quantities(self) -> dict[int, int]:
        stored = self.session.get(SESSION_KEY, {}).get(self.slug, {})
        result = {}
        for key, quantity in stored.items():
            # The session is the server's own, but a cart from an older release must never break a page.
            try:
                product_id, quantity = int(key), int(quantity)
            except (TypeError, ValueError):
                continue
            if 1 <= quantity <= MAX_QUANTITY:
                result[product_id] = quantity
        return result

    def __len__(self) -> int:
        return len(self.quantities())

    def _save(self, quantities: dict[int, int]) -> None:
        carts = dict(self.session.get(SESSION_KEY, {}))
        if quantities:
            carts[self.slug] = {str(pid): quantity for pid, quantity in quantities.items()}
        else:
            carts.pop(self.slug, None)
        self.session[SESSION_KEY] = carts

    def add(self, product: Product, quantity: int) -> int:
        """Adds `quantity` of `product` (already checked to be this shop's); returns the new quantity."""
        quantities = self.quantities()
        if product.pk not in quantities and len(quantities) >= MAX_LINES:
            raise CartError(_("Keranjang sudah penuh (%(max)s produk).") % {"max": MAX_LINES})
        new = quantities.get(product.pk, 0) + quantity
        if new > MAX_QUANTITY:
            raise CartError(_("Paling banyak %(max)s per produk.") % {"max": MAX_QUANTITY})
        if not product.made_to_order and new > product.stock:
            if product.stock <= 0:
                raise CartError(_("Stok %(name)s sedang habis.") % {"name": product.name})
            raise CartError(
                _("Stok %(name)s tinggal %(stock)s.") % {"name": product.name, "stock": product.stock}
            )
        quantities[product.pk] = new
        self._save(quantities)
        return new

    def update(self, changes: dict[int, int]) -> None:
        """Sets several quantities at once (0 removes a product); only products already in the cart."""
        quantities = self.quantities()
        for product_id, quantity in changes.items():
            if product_id not in quantities:
                continue
            if quantity <= 0:
                del quantities[product_id]
            else:
                quantities[product_id] = min(quantity, MAX_QUANTITY)
        self._save(quantities)

    def remove(self, product_id: int) -> None:
        quantities = self.quantities()
        quantities.pop(product_id, None)
        self._save(quantities)

    def clear(self) -> None:
        self._save({})

    def lines(self, business: Business) -> tuple[list[CartLine], int]:
        """The cart as it stands now: (lines with current names, prices and stock, how many products were
        dropped because they are gone or hidden). Dropped products leave the session too."""
        quantities = self.quantities()
        if not quantities:
            return [], 0
        products = Product.objects.filter(pk__in=list(quantities), business=business, is_active=True).order_by(
            "name", "pk"
        )
        lines = [_line(product, quantities[product.pk]) for product in products]
        dropped = len(quantities) - len(lines)
        if dropped:
            self._save({line.product_id: line.quantity for line in lines})
        return lines, dropped


def cart_total(lines: list[CartLine]) -> int:
    return sum(line.line_total for line in lines)
