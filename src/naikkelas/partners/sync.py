"""What a partner may see of the catalogue, read for the API's catalogue sync and for the product feeds.

A partner sees a business while the business shares with it (Share granted) and has a public shop (a
ShopProfile: the rule that makes its storefront public, so a partner never lists a shop the public cannot
open). Of such a business it sees the products its shop shows: active and not deleted.

Incremental sync walks a list in (updated_at, id) order, from `since` (exclusive) up to a horizon
(inclusive) that lies SETTLE seconds in the past. A row is given its updated_at when it is saved, but other
readers see it only once its transaction commits; a walk that went up to "now" could pass a timestamp whose
row commits a moment later and never come back for it. Serving only settled rows, and telling the partner to
continue from the horizon, closes that gap as long as no transaction takes longer than SETTLE from its save
to its commit.

Changes that a partner must act on come back as tombstones in incremental walks: a product hidden or
deleted, a business whose owner withdrew the share (the partner drops it with all its products). A walk
without `since` is a first (full) pull and lists only what is visible.
"""

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, QuerySet, When
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import filepath_to_uri

from naikkelas.catalog.models import Product, ProductPhoto, ShopProfile
from naikkelas.core.access import not_found
from naikkelas.partners import cursors
from naikkelas.partners.models import Partner, Share
from naikkelas.registry.models import Business

PRODUCTS, BUSINESSES = "products", "businesses"
DEFAULT_SETTLE_SECONDS = 10
# Product and business ids fit in a signed 64-bit integer on every database; larger ones cannot exist.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# Village -> district -> regency -> province: a business's region codes and place line need all four.
_REGIONS = "business__village__parent__parent__parent"


def settle() -> timedelta:
    """How far behind "now" a walk stops (settings.PARTNER_SYNC_SETTLE_SECONDS)."""
    return timedelta(seconds=getattr(settings, "PARTNER_SYNC_SETTLE_SECONDS", DEFAULT_SETTLE_SECONDS))


def horizon(now: datetime | None = None) -> datetime:
    """Where a walk starting now stops. Whole milliseconds: the API's JSON writes times to the millisecond,
    so the `next_updated_since` a partner sends back is exactly the horizon it was given."""
    moment = (now or timezone.now()) - settle()
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


# -- walks and cursors ---------------------------------------------------------------------------------------


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


def _moment(micros: int) -> datetime:
    return _EPOCH + micros * _MICROSECOND


@dataclass(frozen=True)
class Walk:
    """One pass over a list in (updated_at, id) order: rows changed after `since` (all rows when None) and
    no later than `horizon`, for one business or all, resumed after the row `after` when given."""

    kind: str
    horizon: datetime
    since: datetime | None = None
    business_id: int | None = None
    after: tuple[datetime, int] | None = None

    @property
    def incremental(self) -> bool:
        return self.since is not None

    def resumed_after(self, updated_at: datetime, pk: int) -> "Walk":
        return replace(self, after=(updated_at, pk))

    def cursor(self) -> str:
        """The walk as an opaque, signed string: the next page's `cursor`."""
        fields = {
            "k": self.kind,
            "h": _micros(self.horizon),
            "s": None if self.since is None else _micros(self.since),
            "b": self.business_id,
            "a": None if self.after is None else [_micros(self.after[0]), self.after[1]],
        }
        return cursors.encode(fields, list_name=f"walk.{self.kind}")

    @classmethod
    def from_cursor(cls, cursor: str, *, kind: str) -> "Walk":
        fields = cursors.decode(cursor, list_name=f"walk.{kind}")
        try:
            walk = cls(
                kind=fields["k"],
                horizon=_moment(fields["h"]),
                since=None if fields["s"] is None else _moment(fields["s"]),
                business_id=fields["b"],
                after=None if fields["a"] is None else (_moment(fields["a"][0]), int(fields["a"][1])),
            )
        # Past the signature check the fields are the site's own; the rest guards against a leaked key.
        except (KeyError, TypeError, ValueError, OverflowError, IndexError):
            raise cursors.BadCursor(cursor) from None
        if walk.kind != kind:
            raise cursors.BadCursor(cursor)
        return walk


