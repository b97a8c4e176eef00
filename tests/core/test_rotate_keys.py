"""`naikkelas rotate_keys`: NIKs and webhook secrets re-encrypted under the newest key, NIK hashes made
again after NIK_HASH_KEY changes, and an interrupted run that a second run completes."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from naikkelas.core import crypto, keys
from naikkelas.core.models import AuditLog
from naikkelas.partners.models import Partner
from naikkelas.registry.importing.duplicates import DatabaseIdentifiers
from naikkelas.registry.models import Business
from tests.registry.factories import make_business

pytestmark = pytest.mark.django_db

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
NIKS = [f"34711402097900{n:02d}" for n in range(1, 6)]


@pytest.fixture
def use_keys(settings):
    """Switch the keys as a restart would: core.crypto caches them per process."""

    def use(*encryption_keys: str, hash_key: str = "hash-key-a"):
        settings.NIK_ENCRYPTION_KEYS = list(encryption_keys)
        settings.NIK_HASH_KEY = hash_key
        crypto._fernet.cache_clear()
        crypto._hash_key.cache_clear()

    yield use
    crypto._fernet.cache_clear()
    crypto._hash_key.cache_clear()


@pytest.fixture
def under_key_a(use_keys):
    """Five businesses (and one partner's webhook secret) written under key A; then keys are "B,A"."""
    use_keys(KEY_A)
    businesses = [make_business(name=f"Warung {n}", nik=nik) for n, nik in enumerate(NIKS)]
    make_business(name="Tanpa NIK")  # no NIK: nothing to rotate
    partner = Partner.objects.create(
        name="Pasar Nusantara",
        slug="pasar-nusantara",
        feed_token="feed-token-uji",
        webhook_secret=crypto.encrypt("whsec_uji"),
    )
    use_keys(KEY_B, KEY_A)
    return businesses, partner


def rotate(*args) -> str:
    out = io.StringIO()
    with translation.override("id"):  # the messages asserted are the Indonesian ones, whatever ran before
        call_command("rotate_keys", *args, stdout=out)
    return out.getvalue()


def old_key_counts() -> dict[str, int]:
    return {name: counts.old_key for name, counts in keys.run(check=True).items()}


def assert_all_readable(businesses, partner):
    for business, nik in zip(businesses, NIKS, strict=True):
        business.refresh_from_db()
        assert crypto.decrypt(business.nik_ciphertext) == nik
    partner.refresh_from_db()
    assert crypto.decrypt(partner.webhook_secret) == "whsec_uji"


def test_rotation_leaves_every_value_readable_with_the_new_key_alone(under_key_a, use_keys):
    businesses, partner = under_key_a
    before = rotate("--check")
    assert "registry.business.nik_ciphertext: 5 sandi, 5 masih perlu kunci lama, 0 tidak terbaca" in before

    output = rotate("--batch-size", "2")
    assert "registry.business.nik_ciphertext: 5 sandi, 5 dienkripsi ulang" in output
    assert "partners.partner.webhook_secret: 1 sandi, 1 dienkripsi ulang" in output

    use_keys(KEY_B)
    assert_all_readable(businesses, partner)
    assert old_key_counts() == {"registry.business.nik_ciphertext": 0, "partners.partner.webhook_secret": 0}
    assert "0 masih perlu kunci lama" in rotate("--check")
    # Masks and hashes were not touched.
    assert {b.nik_masked for b in Business.objects.exclude(nik_ciphertext="")} == {crypto.mask(nik) for nik in NIKS}


def test_one_audit_record_per_run_with_counts_and_no_nik(under_key_a):
    rotate("--check")
    assert not AuditLog.objects.filter(action=keys.AUDIT_ACTION).exists()  # --check writes nothing
    rotate()
    record = AuditLog.objects.get(action=keys.AUDIT_ACTION)
    assert record.changes["columns"]["registry.business.nik_ciphertext"]["rotated"] == 5
    assert record.actor is None
    text = repr(record.changes) + record.reason
    for nik in NIKS:
        assert nik not in text and nik[-4:] + "'" not in text


def test_check_writes_nothing(under_key_a):
    businesses, _ = under_key_a
    stored = list(Business.objects.order_by("pk").values_list("nik_ciphertext", flat=True))
    rotate("--check")
    assert list(Business.objects.order_by("pk").values_list("nik_ciphertext", flat=True)) == stored


def test_a_second_run_skips_what_the_first_rotated(under_key_a):
    rotate()
    stored = list(Business.objects.order_by("pk").values_list("nik_ciphertext", flat=True))
    output = rotate()
    assert "5 sandi, 0 dienkripsi ulang, 5 sudah dengan kunci terbaru" in output
    assert list(Business.objects.order_by("pk").values_list("nik_ciphertext", flat=True)) == stored


def test_an_interrupted_run_leaves_every_row_readable_and_a_rerun_completes(under_key_a, use_keys, monkeypatch):
    businesses, partner = under_key_a
    real_rotate, calls = crypto.rotate, []

    def failing_rotate(token):
        calls.append(token)
        if len(calls) == 3:  # the first row of the second batch
            raise RuntimeError("proses dihentikan")
        return real_rotate(token)

    monkeypatch.setattr(crypto, "rotate", failing_rotate)
    with pytest.raises(RuntimeError):
        rotate("--batch-size", "2")
    monkeypatch.setattr(crypto, "rotate", real_rotate)

    assert_all_readable(businesses, partner)  # with "B,A": the first batch is under B, the rest still under A
    assert old_key_counts()["registry.business.nik_ciphertext"] == 3  # the second batch was rolled back
    assert not AuditLog.objects.filter(action=keys.AUDIT_ACTION).exists()

    output = rotate("--batch-size", "2")
    assert "5 sandi, 3 dienkripsi ulang, 2 sudah dengan kunci terbaru" in output
    use_keys(KEY_B)
    assert_all_readable(businesses, partner)
    assert set(old_key_counts().values()) == {0}


def test_rehash_after_a_new_hash_key_makes_look_up_by_nik_work_again(under_key_a, use_keys):
    businesses, _ = under_key_a
    use_keys(KEY_B, KEY_A, hash_key="hash-key-b")
    keys_of_rows = [(n, "", crypto.keyed_hash(nik), "", "") for n, nik in enumerate(NIKS, start=2)]
    assert DatabaseIdentifiers().find(keys_of_rows) == []  # stale hashes: no duplicate found

    output = rotate("--rehash", "--batch-size", "2")
    assert "5 hash NIK dibuat ulang" in output

    found = DatabaseIdentifiers().find(keys_of_rows)
    assert sorted((row, kind, pk) for row, kind, _, pk, _ in found) == [
        (n, "nik", business.pk) for n, business in enumerate(businesses, start=2)
    ]
    use_keys(KEY_B, hash_key="hash-key-b")
    assert_all_readable(businesses, _)


def test_rehash_alone_when_the_encryption_key_did_not_change(use_keys):
    use_keys(KEY_A, hash_key="hash-key-a")
    business = make_business(nik=NIKS[0])
    use_keys(KEY_A, hash_key="hash-key-b")
    output = rotate("--rehash")
    assert "0 dienkripsi ulang, 1 sudah dengan kunci terbaru" in output
    business.refresh_from_db()
    assert business.nik_hash == crypto.keyed_hash(NIKS[0])


def test_a_ciphertext_no_key_opens_is_counted_and_fails_the_run_after_the_rest(under_key_a, use_keys):
    businesses, partner = under_key_a
    lost = Fernet(Fernet.generate_key()).encrypt(b"3471140209790099").decode()
    orphan = make_business(name="Kunci hilang")
    Business.objects.filter(pk=orphan.pk).update(nik_ciphertext=lost)

    out = io.StringIO()
    with pytest.raises(CommandError), translation.override("id"):  # --check fails too, after printing its counts
        call_command("rotate_keys", "--check", stdout=out)
    assert "6 sandi, 5 masih perlu kunci lama, 1 tidak terbaca" in out.getvalue()
    with pytest.raises(CommandError, match="1 sandi tidak bisa dibuka"):
        rotate()
    orphan.refresh_from_db()
    assert orphan.nik_ciphertext == lost  # left as it was
    use_keys(KEY_B)
    assert_all_readable(businesses, partner)
    assert AuditLog.objects.get(action=keys.AUDIT_ACTION).changes["columns"]["registry.business.nik_ciphertext"][
        "unreadable"
    ] == 1


def test_an_edit_saved_during_the_run_is_not_overwritten(under_key_a, monkeypatch):
    businesses, _ = under_key_a
    real_rotate = crypto.rotate
    edited = businesses[0]

    def rotate_while_someone_edits(token):
        if token == Business.objects.get(pk=edited.pk).nik_ciphertext:
            Business.objects.filter(pk=edited.pk).update(nik_ciphertext=crypto.encrypt("3471140209790077"))
        return real_rotate(token)

    monkeypatch.setattr(crypto, "rotate", rotate_while_someone_edits)
    output = rotate()
    assert "4 dienkripsi ulang, 0 sudah dengan kunci terbaru, 1 berubah saat dibaca (dilewati)" in output
    edited.refresh_from_db()
    assert crypto.decrypt(edited.nik_ciphertext) == "3471140209790077"


def test_check_and_rehash_together_are_refused(use_keys):
    with pytest.raises(CommandError):
        rotate("--check", "--rehash")
