"""The owner's payment settings page: registering the shop's static QRIS (pasted or photographed), cash on
delivery and bank transfer details. Nothing is written when anything is wrong."""

import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFilter

from naikkelas.core.models import AuditLog
from naikkelas.core.qrimage import qr_png
from naikkelas.payments import selectors, services
from naikkelas.payments.models import PaymentSettings
from naikkelas.payments.qris import crc16, to_dynamic
from tests.payments.factories import STATIC_QRIS, VECTORS, make_settings
from tests.registry.factories import SLEMAN, make_admin, make_business, make_officer, make_owner

pytestmark = pytest.mark.django_db
BANK = {"bank_name": "BRI", "bank_account_number": "0123-4567-89", "bank_account_holder": "Sri Wahyuni"}


@pytest.fixture
def owner(client):
    user = make_owner()
    client.force_login(user)
    return user


@pytest.fixture
def business(owner):
    return make_business(owner=owner)


def _url(business) -> str:
    return reverse("payments:settings", args=[business.pk])


def _post(client, business, **data):
    form = {"cod_enabled": "on", "qris_payload": "", **data}
    form = {name: value for name, value in form.items() if value is not None}
    return client.post(_url(business), form)


def _stored(business) -> PaymentSettings | None:
    return PaymentSettings.objects.filter(business=business).first()


