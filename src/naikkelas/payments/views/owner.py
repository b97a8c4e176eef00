"""The shop owner's payment pages: how the shop gets paid, and the "paid" button on an order."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from naikkelas.orders.access import access_order
from naikkelas.payments import selectors, services
from naikkelas.payments.access import access_payment_settings
from naikkelas.payments.forms import PaymentSettingsForm


def _initial(settings) -> dict:
    return {
        "cod_enabled": settings.cod_enabled,
        "bank_name": settings.bank_name,
        "bank_account_number": settings.bank_account_number,
        "bank_account_holder": settings.bank_account_holder,
    }


@login_required
@require_http_methods(["GET", "POST"])
def payment_settings(request, business_id: int):
    business = access_payment_settings(request.user, business_id)
    settings = selectors.settings_for(business)
    if request.method == "POST":
        form = PaymentSettingsForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                settings = services.payment_settings_update(
                    actor=request.user,
                    business=business,
                    cod_enabled=data["cod_enabled"],
                    bank_name=data["bank_name"],
                    bank_account_number=data["bank_account_number"],
                    bank_account_holder=data["bank_account_holder"],
                    qris_payload=form.qris_change,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if form.qris_code is not None:
                    code = form.qris_code
                    messages.success(
                        request,
                        _(
                            "QRIS tersimpan: %(name)s, %(city)s, NMID %(nmid)s. Pastikan ini QRIS usaha Anda "
                            "sendiri sebelum menerima pesanan."
                        )
                        % {"name": code.merchant_name, "city": code.city, "nmid": code.nmid},
                    )
                else:
                    messages.success(request, _("Cara pembayaran tersimpan."))
                return redirect("payments:settings", business_id=business.pk)
        if form.qris_code is not None and "qris_photo" in request.FILES:
            # The photo was read but something else needs fixing: show its code in the text field, so the
            # owner does not have to upload the photo again.
            form.data = form.data.copy()
            form.data["qris_payload"] = form.qris_change
    else:
        form = PaymentSettingsForm(initial=_initial(settings))
    context = {
        "business": business,
        "settings": settings,
        "qris": selectors.qris_summary(settings),
        "methods": selectors.methods_for(business),
        "form": form,
    }
    return render(request, "payments/settings.html", context)


@login_required
@require_POST
def mark_paid(request, business_id: int, number: int):
    order = access_order(request.user, business_id, number)
    try:
        services.payment_confirm(actor=request.user, order_id=order.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Pesanan #%(number)s ditandai lunas.") % {"number": order.number})
    return redirect("orders:owner_detail", business_id=order.business_id, number=order.number)
