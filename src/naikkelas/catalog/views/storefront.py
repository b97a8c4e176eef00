"""The public shop pages: a shop at /<slug>/, each product, and the QR code for the shop's counter."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from naikkelas.accounts.phones import display_phone
from naikkelas.catalog import seo, storefront
from naikkelas.core import qrimage
from naikkelas.core.money import rupiah
from naikkelas.core.whatsapp import wa_link
from naikkelas.regions.selectors import region_label

QR_MAX_AGE = 24 * 60 * 60
SIGN_SIZES = ("a4", "a6")


def _shop_url(request, slug: str) -> str:
    return request.build_absolute_uri(reverse("storefront:shop", args=[slug]))


def _shop_context(request, business) -> dict:
    """What every page of one shop shows about the shop itself."""
    shop = business.shop
    zone = storefront.shop_zone(business)
    context = {
        "business": business,
        "shop": shop,
        "shop_url": _shop_url(request, business.slug),
        "place": region_label(business.village),
        "week": storefront.opening_week(shop, zone, now=timezone.now()),
        "zone": storefront.zone_label(zone),
        "map_url": "",
        "contact_url": "",
    }
    if shop.latitude is not None and shop.longitude is not None:
        lat, lon = shop.latitude, shop.longitude
        context["map_url"] = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
    if business.phone:
        context["contact_url"] = wa_link(_("Halo %(shop)s, saya mau bertanya.") % {"shop": business.name}, business.phone)
        context["phone"] = display_phone(business.phone)
    return context


@require_safe
def shop(request, slug: str):
    business = storefront.shop_public(slug)
    page = storefront.shop_products(business, request.GET.get("page") or 1)
    context = _shop_context(request, business)
    url = context["shop_url"]
    cover = next((p.photo_list[0] for p in page.object_list if p.photo_list), None)
    image = request.build_absolute_uri(cover.image.url) if cover else ""
    description = business.shop.tagline or context["place"]
    context.update(
        page=page,
        canonical=url if page.number == 1 else f"{url}?page={page.number}",
        description=description,
        share_url=wa_link(_("Belanja di %(shop)s: %(url)s") % {"shop": business.name, "url": url}),
        jsonld=seo.jsonld_script(seo.store_jsonld(business, url=url, image=image)),
        og=seo.og_tags(
            title=business.name, description=description, url=url, image=image,
            image_size=(cover.width, cover.height) if cover else None,
        ),
    )
    return render(request, "catalog/storefront/shop.html", context)


@require_safe
def product(request, slug: str, product_id: int):
    item = storefront.product_public(slug, product_id)
    business = item.business
    context = _shop_context(request, business)
    url = request.build_absolute_uri(reverse("storefront:product", args=[slug, item.pk]))
    images = [request.build_absolute_uri(photo.image.url) for photo in item.photo_list]
    first = item.photo_list[0] if item.photo_list else None
    price = rupiah(item.price)
    description = Truncator(item.description).chars(200) or f"{price} · {business.name}"
    context.update(
        product=item,
        canonical=url,
        description=description,
        price=price,
        share_url=wa_link(
            _("%(product)s (%(price)s) di %(shop)s: %(url)s")
            % {"product": item.name, "price": price, "shop": business.name, "url": url}
        ),
        jsonld=seo.jsonld_script(
            seo.product_jsonld(item, url=url, images=images, shop_url=context["shop_url"])
        ),
        og=seo.product_og(
            item, description=description, url=url, image=images[0] if images else "",
            image_size=(first.width, first.height) if first else None,
        ),
    )
    return render(request, "catalog/storefront/product.html", context)


@require_safe
@cache_control(public=True, max_age=QR_MAX_AGE)
def qr_png(request, slug: str):
    business = storefront.shop_public(slug)
    return HttpResponse(qrimage.qr_png(_shop_url(request, business.slug)), content_type="image/png")


@require_safe
@cache_control(public=True, max_age=QR_MAX_AGE)
def qr_svg(request, slug: str):
    business = storefront.shop_public(slug)
    svg = qrimage.qr_svg(_shop_url(request, business.slug), title=business.name)
    return HttpResponse(svg, content_type="image/svg+xml")


@require_safe
def qr_print(request, slug: str):
    """A counter sign to print: the shop's name, its QR code big, and the address for those who type it."""
    business = storefront.shop_public(slug)
    size = request.GET.get("ukuran")
    context = {
        "business": business,
        "shop_url": _shop_url(request, business.slug),
        "size": size if size in SIGN_SIZES else SIGN_SIZES[0],
        "sizes": SIGN_SIZES,
    }
    return render(request, "catalog/storefront/print.html", context)
