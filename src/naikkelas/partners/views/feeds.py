"""Product feeds by URL, for the programs that fetch them (Google Merchant Center, Meta's catalogue, a
partner's importer): a partner's feed of every shop that shares with it, behind the partner's feed token,
and one shop's own feed, public like its storefront.

Feeds are streamed (partners/feeds.py) and answer conditional requests: the ETag and Last-Modified come from
a few cheap aggregates (sync.*_feed_state), so an unchanged feed costs a fetcher a 304 and the site a few
index reads instead of a million rows.
"""

import hashlib

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from naikkelas.catalog import storefront
from naikkelas.core.access import not_found
from naikkelas.partners import feeds, sync

# Part of every ETag: bump when the feeds' format changes, so fetchers holding an old copy get the new one.
FORMAT_VERSION = 1
SHOP_FEED_MAX_AGE = 15 * 60


def _feed(name: str) -> feeds.Feed:
    feed = feeds.FEEDS.get(name)
    if feed is None:
        raise not_found()
    return feed


def _fallback_description() -> str:
    return _("%(product)s dari %(shop)s")


def _respond(request, feed: feeds.Feed, state: sync.FeedState, chunks, channel: feeds.Channel) -> HttpResponse:
    # The same state gives the same bytes only for the same host (absolute links) and language (the
    # fallback descriptions), so both are part of the tag.
    fingerprint = repr((FORMAT_VERSION, feed.name, request.scheme, request.get_host(), get_language(), state.parts))
    etag = quote_etag(hashlib.sha256(fingerprint.encode()).hexdigest()[:32])
    last_modified = int(state.last_modified.timestamp()) if state.last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        if request.method == "HEAD":
            response = HttpResponse(content_type=feed.content_type)
        else:
            links = sync.Links(request)
            response = StreamingHttpResponse(feed.write(chunks, links, channel), content_type=feed.content_type)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return response


@require_safe
def partner_feed(request, token: str, name: str):
    """/feed/mitra/<token>/<name>: every product of every shop that shares with the partner."""
    feed = _feed(name)
    partner = sync.feed_partner(token)
    channel = feeds.Channel(
        title=_("Produk UMKM untuk %(partner)s") % {"partner": partner.name},
        link=request.build_absolute_uri(reverse("home")),
        description=_("Katalog usaha yang memilih berbagi dengan %(partner)s melalui Naik Kelas.") % {"partner": partner.name},
        fallback_description=_fallback_description(),
    )
    response = _respond(request, feed, sync.partner_feed_state(partner), sync.feed_chunks(partner=partner), channel)
    # The token in the address is the feed's only credential: keep the feed out of shared caches and
    # search engines.
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def shop_feed(request, slug: str, name: str):
    """/feed/toko/<slug>/<name>: the active products of one public shop."""
    feed = _feed(name)
    business = storefront.shop_public(slug)
    channel = feeds.Channel(
        title=business.name,
        link=request.build_absolute_uri(reverse("storefront:shop", args=[business.slug])),
        description=business.shop.tagline or _("Produk %(shop)s di Naik Kelas.") % {"shop": business.name},
        fallback_description=_fallback_description(),
    )
    chunks = sync.feed_chunks(business_id=business.pk)
    response = _respond(request, feed, sync.shop_feed_state(business), chunks, channel)
    response["Cache-Control"] = f"public, max-age={SHOP_FEED_MAX_AGE}"
    return response