def _after_q(walk: Walk, field: str, pk: str) -> Q:
    """Rows of the walk's window that come after its position, in (field, pk) order."""
    q = Q(**{f"{field}__lte": walk.horizon})
    if walk.since is not None:
        q &= Q(**{f"{field}__gt": walk.since})
    if walk.after is not None:
        moment, last = walk.after
        q &= Q(**{f"{field}__gt": moment}) | Q(**{field: moment, f"{pk}__gt": last})
    return q


@dataclass
class Page:
    items: list
    next: Walk | None  # None on the walk's last page


def _page(rows: list, walk: Walk, limit: int, position) -> Page:
    """`rows` holds up to limit + 1 rows: the one beyond the page only tells that another page follows.
    `position(row)` is the row's (time, id) in the walk's order."""
    if len(rows) <= limit:
        return Page(items=rows, next=None)
    rows = rows[:limit]
    return Page(items=rows, next=walk.resumed_after(*position(rows[-1])))


# -- who sees what -------------------------------------------------------------------------------------------


def _granted(partner: Partner, ref: str = "business_id") -> Exists:
    return Exists(Share.objects.filter(partner=partner, state=Share.State.GRANTED, business_id=OuterRef(ref)))


def _public(ref: str = "business_id") -> Exists:
    return Exists(ShopProfile.objects.filter(business_id=OuterRef(ref)))


def _visible_products(partner: Partner) -> QuerySet[Product]:
    """Every product (hidden and deleted ones too) of the businesses `partner` sees."""
    # Correlated EXISTS, not IN (subquery): each product is checked with two index look-ups, so a walk
    # along the (updated_at, id) index reads only the rows it returns, however many shops share.
    return Product.objects.filter(_granted(partner), _public())


# What the API gives of a product, read as plain values: a page of 500 is then one query for the
# products and one for their photos, with no model instances to build.
PRODUCT_FIELDS = (
    "id", "business_id", "name", "description", "price", "stock", "made_to_order", "unit", "weight_grams",
    "category", "is_active", "deleted_at", "updated_at", "business__slug",
)


def _with_covers(rows: list[dict]) -> list[dict]:
    """Each row (a product's values) with `image`: its first photo's stored name, or None."""
    photos = (
        ProductPhoto.objects.filter(product_id__in=[row["id"] for row in rows])
        .order_by("product_id", "position", "pk")
        .values_list("product_id", "image")
    )
    covers: dict[int, str] = {}
    for product_id, image in photos:
        covers.setdefault(product_id, image)
    for row in rows:
        row["image"] = covers.get(row["id"])
    return rows


def is_tombstone(product: dict) -> bool:
    return product["deleted_at"] is not None or not product["is_active"]


def visible_business_id(*, partner: Partner, business_id) -> int:
    """`business_id` when `partner` sees that business; Http404 otherwise (missing or not shared alike)."""
    try:
        pk = int(business_id)
    except (TypeError, ValueError):
        raise not_found() from None
    seen = Share.objects.filter(
        partner=partner, state=Share.State.GRANTED, business_id=pk, business__shop__isnull=False
    ).exists()
    if not seen:
        raise not_found()
    return pk


def products_page(*, partner: Partner, walk: Walk, limit: int) -> Page:
    """One page of the partner's products in (updated_at, id) order, as dicts of PRODUCT_FIELDS and
    `image`. An incremental walk also gives the hidden and deleted ones (see is_tombstone)."""
    products = _visible_products(partner).filter(_after_q(walk, "updated_at", "id"))
    if walk.business_id is not None:
        products = products.filter(business_id=walk.business_id)
    if not walk.incremental:
        products = products.filter(is_active=True, deleted_at__isnull=True)
    rows = list(products.order_by("updated_at", "id").values(*PRODUCT_FIELDS)[: limit + 1])
    page = _page(rows, walk, limit, lambda row: (row["updated_at"], row["id"]))
    _with_covers(page.items)
    return page