def _photo_jpeg(payload: str) -> bytes:
    """A phone-like photo of a printed code: on a grey table, turned a few degrees, softened, noisy, JPEG."""
    code = Image.open(io.BytesIO(qr_png(payload, scale=6))).convert("L")
    table = Image.new("L", (code.width + 400, code.height + 300), 150)
    table.paste(code, (230, 120))
    turned = table.rotate(7, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=150)
    turned = turned.resize((turned.width * 3 // 2, turned.height * 3 // 2), Image.Resampling.BILINEAR)
    turned = turned.filter(ImageFilter.GaussianBlur(1.2))
    noise = Image.effect_noise(turned.size, 40)
    photo = Image.blend(turned, noise, 0.18).convert("RGB")
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=70)
    return out.getvalue()


def _upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# ---- Reading the page ---------------------------------------------------------------------------------------


def test_settings_page_starts_with_cash_on_delivery_and_no_qris(client, business):
    body = client.get(_url(business)).content.decode()
    assert "Belum ada QRIS" in body
    assert 'name="cod_enabled"' in body and "checked" in body
    assert _stored(business) is None


def test_settings_page_shows_the_registered_merchant_so_the_owner_can_check_it(client, business):
    make_settings(business)
    body = client.get(_url(business)).content.decode()
    assert "BIOLBE" in body and "KAB. MALANG" in body and "ID1021125405972" in body


def test_settings_page_refuses_another_owner_with_the_404_of_a_missing_shop(client, business):
    client.force_login(make_owner())
    assert client.get(_url(business)).status_code == 404
    assert _post(client, business, qris_payload=STATIC_QRIS).status_code == 404
    assert _stored(business) is None
    assert client.get(reverse("payments:settings", args=[999_999])).status_code == 404


@pytest.mark.parametrize("make", [lambda: make_officer(SLEMAN), make_admin])
def test_settings_page_refuses_officers_and_admins(client, business, make):
    client.force_login(make())
    assert client.get(_url(business)).status_code == 404
    assert _post(client, business, qris_payload=STATIC_QRIS).status_code == 404
    assert _stored(business) is None


def test_settings_page_sends_anonymous_visitors_to_log_in(client, business):
    client.logout()
    response = client.get(_url(business))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# ---- QRIS by paste ----------------------------------------------------------------------------------------


def test_pasting_the_static_qris_registers_it_with_its_merchant_and_nmid(client, owner, business):
    response = _post(client, business, qris_payload=f"  {STATIC_QRIS}\n")
    assert response.status_code == 302 and response["Location"] == _url(business)
    stored = _stored(business)
    assert stored.qris_payload == STATIC_QRIS
    assert (stored.qris_merchant_name, stored.qris_nmid) == ("BIOLBE", "ID1021125405972")
    page = client.get(response["Location"]).content.decode()
    assert "QRIS tersimpan: BIOLBE, KAB. MALANG, NMID ID1021125405972" in page
    log = AuditLog.objects.get(action="payment_settings.update")
    assert log.actor == owner and log.object_id == str(business.pk)
    assert log.changes["qris_nmid"] == ["", "ID1021125405972"] and log.changes["qris_payload"] == "diubah"


def test_pasting_a_qris_with_a_wrong_crc_is_refused_and_nothing_is_written(client, business):
    broken = STATIC_QRIS[:-4] + ("0000" if STATIC_QRIS[-4:] != "0000" else "1111")
    response = _post(client, business, qris_payload=broken, **BANK)
    assert response.status_code == 200
    assert "CRC tidak cocok" in response.content.decode()
    assert _stored(business) is None
    assert not AuditLog.objects.filter(action="payment_settings.update").exists()


def test_pasting_a_dynamic_qris_is_refused_as_the_shops_static_code(client, business):
    response = _post(client, business, qris_payload=to_dynamic(STATIC_QRIS, 15000))
    assert response.status_code == 200
    assert "QRIS dinamis" in response.content.decode()
    assert _stored(business) is None


def test_pasting_a_code_without_the_national_template_says_it_is_not_a_complete_qris(client, business):
    response = _post(client, business, qris_payload=VECTORS["dynamic-incomplete"])
    assert "bukan QRIS lengkap" in response.content.decode()
    assert _stored(business) is None


def test_a_static_qris_without_nmid_is_refused():
    national = "51440014ID.CO.QRIS.WWW0215ID10211254059720303UMI"
    without_nmid = STATIC_QRIS.replace(national, "51250014ID.CO.QRIS.WWW0303UMI")
    body = without_nmid[:-4]
    with pytest.raises(ValidationError) as caught:
        services.static_qris(body + crc16(body.encode()))
    assert caught.value.code == "qris_no_nmid"


def test_registering_a_new_qris_replaces_the_old_and_removing_it_clears_it(client, business):
    make_settings(business)
    response = _post(client, business, qris_remove="on")
    assert response.status_code == 302
    stored = _stored(business)
    assert (stored.qris_payload, stored.qris_merchant_name, stored.qris_nmid) == ("", "", "")


def test_saving_without_touching_the_qris_keeps_it(client, business):
    make_settings(business)
    assert _post(client, business, **BANK).status_code == 302
    stored = _stored(business)
    assert stored.qris_payload == STATIC_QRIS and stored.transfer_enabled


def test_removing_and_registering_a_qris_at_once_is_refused(client, business):
    make_settings(business, qris=False)
    response = _post(client, business, qris_remove="on", qris_payload=STATIC_QRIS)
    assert "Pilih salah satu" in response.content.decode()
    assert not _stored(business).qris_payload


# ---- QRIS by photo ----------------------------------------------------------------------------------------


def test_uploading_a_clean_png_of_the_code_registers_it(client, business):
    response = client.post(
        _url(business), {"cod_enabled": "on", "qris_photo": _upload("qris.png", qr_png(STATIC_QRIS), "image/png")}
    )
    assert response.status_code == 302
    assert _stored(business).qris_payload == STATIC_QRIS


def test_uploading_a_phone_photo_of_the_printed_code_registers_it(client, business):
    photo = _photo_jpeg(STATIC_QRIS)
    response = client.post(_url(business), {"cod_enabled": "on", "qris_photo": _upload("IMG_0001.jpg", photo)})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert _stored(business).qris_nmid == "ID1021125405972"


def test_a_photo_without_any_qr_code_gets_a_clear_message(client, business):
    picture = Image.new("RGB", (640, 480), (200, 180, 160))
    rng = random.Random(3)
    for _ in range(2000):
        picture.putpixel((rng.randrange(640), rng.randrange(480)), (rng.randrange(256),) * 3)
    out = io.BytesIO()
    picture.save(out, "JPEG")
    response = client.post(_url(business), {"cod_enabled": "on", "qris_photo": _upload("meja.jpg", out.getvalue())})
    assert response.status_code == 200
    assert "Tidak ada kode QR yang terbaca di foto ini" in response.content.decode()
    assert _stored(business) is None


def test_a_photo_of_a_qr_code_that_is_not_qris_says_so(client, business):
    link = qr_png("https://wa.me/6281234567890")
    response = client.post(_url(business), {"cod_enabled": "on", "qris_photo": _upload("wa.png", link, "image/png")})
    assert "Kode QR di foto ini bukan QRIS yang sah" in response.content.decode()
    assert _stored(business) is None


def test_a_photo_of_a_dynamic_qris_is_refused(client, business):
    code = qr_png(to_dynamic(STATIC_QRIS, 20000))
    response = client.post(_url(business), {"cod_enabled": "on", "qris_photo": _upload("d.png", code, "image/png")})
    assert "QRIS dinamis" in response.content.decode()
    assert _stored(business) is None


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("qris.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"),
        ("qris.jpg", b"this is not a jpeg at all"),
        ("qris.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ],
)
def test_a_file_that_is_not_a_photo_gets_a_clear_message(client, business, name, content):
    response = client.post(_url(business), {"cod_enabled": "on", "qris_photo": _upload(name, content)})
    assert "File ini bukan foto yang bisa dibaca" in response.content.decode()
    assert _stored(business) is None


def test_a_photo_over_eight_megabytes_is_refused_before_it_is_decoded(client, business):
    big = b"\xff\xd8\xff" + b"\0" * (8 * 1024 * 1024)
    response = client.post(_url(business), {"cod_enabled": "on", "qris_photo": _upload("besar.jpg", big)})
    assert "Foto terlalu besar" in response.content.decode()
    assert _stored(business) is None


def test_a_decompression_bomb_is_refused_without_decoding_it(client, business):
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")  # 100 megapixels in a few kilobytes
    bomb = _upload("bom.png", out.getvalue(), "image/png")
    response = client.post(_url(business), {"cod_enabled": "on", "qris_photo": bomb})
    assert "megapiksel" in response.content.decode()
    assert _stored(business) is None


def test_a_read_photo_is_kept_as_text_when_another_field_needs_fixing(client, business):
    photo = _upload("qris.png", qr_png(STATIC_QRIS), "image/png")
    response = client.post(_url(business), {"cod_enabled": "on", "qris_photo": photo, "bank_name": "BRI"})
    body = response.content.decode()
    assert response.status_code == 200 and "isi nama bank, nomor rekening dan atas nama" in body
    assert STATIC_QRIS in body
    assert _stored(business) is None


# ---- Cash on delivery and bank transfer -------------------------------------------------------------------


def test_bank_details_are_saved_with_the_account_number_as_digits(client, business):
    assert _post(client, business, **BANK).status_code == 302
    stored = _stored(business)
    saved = (stored.bank_name, stored.bank_account_number, stored.bank_account_holder)
    assert saved == ("BRI", "0123456789", "Sri Wahyuni")
    assert selectors.transfer_details(business) == {
        "bank_name": "BRI", "account_number": "0123456789", "account_holder": "Sri Wahyuni",
    }


@pytest.mark.parametrize("number", ["1234", "1" * 21, "12345abc", "١٢٣٤٥٦"])
def test_an_account_number_must_be_five_to_twenty_digits(client, business, number):
    response = _post(client, business, **{**BANK, "bank_account_number": number})
    assert "Nomor rekening harus 5 sampai 20 angka" in response.content.decode()
    assert _stored(business) is None


@pytest.mark.parametrize("missing", ["bank_name", "bank_account_number", "bank_account_holder"])
def test_half_filled_bank_details_are_refused(client, business, missing):
    response = _post(client, business, **{**BANK, missing: ""})
    assert "atau kosongkan ketiganya" in response.content.decode()
    assert _stored(business) is None


def test_turning_off_every_method_is_refused(client, business):
    response = _post(client, business, cod_enabled=None)
    assert "Pilih setidaknya satu cara bayar" in response.content.decode()
    assert _stored(business) is None


def test_turning_off_cash_on_delivery_is_fine_with_another_method(client, business):
    make_settings(business)
    assert _post(client, business, cod_enabled=None).status_code == 302
    assert selectors.methods_for(business) == ["qris"]


def test_the_service_writes_nothing_when_the_qris_is_invalid(owner, business):
    make_settings(business, qris=False, transfer=True)
    with pytest.raises(ValidationError):
        services.payment_settings_update(
            actor=owner, business=business, cod_enabled=False, qris_payload="000201" + "x" * 20
        )
    stored = _stored(business)
    assert stored.cod_enabled and stored.transfer_enabled and not stored.qris_payload
