"""`naikkelas synth`: writes the generator's rows into the registry, replaces its own earlier run, and says
clearly what is missing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from naikkelas.accounts.models import User
from naikkelas.registry.models import Business, Source
from naikkelas.registry.sizeclass import size_class

pytestmark = pytest.mark.django_db


def synth(*args: str) -> str:
    out = StringIO()
    call_command("synth", *args, stdout=out)
    return out.getvalue()


def test_synth_writes_the_requested_businesses_into_the_province():
    output = synth("--province", "34", "--businesses", "300", "--seed", "1")

    businesses = Business.objects.filter(source=Source.SYNTH)
    assert businesses.count() == 300
    assert "300 usaha sintetis" in output and "detik" in output
    assert not businesses.exclude(village__code__startswith="34.").exists()
    assert not businesses.filter(sector__isnull=True).exists()
    first = businesses.get(external_ref="SYN-34-1-000001")
    assert first.size_class == size_class(capital=first.capital, annual_sales=first.annual_sales)
    assert first.sector.level == "kelompok"
    assert first.village.level == 4
    assert isinstance(first.channels, list) and "offline" in first.channels


def test_synth_run_again_with_the_same_seed_replaces_its_rows_instead_of_colliding():
    synth("--province", "34", "--businesses", "200", "--seed", "1")
    before = sorted(Business.objects.values_list("slug", "name", "phone"))

    output = synth("--province", "34", "--businesses", "200", "--seed", "1")

    assert "200 usaha dari proses sebelumnya diganti" in output
    assert sorted(Business.objects.values_list("slug", "name", "phone")) == before


def test_synth_leaves_other_seeds_and_provinces_alone():
    synth("--province", "34", "--businesses", "50", "--seed", "1")
    synth("--province", "51", "--businesses", "40", "--seed", "1")
    synth("--province", "34", "--businesses", "30", "--seed", "2")

    synth("--province", "34", "--businesses", "10", "--seed", "1")

    assert Business.objects.filter(external_ref__startswith="SYN-34-1-").count() == 10
    assert Business.objects.filter(external_ref__startswith="SYN-51-1-").count() == 40
    assert Business.objects.filter(external_ref__startswith="SYN-34-2-").count() == 30
    assert Business.objects.filter(village__code__startswith="51.", owner_name__regex=r"^(I|Ni) ").exists()


def test_synth_keep_existing_reuses_an_earlier_run():
    synth("--province", "34", "--businesses", "100", "--seed", "1")
    ids = set(Business.objects.values_list("pk", flat=True))

    output = synth("--province", "34", "--businesses", "500", "--seed", "1", "--keep-existing")

    assert "sudah ada" in output
    assert set(Business.objects.values_list("pk", flat=True)) == ids


def test_synth_refuses_to_delete_a_run_whose_business_was_claimed():
    synth("--province", "34", "--businesses", "20", "--seed", "1")
    owner = User.objects.create_user("0812-7777-0001", role=User.Role.OWNER)
    Business.objects.filter(external_ref="SYN-34-1-000003").update(owner=owner)

    with pytest.raises(CommandError, match="sudah diklaim"):
        synth("--province", "34", "--businesses", "20", "--seed", "1")

    assert Business.objects.filter(source=Source.SYNTH).count() == 20


@pytest.mark.parametrize(
    "args, message",
    [
        (["--province", "99"], "Provinsi dengan kode 99 tidak ada"),
        (["--province", "34", "--seed", "-1"], "--seed harus"),
        (["--province", "34", "--businesses", "-5"], "--businesses harus"),
    ],
)
def test_synth_rejects_bad_arguments_and_writes_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        synth(*args)

    assert not Business.objects.exists()


def test_synth_says_to_load_regions_when_they_are_missing():
    with connection.cursor() as cursor:
        # Inside the test's transaction, so the shared reference data comes back afterwards.
        cursor.execute("DELETE FROM regions_region")

    with pytest.raises(CommandError, match="naikkelas load_regions"):
        synth("--province", "34", "--businesses", "10")

    assert not Business.objects.exists()
