"""Who may manage a shop's catalogue: the business's owner, nobody else.

Officers and admins may see a business in the registry, but the shop's products are the owner's to change
(admins correct them through Django admin). Everyone else, and anything that does not exist, gets the same 404.
"""

from naikkelas.catalog.models import Product, ProductPhoto
from naikkelas.core.access import not_found
from naikkelas.registry.access import access_business
from naikkelas.registry.models import Business


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise not_found() from None


def access_shop(actor, business_id) -> Business:
    """The business `business_id` if `actor` is its owner."""
    if not (actor and actor.is_authenticated and actor.is_active and actor.is_owner):
        raise not_found()
    # For an owner the registry's gate already means "their own business".
    return access_business(actor, business_id)


def access_product(actor, business_id, product_id) -> Product:
    """A product of the business `business_id`, if `actor` owns that business."""
    business = access_shop(actor, business_id)
    # A deleted product is kept for the orders that name it, never to be managed again.
    product = Product.objects.filter(business=business, pk=_pk(product_id), deleted_at__isnull=True).first()
    if product is None:
        raise not_found()
    product.business = business
    return product


def access_photo(actor, business_id, product_id, photo_id) -> ProductPhoto:
    product = access_product(actor, business_id, product_id)
    photo = ProductPhoto.objects.filter(product=product, pk=_pk(photo_id)).first()
    if photo is None:
        raise not_found()
    photo.product = product
    return photo