def product_for_partner(*, partner: Partner, product_id: int) -> dict:
    """A product `partner` sees and its shop shows, as products_page gives it; Http404 for anything else
    (missing, hidden, deleted, or of a business that does not share with the partner)."""
    products = _visible_products(partner).filter(pk=product_id, is_active=True, deleted_at__isnull=True)
    product = products.values(*PRODUCT_FIELDS).first()
    if product is None:
        raise not_found()
    return _with_covers([product])[0]


def _shares_for_api(partner: Partner) -> QuerySet[Share]:
    """The partner's shares that matter to its list of businesses, each with `changed`: when the business,
    as the partner sees it, last changed (its share, its record, or its shop)."""
    return (
        Share.objects.filter(partner=partner)
        .filter(Q(state=Share.State.GRANTED, business__shop__isnull=False) | Q(state=Share.State.WITHDRAWN))
        .annotate(
            changed=Case(
                # After a withdrawal only the withdrawal matters: later edits to the business are not the
                # partner's business, and must not send the tombstone again.
                When(state=Share.State.WITHDRAWN, then=F("changed_at")),
                default=Greatest("changed_at", "business__updated_at", "business__shop__updated_at"),
            )
        )
        .select_related(_REGIONS, "business__shop")
    )


def businesses_page(*, partner: Partner, walk: Walk, limit: int) -> Page:
    """One page of Share rows in (changed, business id) order: granted ones for businesses the partner sees
    and, in an incremental walk, withdrawn ones (tombstones)."""
    shares = _shares_for_api(partner).filter(_after_q(walk, "changed", "business_id"))
    if not walk.incremental:
        shares = shares.filter(state=Share.State.GRANTED)
    rows = list(shares.order_by("changed", "business_id")[: limit + 1])
    return _page(rows, walk, limit, lambda share: (share.changed, share.business_id))


def business_for_partner(*, partner: Partner, business_id: int) -> Share:
    """The share through which `partner` sees the business (with `changed` and the business loaded);
    Http404 when it does not (missing, not shared, shared without a public shop)."""
    share = _shares_for_api(partner).filter(state=Share.State.GRANTED, business_id=business_id).first()
    if share is None:
        raise not_found()
    return share


# -- addresses -----------------------------------------------------------------------------------------------


class Links:
    """Absolute addresses of shop pages, product pages and photos, as seen from `request`'s host.

    A feed writes one per product, a million times over: the URL pattern is reversed once and filled in by
    string concatenation, and photos on the local file storage are joined to its base URL directly.
    """

    _SLUG, _ID = "slug-x", 987654321

    def __init__(self, request):
        shop = request.build_absolute_uri(reverse("storefront:shop", args=[self._SLUG]))
        self._shop = shop.split(self._SLUG)
        product = request.build_absolute_uri(reverse("storefront:product", args=[self._SLUG, self._ID]))
        head, _, rest = product.partition(f"/{self._SLUG}/")
        middle, _, tail = rest.partition(str(self._ID))
        self._product = (head + "/", "/" + middle, tail)
        storage = ProductPhoto._meta.get_field("image").storage
        if isinstance(storage, FileSystemStorage):
            self._media = request.build_absolute_uri(storage.base_url)
            self._storage = None
        else:
            self._media, self._storage, self._request = "", storage, request

    def shop(self, slug: str) -> str:
        return f"{self._shop[0]}{slug}{self._shop[1]}"

    def product(self, slug: str, product_id: int) -> str:
        head, middle, tail = self._product
        return f"{head}{slug}{middle}{product_id}{tail}"

    def photo(self, name: str | None) -> str | None:
        if not name:
            return None
        if self._storage is None:
            return self._media + filepath_to_uri(name)
        return self._request.build_absolute_uri(self._storage.url(name))


