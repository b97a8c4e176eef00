"""A server error's report (mailed to ADMINS) names where it failed but holds nobody's data: no POST value,
no local variable of the failing code."""

import sys

import pytest
from django.core import mail
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path
from django.views.debug import ExceptionReporter

from naikkelas.urls import urlpatterns as site_urls

def failing_view(request):
    nik_in_a_variable = request.POST.get("nik")
    raise RuntimeError(f"something broke ({len(nik_in_a_variable or '')})")


def fine_view(request):
    return HttpResponse("ok")


urlpatterns = [path("gagal/", failing_view), path("baik/", fine_view), *site_urls]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, ADMINS=[("Admin", "admin@example.org")], DEBUG=False)
def test_the_mailed_report_of_a_server_error_holds_no_personal_data(client):
    client.raise_request_exception = False

    response = client.post("/gagal/", {"nik": NIK, "phone": PHONE, "code": CODE})

    assert response.status_code == 500
    (report,) = mail.outbox
    text = report.body + "".join(str(alternative[0]) for alternative in report.alternatives)
    assert "something broke" in text and "failing_view" in text  # where it failed is still there
    assert "nik" in text and "phone" in text  # and what the fields were called
    for value in (NIK, PHONE, CODE):
        assert value not in text


def test_the_full_report_shows_variables_by_name_only(rf):
    """The HTML report (a debug page, or a mail with include_html) lists each frame's variables."""
    request = rf.post("/gagal/", {"nik": NIK, "phone": PHONE, "code": CODE})
    try:
        failing_view(request)
    except RuntimeError:
        html = ExceptionReporter(request, *sys.exc_info()).get_traceback_html()

    assert "nik_in_a_variable" in html
    for value in (NIK, PHONE, CODE):
        assert value not in html


# The values sent, far from failing_view: a report shows the source lines around the failing one.
NIK, PHONE, CODE = "3404071203900001", "+6281234567890", "493817"
