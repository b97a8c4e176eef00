"""Selling online end to end in Debian's Chromium, on a small phone-sized window: the owner adds a product
with a photo and registers their QRIS, a buyer without an account finds it by search and checks out with QRIS,
the QR code on the order page decodes to a dynamic QRIS for the exact amount, the owner marks it paid, and the
receipt PDF opens."""

import io
from pathlib import Path

import pytest
from django.conf import settings

from naikkelas.payments import qris
from tests.browser.conftest import phone
from tests.registry.factories import make_business, make_owner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def static_qris() -> str:
    """The provider's printed static QRIS, from the published test vectors."""
    vectors = Path(__file__).resolve().parent.parent / "payments" / "vectors.tsv"
    for line in vectors.read_text(encoding="utf-8").splitlines():
        kind, payload, *_ = line.split("\t")
        if kind == "static-valid":
            return payload
    raise AssertionError("no static-valid vector")


def product_photo() -> bytes:
    """A phone-camera JPEG of the product, with EXIF, as an owner would upload it."""
    from PIL import Image

    image = Image.new("RGB", (1600, 1200), (214, 160, 40))
    exif = Image.Exif()
    exif[0x010F] = "Phone Maker"  # Make
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, exif=exif)
    return buffer.getvalue()


def test_owner_sells_a_product_that_a_buyer_finds_and_pays_by_qris(live_server, regions, client, chromium, tmp_path):
    from playwright.sync_api import expect

    owner = make_owner()
    business = make_business(owner=owner, name="Warung Bu Sri", phone="+6281234560001")
    client.force_login(owner)
    owner_page = phone(chromium, live_server, client.cookies[settings.SESSION_COOKIE_NAME].value)
    site = live_server.url

    # The owner registers the static QRIS printed by their provider, by pasting its content
    owner_page.goto(f"{site}/toko/{business.pk}/pembayaran/")
    owner_page.get_by_label("Tempel isi kode QRIS").fill(static_qris())
    owner_page.get_by_role("button", name="Simpan").click()
    expect(owner_page.locator("main")).to_contain_text("BIOLBE")

    # ... and adds a product with a photo from the phone, price written the Indonesian way
    photo = tmp_path / "keripik.jpg"
    photo.write_bytes(product_photo())
    owner_page.goto(f"{site}/toko/{business.pk}/produk/baru/")
    owner_page.get_by_label("Foto produk").set_input_files(str(photo))
    owner_page.get_by_label("Nama produk").fill("Keripik Pisang Manis")
    owner_page.get_by_label("Harga (Rp)").fill("15.000")
    owner_page.get_by_label("Stok").fill("5")
    owner_page.get_by_role("button", name="Simpan", exact=True).click()
    expect(owner_page.locator("main")).to_contain_text("Keripik Pisang Manis")

    # A buyer with no account searches for it
    buyer = phone(chromium, live_server)
    buyer.goto(f"{site}/cari/")
    buyer.get_by_label("Cari").first.fill("keripik pisang")
    buyer.get_by_role("button", name="Cari", exact=True).click()
    buyer.get_by_role("link", name="Keripik Pisang Manis").first.click()
    # The product page shows the stored photo (WebP), and a price the buyer reads as rupiah
    expect(buyer.locator("main")).to_contain_text("Rp 15.000")
    assert buyer.locator("main img[src$='.webp']").count() >= 1

    # ... puts two in the cart and checks out with QRIS, picking the goods up
    buyer.get_by_label("Jumlah").fill("2")
    buyer.get_by_role("button", name="Masukkan keranjang").click()
    buyer.get_by_role("link", name="Lanjut pesan").click()
    buyer.get_by_label("Nama", exact=True).fill("Ani Pembeli")
    buyer.get_by_label("Nomor HP / WhatsApp").fill("0813-9999-0001")
    buyer.get_by_label("Ambil sendiri").check()
    buyer.get_by_label("QRIS").check()
    buyer.get_by_role("button", name="Kirim pesanan").click()
    buyer.wait_for_url("**/pesanan/**")
    expect(buyer.locator("main")).to_contain_text("Rp 30.000")

    # The QR code on the page is a dynamic QRIS for exactly Rp 30.000, to the owner's merchant
    import zxingcpp
    from PIL import Image

    qr_image = buyer.locator("img.qris")
    expect(qr_image).to_be_visible()
    png = buyer.request.get(site + qr_image.get_attribute("src"))
    assert png.ok and png.headers["content-type"] == "image/png"
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.body())))
    assert len(found) == 1
    code = qris.decode(found[0].text)
    assert code.is_dynamic and code.amount == 30000
    assert code.merchant_name == "BIOLBE" and code.nmid == qris.decode(static_qris()).nmid

    # The owner sees the order and marks it paid
    order_url = buyer.url
    owner_page.goto(f"{site}/toko/{business.pk}/pesanan/")
    expect(owner_page.locator("main")).to_contain_text("Ani Pembeli")
    owner_page.get_by_role("link", name="Pesanan #1").click()
    owner_page.get_by_role("button", name="Tandai lunas").click()
    expect(owner_page.locator("main")).to_contain_text("Dibayar")

    # The buyer's page now says paid, and the receipt PDF opens
    buyer.goto(order_url)
    expect(buyer.locator("main")).to_contain_text("Dibayar")
    pdf = buyer.request.get(site + buyer.get_by_role("link", name="Struk PDF").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF") and b"%%EOF" in pdf.body()[-64:]