# -- feeds ---------------------------------------------------------------------------------------------------

FEED_FIELDS = (
    "id", "business_id", "name", "description", "price", "stock", "made_to_order", "unit", "weight_grams",
    "category", "updated_at", "business__slug", "business__name",
)


def feed_partner(token: str) -> Partner:
    """The active partner whose feed token this is; Http404 otherwise."""
    partner = Partner.objects.filter(feed_token=token, is_active=True).first() if token else None
    if partner is None:
        raise not_found()
    return partner


def _feed_products(*, partner: Partner | None, business_id: int | None) -> QuerySet[Product]:
    products = Product.objects.filter(is_active=True, deleted_at__isnull=True)
    if partner is not None:
        products = products.filter(_granted(partner), _public())
    if business_id is not None:
        products = products.filter(business_id=business_id)
    return products


def feed_chunks(*, partner: Partner | None = None, business_id: int | None = None, size: int = 1000) -> Iterator[list[dict]]:
    """The products a feed lists (those of the shops `partner` sees, or of one business), by id, `size` at a
    time, as dicts of FEED_FIELDS plus `image` (the first photo's stored name, or None).

    Keyset pagination by id: each chunk is its own short query starting after the last id of the one
    before, so memory holds one chunk whatever the catalogue's size, and no query runs for minutes."""
    products = _feed_products(partner=partner, business_id=business_id).order_by("id").values(*FEED_FIELDS)
    last = 0
    while True:
        chunk = list(products.filter(id__gt=last)[:size])
        if not chunk:
            return
        first_id, last = chunk[0]["id"], chunk[-1]["id"]
        # One range read of the photos for the whole chunk (rows in (product, position) order: the first
        # seen per product is its cover); a range and not IN (...) so the statement stays short.
        photos = (
            ProductPhoto.objects.filter(product_id__gte=first_id, product_id__lte=last)
            .order_by("product_id", "position", "pk")
            .values_list("product_id", "image")
        )
        covers: dict[int, str] = {}
        for product_id, image in photos:
            covers.setdefault(product_id, image)
        for row in chunk:
            row["image"] = covers.get(row["id"])
        yield chunk
        if len(chunk) < size:
            return


@dataclass(frozen=True)
class FeedState:
    """What a feed's content follows from, read cheaply for ETag and Last-Modified: when any of it changes,
    the feed may have changed."""

    parts: tuple
    last_modified: datetime | None


def _latest(*moments) -> datetime | None:
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def partner_feed_state(partner: Partner) -> FeedState:
    granted = Q(state=Share.State.GRANTED)
    # One pass over the partner's shares (its index), each joined to its business and shop by key.
    shares = Share.objects.filter(partner=partner).aggregate(
        share_changed=Max("changed_at"),
        granted=Count("pk", filter=granted),
        business_changed=Max("business__updated_at", filter=granted),
        shop_changed=Max("business__shop__updated_at", filter=granted),
    )
    # Newest first along the (updated_at, id) index: the first product the partner sees ends the read.
    product = _visible_products(partner).order_by("-updated_at").values_list("updated_at", flat=True).first()
    moments = (shares["share_changed"], shares["business_changed"], shares["shop_changed"], product)
    return FeedState(parts=(partner.pk, shares["granted"], *moments), last_modified=_latest(*moments))


def shop_feed_state(business: Business) -> FeedState:
    products = Product.objects.filter(business=business).aggregate(n=Count("pk"), changed=Max("updated_at"))
    shop_changed = business.shop.updated_at
    parts = (business.pk, business.updated_at, shop_changed, products["n"], products["changed"])
    return FeedState(parts=parts, last_modified=_latest(business.updated_at, shop_changed, products["changed"]))
