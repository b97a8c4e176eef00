"""The owner's rights to a copy of their data and to the deletion of their account (UU PDP art. 7, 8, 13).

Deletion is one transaction through each app's own services, in an order that matters: sharing is withdrawn
and consents recorded while the owner still owns the businesses (those services check it), then the shop
leaves the web, personal data is erased, the books are detached, and last the user row goes. Any failure
rolls all of it back. What stays, and why, is in docs/PRIVACY.md ("Export and deletion").
"""

import datetime as dt

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.accounts import services as accounts_services
from naikkelas.accounts.models import User
from naikkelas.catalog import services as catalog_services
from naikkelas.core.audit import audit_record
from naikkelas.core.models import AuditLog
from naikkelas.earlywarning import services as earlywarning_services
from naikkelas.earlywarning.models import SCORING
from naikkelas.ledger import services as ledger_services
from naikkelas.ledger.access import OFFICER_SUMMARY
from naikkelas.orders import services as orders_services
from naikkelas.orders.models import Order
from naikkelas.partners import services as partners_services
from naikkelas.partners.models import Share
from naikkelas.payments import services as payments_services
from naikkelas.payments.models import PaymentSettings
from naikkelas.privacy.models import BOOKS_KEPT_YEARS, ErasedBusiness
from naikkelas.privacy.selectors import owner_businesses, unfinished_orders
from naikkelas.registry import services as registry_services
from naikkelas.registry.models import Business, Consent

# Written over personal data found in old audit rows.
ERASED = "[dihapus]"
# Keys of audit `changes` whose values are personal data, whatever they hold.
PERSONAL_KEYS = frozenset({
    "name", "owner_name", "phone", "address", "nib", "external_ref", "owner_birth_year", "capital", "annual_sales",
    "bank_account_number", "bank_account_holder", "qris_payload", "qris_merchant_name", "qris_nmid", "tagline",
    "latitude", "longitude", "buyer_name", "buyer_phone", "buyer_address", "note",
})


def export_record(*, actor, owner, counts: dict[str, int], reason: str = "") -> AuditLog:
    """A copy of an owner's data left the platform: to the owner themselves (`actor` is `owner`), or to an
    admin answering a request by letter (`actor` None, `reason` the request's reference)."""
    return audit_record(actor=actor, action="privacy.export", obj=owner, changes={"rows": counts}, reason=reason)


def keep_until(today: dt.date) -> dt.date:
    """The day after which kept books may be removed: ten years on (a 29 February becomes the 28th)."""
    year = today.year + BOOKS_KEPT_YEARS
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def blocking_message(orders: list[Order]) -> str:
    numbers = ", ".join(f"#{order.number} ({order.business.name})" for order in orders)
    return _(
        "Pesanan %(numbers)s belum selesai. Kirim dan selesaikan, atau batalkan, di halaman Pesanan toko Anda, "
        "lalu hapus akun."
    ) % {"numbers": numbers}


def _latest_consents(business) -> dict[str, bool]:
    latest: dict[str, bool] = {}
    for purpose, granted in Consent.objects.filter(business=business).order_by("at", "pk").values_list("purpose", "granted"):
        latest[purpose] = granted
    return latest


def _withdraw_everything(*, actor, business) -> None:
    """Every consent the owner gave for the business is withdrawn and recorded, through the service that owns
    it: sharing (partners hear `consent.withdrawn` through the outbox and see a tombstone), the officers' view
    of monthly totals, and automated scoring (an objection, which deletes the scores). The registry consent
    is withdrawn by registry.services.business_erase."""
    for share in Share.objects.filter(business=business, state=Share.State.GRANTED).select_related("partner"):
        partners_services.share_withdraw(actor=actor, business=business, partner=share.partner)
    latest = _latest_consents(business)
    if latest.get(OFFICER_SUMMARY):
        ledger_services.officer_summary_consent(actor=actor, business=business, granted=False)
    earlywarning_services.scoring_objection(actor=actor, business=business, objects=True)
    handled = {OFFICER_SUMMARY, SCORING, registry_services.REGISTRY_CONSENT_PURPOSE}
    for purpose, granted in _latest_consents(business).items():
        if granted and purpose not in handled:
            consent = Consent.objects.filter(business=business, purpose=purpose).order_by("-at", "-pk").first()
            registry_services.consent_record(
                actor=actor, business=business, purpose=purpose, version=consent.version, granted=False
            )


