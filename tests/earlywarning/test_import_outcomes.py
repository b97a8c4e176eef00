"""`naikkelas import outcomes FILE [--commit]`: closures in bulk, all or nothing, every bad row with its reason."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from naikkelas.earlywarning.models import Closure
from tests.registry.factories import make_business

pytestmark = pytest.mark.django_db


def write(tmp_path, text: str):
    path = tmp_path / "tutup.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def businesses():
    return make_business(name="Warung Bu Sri", external_ref="UMKM-34-0000001"), make_business(name="Bengkel Jaya")


def test_checks_without_writing_then_records_every_closure_with_commit(businesses, tmp_path, capsys):
    warung, bengkel = businesses
    path = write(tmp_path, f"business_ref,closed_on\nUMKM-34-0000001,2025-03-31\nNK-{bengkel.pk},15/04/2025\n\n")
    call_command("import_outcomes", str(path))
    assert "2 penutupan usaha baik" in capsys.readouterr().out and not Closure.objects.exists()
    call_command("import_outcomes", str(path), "--commit")
    assert dict(Closure.objects.values_list("business_id", "closed_on")) == {
        warung.pk: dt.date(2025, 3, 31), bengkel.pk: dt.date(2025, 4, 15),
    }
    assert set(Closure.objects.values_list("source", flat=True)) == {Closure.Source.IMPORT}
    # a corrected date replaces the one recorded
    call_command("import_outcomes", str(write(tmp_path, "business_ref,closed_on\nUMKM-34-0000001,2025-02-28\n")), "--commit")
    assert Closure.objects.get(business=warung).closed_on == dt.date(2025, 2, 28) and Closure.objects.count() == 2


def test_any_bad_row_is_listed_with_its_reason_and_nothing_is_written(businesses, tmp_path, capsys):
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    path = write(
        tmp_path,
        "business_ref,closed_on\n"
        "UMKM-34-0000001,2025-03-31\n"
        "UMKM-TIDAK-ADA,2025-03-31\n"
        f"UMKM-34-0000001,{future}\n"
        ",kemarin\n",
    )
    with pytest.raises(CommandError, match="3 baris salah"):
        call_command("import_outcomes", str(path), "--commit")
    err = capsys.readouterr().err
    assert "baris 3: Usaha dengan business_ref 'UMKM-TIDAK-ADA' tidak ada." in err
    assert "baris 4: Usaha ini sudah ada di baris 2." in err and "di masa depan" in err
    assert "baris 5: Kolom business_ref kosong." in err and "Tanggal tutup 'kemarin' tidak dikenali" in err
    assert not Closure.objects.exists()


def test_a_file_without_the_columns_is_refused(businesses, tmp_path):
    with pytest.raises(CommandError, match="closed_on"):
        call_command("import_outcomes", str(write(tmp_path, "business_ref,tanggal\nUMKM-34-0000001,2025-03-31\n")))
