"""The owner's catalogue pages: the product list with quick stock edits, adding, changing and deleting a product
with its photos, and the shop's profile. Every page is reached through catalog/access.py (the shop's owner
only); a deleted product answers 404 like one that never was. Every successful POST redirects with a message,
and a refused one shows the page again with what was typed."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from naikkelas.catalog import selectors, services
from naikkelas.catalog.access import access_photo, access_product, access_shop
from naikkelas.catalog.forms import (
    NewProductForm, PhotoForm, ProductFilterForm, ProductForm, ShopProfileForm, StockForm,
)
from naikkelas.core.forms import add_service_errors
from naikkelas.core.money import rupiah
from naikkelas.regions.selectors import region_label

PAGE_SIZE = 50
GET_POST = require_http_methods(["GET", "POST"])


@dataclass
class Row:
    """A product in the list with what its quick stock form shows: the stock, or what was just typed."""

    product: object
    stock_value: object
    stock_errors: list


def _list_url(request, business) -> str:
    """The product list as the owner left it (search, filter, page): the forms in the list carry its query."""
    query = request.GET.urlencode()
    return reverse("catalog:product_list", args=[business.pk]) + (f"?{query}" if query else "")


def _edit_url(product) -> str:
    return reverse("catalog:product_edit", args=[product.business_id, product.pk])


# -- the product list --------------------------------------------------------------------------------------

def _list_page(request, business, *, failed: tuple[int, StockForm] | None = None):
    filters = ProductFilterForm(request.GET)
    products = selectors.owner_products(actor=request.user, business=business, **filters.filters())
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("halaman"))
    failed_id, failed_form = failed or (None, None)
    rows = [
        Row(p, failed_form["stock"].value(), failed_form.errors.get("stock", []))
        if p.pk == failed_id
        else Row(p, p.stock, [])
        for p in page
    ]
    context = {"business": business, "filters": filters, "page": page, "rows": rows, "query": request.GET.urlencode()}
    return render(request, "catalog/owner/product_list.html", context)


@login_required
@require_GET
def product_list(request, business_id):
    return _list_page(request, access_shop(request.user, business_id))


@login_required
@require_POST
def product_stock(request, business_id, product_id):
    product = access_product(request.user, business_id, product_id)
    form = StockForm(request.POST)
    if not form.is_valid():
        return _list_page(request, product.business, failed=(product.pk, form))
    services.product_stock_set(actor=request.user, product=product, stock=form.cleaned_data["stock"])
    messages.success(request, _("Stok %(name)s sekarang %(stock)s.") % {"name": product.name, "stock": product.stock})
    return redirect(_list_url(request, product.business))


@login_required
@require_POST
def product_active(request, business_id, product_id):
    product = access_product(request.user, business_id, product_id)
    active = request.POST.get("active") == "1"
    services.product_set_active(actor=request.user, product=product, active=active)
    if active:
        messages.success(request, _("%(name)s tampil di toko.") % {"name": product.name})
    else:
        messages.success(request, _("%(name)s disembunyikan dari toko.") % {"name": product.name})
    back = request.POST.get("back")
    return redirect(_edit_url(product) if back == "edit" else _list_url(request, product.business))


@login_required
@require_POST
def product_duplicate(request, business_id, product_id):
    product = access_product(request.user, business_id, product_id)
    copy = services.product_duplicate(actor=request.user, product=product)
    messages.success(request, _("Salinan dibuat dan masih disembunyikan. Ubah seperlunya, lalu tampilkan."))
    return redirect(_edit_url(copy))


@login_required
@GET_POST
def product_delete(request, business_id, product_id):
    """GET asks "really?"; the POST from that page deletes."""
    product = access_product(request.user, business_id, product_id)
    if request.method == "GET":
        return render(request, "catalog/owner/product_delete.html", {"business": product.business, "product": product})
    services.product_delete(actor=request.user, product=product)
    messages.success(request, _("%(name)s dihapus dari toko.") % {"name": product.name})
    return redirect("catalog:product_list", product.business_id)


# -- one product -------------------------------------------------------------------------------------------

@login_required
@GET_POST
def product_create(request, business_id):
    business = access_shop(request.user, business_id)
    posted = request.method == "POST"
    form = NewProductForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            product = services.product_create(
                actor=request.user, business=business, photo=form.cleaned_data["photo"], **form.product_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s ditambahkan ke toko.") % {"name": product.name})
            if "lagi" in request.POST:
                return redirect("catalog:product_create", business.pk)
            return redirect("catalog:product_list", business.pk)
    return render(request, "catalog/owner/product_create.html", {"business": business, "form": form})


def _edit_page(request, product, *, form=None, photo_form=None):
    photos = selectors.product_photos(actor=request.user, product=product)
    if form is None:
        initial = {name: getattr(product, name) for name in ProductForm._meta.fields}
        # "15.000", as the owner would type it (the form reads it back).
        form = ProductForm(initial={**initial, "price": rupiah(product.price).removeprefix("Rp ")})
    context = {
        "business": product.business,
        "product": product,
        "form": form,
        "photos": photos,
        "photos_max": services.PHOTOS_MAX,
        # Once the photos are full the upload form goes, unless it has an answer to show.
        "photo_form": photo_form or (PhotoForm() if len(photos) < services.PHOTOS_MAX else None),
    }
    return render(request, "catalog/owner/product_edit.html", context)


@login_required
@GET_POST
def product_edit(request, business_id, product_id):
    product = access_product(request.user, business_id, product_id)
    if request.method == "GET":
        return _edit_page(request, product)
    form = ProductForm(request.POST)
    if form.is_valid():
        try:
            services.product_update(actor=request.user, product=product, **form.product_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Perubahan %(name)s tersimpan.") % {"name": product.name})
            return redirect("catalog:product_list", product.business_id)
    return _edit_page(request, product, form=form)


@login_required
@require_POST
def photo_add(request, business_id, product_id):
    product = access_product(request.user, business_id, product_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(actor=request.user, product=product, upload=form.cleaned_data["photo"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Foto ditambahkan."))
            return redirect(_edit_url(product))
    return _edit_page(request, product, photo_form=form)


@login_required
@require_POST
def photo_delete(request, business_id, product_id, photo_id):
    photo = access_photo(request.user, business_id, product_id, photo_id)
    services.photo_delete(actor=request.user, photo=photo)
    messages.success(request, _("Foto dihapus."))
    return redirect(_edit_url(photo.product))


# -- the shop ----------------------------------------------------------------------------------------------

@login_required
@GET_POST
def shop_profile(request, business_id):
    business = access_shop(request.user, business_id)
    shop = selectors.shop_profile(actor=request.user, business=business)
    posted = request.method == "POST"
    form = ShopProfileForm(request.POST if posted else None, initial=ShopProfileForm.initial_for(shop))
    if posted and form.is_valid():
        try:
            services.shop_profile_update(actor=request.user, business=business, **form.shop_fields())
        except ValidationError as error:
            add_service_errors(form, error, rename={"latitude": "location", "longitude": "location"})
        else:
            messages.success(request, _("Profil toko tersimpan."))
            return redirect("catalog:shop_profile", business.pk)
    context = {"business": business, "form": form, "shop": shop, "place": region_label(business.village)}
    return render(request, "catalog/owner/shop_profile.html", context)
