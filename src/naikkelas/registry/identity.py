"""Reading a stored NIK in full: the one way from its ciphertext back to the number, and it is audited.

Pages, exports, the API and logs only ever show the masked form (`Business.nik_masked`). A full NIK is
needed rarely and outside the platform: matching a programme's list against Dukcapil's, or answering an
authority's written request. For that an admin names themselves and the reason, and `nik_read` records who,
when and why in the audit log before it hands the number over; the business's officers see the record on
its page, and its owner on theirs. Nothing else decrypts a NIK (key rotation re-encrypts it without handing it
out to anyone)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.accounts.models import User
from naikkelas.core import crypto
from naikkelas.core.audit import audit_record
from naikkelas.core.models import AuditLog
from naikkelas.core.text import clean_text
from naikkelas.registry.models import Business

READ_ACTION = "business.nik_read"
REASON_MIN = 10


@transaction.atomic
def nik_read(*, actor: User, business_id: int, reason: str) -> str:
    """The full NIK of business `business_id`, for an active admin giving a reason of at least REASON_MIN
    letters or digits; the read is in the audit log before the number leaves. ValidationError otherwise."""
    if not (getattr(actor, "is_authenticated", False) and actor.is_active and actor.role == User.Role.ADMIN):
        raise ValidationError(_("Hanya admin yang boleh membuka NIK lengkap."), code="not_admin")
    reason = clean_text(reason or "")
    if sum(char.isalnum() for char in reason) < REASON_MIN:  # letters and digits, not padding
        raise ValidationError(
            _("Tulis alasan membuka NIK ini, minimal %(n)s huruf (mis. nomor surat permintaan).") % {"n": REASON_MIN},
            code="no_reason",
        )
    business = Business.objects.filter(pk=business_id).first()
    if business is None:
        raise ValidationError(_("Usaha itu tidak ada."), code="missing")
    if not business.nik_ciphertext:
        raise ValidationError(_("Usaha ini tidak menyimpan NIK."), code="no_nik")
    nik = crypto.decrypt(business.nik_ciphertext)
    audit_record(actor=actor, action=READ_ACTION, obj=business, reason=reason[:255])
    return nik


def nik_reads(business: Business):
    """Every full read of the business's NIK, newest first: when, by whom, why."""
    return AuditLog.objects.filter(
        action=READ_ACTION, object_type=Business._meta.label_lower, object_id=str(business.pk)
    ).select_related("actor")
