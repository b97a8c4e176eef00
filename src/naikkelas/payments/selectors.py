"""Reads about payments: how a shop can be paid, and what a buyer needs to pay one order.

What a shop accepts is shown to every buyer at checkout, so these take no actor; the owner's settings page
reaches the business through payments.access first.
"""

from naikkelas.orders.lifecycle import PAYABLE
from naikkelas.orders.models import PaymentMethod
from naikkelas.payments import qris
from naikkelas.payments.models import Gateway, PaymentSettings


def settings_for(business) -> PaymentSettings:
    """The shop's payment settings; a new, unsaved default (cash on delivery only) when it has none yet."""
    found = PaymentSettings.objects.filter(business=business).first()
    return found if found is not None else PaymentSettings(business=business)


def methods_for(business) -> list[str]:
    """The PaymentMethod values a buyer may choose at this shop, in the order checkout lists them."""
    settings = settings_for(business)
    offered = []
    if settings.qris_enabled:
        offered.append(PaymentMethod.QRIS.value)
    if settings.transfer_enabled:
        offered.append(PaymentMethod.TRANSFER.value)
    if settings.cod_enabled:
        offered.append(PaymentMethod.COD.value)
    return offered


def transfer_details(business) -> dict | None:
    """Where a buyer transfers to: {"bank_name", "account_number", "account_holder"}; None when not offered."""
    settings = settings_for(business)
    if not settings.transfer_enabled:
        return None
    return {
        "bank_name": settings.bank_name,
        "account_number": settings.bank_account_number,
        "account_holder": settings.bank_account_holder,
    }


def qris_summary(settings: PaymentSettings) -> dict | None:
    """What the owner checks to know the registered QRIS is theirs: merchant name, city and NMID."""
    if not settings.qris_enabled:
        return None
    try:
        code = qris.decode(settings.qris_payload)
    except qris.QrisError:
        return None
    return {"merchant_name": code.merchant_name, "city": code.city, "nmid": code.nmid}


def order_qris_payload(order) -> str:
    """The dynamic QRIS for exactly `order.total` rupiah, made from the shop's registered static code.

    "" when there is nothing to pay by QRIS now: the order is not a QRIS order, it is no longer waiting for
    payment (paid, shipped, cancelled...), or the shop has no QRIS registered (any more)."""
    # Once paid, sent, cancelled or refunded, a code for the amount would only invite a second payment.
    if order.payment_method != PaymentMethod.QRIS or order.status not in PAYABLE:
        return ""
    settings = settings_for(order.business)
    if not settings.qris_enabled:
        return ""
    try:
        return qris.to_dynamic(settings.qris_payload, order.total)
    except qris.QrisError:
        return ""


def gateway_by_name(name: str) -> Gateway | None:
    """An active gateway; None for a name nobody registered or a gateway switched off."""
    return Gateway.objects.filter(name=name, is_active=True).first()