def _personal_strings(user, businesses) -> set[str]:
    """The person's own words as stored: searched for in old audit rows, to be written over."""
    found = {user.phone, user.name}
    for business in businesses:
        found |= {business.name, business.owner_name, business.phone, business.address, business.nib, business.nik_masked}
        found.add(business.external_ref or "")
    for row in PaymentSettings.objects.filter(business__in=businesses).values_list(
        "bank_account_number", "bank_account_holder", "qris_merchant_name", "qris_nmid"
    ):
        found.update(row)
    # Short strings (a one-letter name) would match too much that is not theirs.
    return {text for text in found if text and len(text) >= 4}


def _scrub(value, strings: set[str]):
    if isinstance(value, dict):
        return {key: ERASED if key in PERSONAL_KEYS else _scrub(item, strings) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, strings) for item in value]
    if isinstance(value, str) and any(text in value for text in strings):
        return ERASED
    return value


def _scrub_audit(*, user, business_ids: list[int], strings: set[str]) -> int:
    """Old audit rows keep what happened, who did it (now nobody) and when, but no longer the person's data:
    values under personal keys and any text holding their phone, names, address, NIB or bank account."""
    ids = [str(pk) for pk in business_ids]
    scope = (
        Q(actor=user)
        | Q(object_type=User._meta.label_lower, object_id=str(user.pk))
        | Q(object_type=Business._meta.label_lower, object_id__in=ids)
        | Q(object_type=PaymentSettings._meta.label_lower, object_id__in=ids)
    )
    changed = 0
    for row in AuditLog.objects.filter(scope).iterator(chunk_size=500):
        changes, reason = _scrub(row.changes, strings), _scrub(row.reason, strings)
        if (changes, reason) != (row.changes, row.reason):
            AuditLog.objects.filter(pk=row.pk).update(changes=changes, reason=reason)
            changed += 1
    # Django admin's own log names the object it changed.
    for model, object_ids in ((User, [str(user.pk)]), (Business, ids)):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=object_ids
        ).update(object_repr=ERASED)
    return changed


@transaction.atomic
def account_delete(*, actor) -> list[int]:
    """Delete the signed-in owner's account, all or nothing. Returns the ids of the businesses whose books are
    kept. Refused (ValidationError, nothing written) while an order of theirs is unfinished."""
    user = User.objects.select_for_update().filter(pk=actor.pk).first()
    if user is None or not user.is_owner:
        raise ValidationError(_("Hanya pemilik usaha yang bisa menghapus akunnya di sini."), code="not_owner")
    blockers = unfinished_orders(user)
    if blockers:
        raise ValidationError(blocking_message(blockers), code="orders_unfinished")
    business_ids = owner_businesses(user)
    businesses = list(Business.objects.select_for_update().filter(pk__in=business_ids).order_by("pk"))
    strings = _personal_strings(user, businesses)
    until = keep_until(timezone.localdate())
    for business in businesses:
        _withdraw_everything(actor=user, business=business)
        catalog_services.shop_erase(actor=user, business=business)
        payments_services.payment_settings_erase(actor=user, business=business)
        orders_services.orders_erase_buyer_contacts(actor=user, business=business)
        ledger_services.books_detach(actor=user, business=business)
        earlywarning_services.help_notes_erase(actor=user, business=business)
        registry_services.business_erase(actor=user, business=business)
        ErasedBusiness.objects.create(business_id=business.pk, keep_until=until)
    _scrub_audit(user=user, business_ids=business_ids, strings=strings)
    # The one row that says it happened: ids and a date, no personal data (the actor becomes nobody below).
    audit_record(
        actor=user, action="privacy.account_delete", obj=user,
        changes={"businesses": business_ids, "books_kept_until": until.isoformat()},
    )
    accounts_services.user_erase(user=user)
    return business_ids


@transaction.atomic
def erased_purge(*, today: dt.date | None = None) -> int:
    """Remove the kept books of erased businesses whose `keep_until` has passed: the orders (which protect
    their business from deletion), then the business with everything that cascades from it (entries, debts,
    products, consents). The ErasedBusiness row stays, stamped, as the record that it was done."""
    today = today or timezone.localdate()
    due = list(ErasedBusiness.objects.select_for_update().filter(purged_at__isnull=True, keep_until__lt=today))
    ids = [row.business_id for row in due]
    Order.objects.filter(business_id__in=ids).delete()
    Business.objects.filter(pk__in=ids).delete()
    ErasedBusiness.objects.filter(pk__in=[row.pk for row in due]).update(purged_at=timezone.now())
    for row in due:
        audit_record(actor=None, action="privacy.books_purged", obj=row, changes={"business": row.business_id})
    return len(due)
