import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from naikkelas.registry.access import access_business, is_registry_staff
from tests.registry.factories import (
    CATURTUNGGAL,
    JATENG,
    KRICAK,
    SLEMAN,
    make_admin,
    make_business,
    make_officer,
    make_owner,
    make_partner,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    owner = make_owner()
    return {
        "owner": owner,
        "business": make_business(village=CATURTUNGGAL, owner=owner),
        "elsewhere": make_business(village=KRICAK, name="Batik Kricak"),
    }


def test_access_business_gives_an_owner_their_own_business(world):
    assert access_business(world["owner"], world["business"].pk) == world["business"]


def test_access_business_refuses_an_owner_someone_elses_business(world):
    with pytest.raises(Http404):
        access_business(make_owner(), world["business"].pk)
    with pytest.raises(Http404):
        access_business(world["owner"], world["elsewhere"].pk)


@pytest.mark.parametrize("scope", [SLEMAN, "34", "34.04.07", CATURTUNGGAL])
def test_access_business_gives_an_officer_a_business_under_any_of_their_regions(world, scope):
    officer = make_officer(JATENG, scope)
    assert access_business(officer, world["business"].pk) == world["business"]


def test_access_business_refuses_an_officer_a_business_outside_their_regions(world):
    with pytest.raises(Http404):
        access_business(make_officer(JATENG), world["business"].pk)
    with pytest.raises(Http404):
        access_business(make_officer(SLEMAN), world["elsewhere"].pk)


def test_access_business_refuses_an_officer_without_regions(world):
    with pytest.raises(Http404):
        access_business(make_officer(), world["business"].pk)


def test_access_business_gives_an_admin_every_business(world):
    admin = make_admin()
    assert access_business(admin, world["business"].pk) == world["business"]
    assert access_business(admin, world["elsewhere"].pk) == world["elsewhere"]


@pytest.mark.parametrize("who", ["anonymous", "partner", "inactive_admin"])
def test_access_business_refuses_everyone_else(world, who):
    actor = {"anonymous": AnonymousUser, "partner": make_partner, "inactive_admin": make_admin}[who]()
    if who == "inactive_admin":
        actor.is_active = False
        actor.save()
    with pytest.raises(Http404):
        access_business(actor, world["business"].pk)


def test_access_business_answers_missing_and_forbidden_with_the_same_404(world):
    stranger = make_owner()
    with pytest.raises(Http404) as forbidden:
        access_business(stranger, world["business"].pk)
    with pytest.raises(Http404) as missing:
        access_business(stranger, 10**9)
    assert str(forbidden.value) == str(missing.value)


@pytest.mark.parametrize("bad_id", ["abc", None, "1; DROP TABLE", ""])
def test_access_business_answers_a_malformed_id_with_404(world, bad_id):
    with pytest.raises(Http404):
        access_business(make_admin(), bad_id)


def test_is_registry_staff_is_true_for_officers_and_admins_only():
    assert is_registry_staff(make_officer(SLEMAN))
    assert is_registry_staff(make_admin())
    assert not is_registry_staff(make_owner())
    assert not is_registry_staff(make_partner())
    assert not is_registry_staff(AnonymousUser())
