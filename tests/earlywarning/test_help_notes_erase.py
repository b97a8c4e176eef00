"""earlywarning.services.help_notes_erase: officers' notes about a deleted owner go, the help record stays."""

import pytest

from naikkelas.earlywarning import services
from naikkelas.earlywarning.models import Intervention
from tests.registry.factories import make_business

pytestmark = pytest.mark.django_db


def test_notes_go_kind_and_status_stay():
    business = make_business()
    other = make_business(name="Toko Lain")
    Intervention.objects.create(business=business, kind="training", status="done", notes="Bu Sri ikut", follow_up_notes="Lancar")
    Intervention.objects.create(business=other, kind="market", notes="Pak Joko")

    assert services.help_notes_erase(actor=None, business=business) == 1

    assert list(Intervention.objects.filter(business=business).values_list("kind", "status", "notes", "follow_up_notes")) == [
        ("training", "done", "", "")
    ]
    assert Intervention.objects.get(business=other).notes == "Pak Joko"
