"""The owner's payment settings form, including reading a QRIS from a photo of the printed code."""

import io
import struct
import warnings

import zxingcpp
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from PIL import Image

from naikkelas.payments import qris
from naikkelas.payments.services import account_number_digits, static_qris

MAX_PHOTO_BYTES = 8 * 1024 * 1024
# Header size checked before any pixel is decoded: a 12-megapixel phone photo is well inside.
MAX_PHOTO_PIXELS = 40_000_000
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
# A QR code filling part of a phone photo is still many pixels per module at this size; decoding a full
# 12-megapixel frame would take far longer and find nothing more.
DECODE_PX = 2048
QRIS_MAX_CHARS = 512  # EMVCo caps a merchant-presented payload at 512 characters


def _photo_error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _open_photo(uploaded) -> Image.Image:
    if uploaded.size is not None and uploaded.size > MAX_PHOTO_BYTES:
        raise _photo_error(
            _("Foto terlalu besar. Paling besar %(mb)s MB.") % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)}, "too_big"
        )
    uploaded.seek(0)
    data = uploaded.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise _photo_error(
            _("Foto terlalu besar. Paling besar %(mb)s MB.") % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)}, "too_big"
        )
    not_image = _photo_error(_("File ini bukan foto yang bisa dibaca. Pilih foto JPG, PNG, atau WebP."), "not_image")
    too_many = _photo_error(
        _("Ukuran gambar terlalu besar (lebih dari %(mpx)s megapiksel). Kecilkan fotonya lalu coba lagi.")
        % {"mpx": MAX_PHOTO_PIXELS // 1_000_000},
        "too_many_pixels",
    )
    with warnings.catch_warnings():
        # Pillow's own bomb check, as an error rather than a warning: a second line behind the size check.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=PHOTO_FORMATS)
            if image.width * image.height > MAX_PHOTO_PIXELS:
                raise too_many
            # JPEG decodes straight at a smaller scale: less memory and time for a big phone photo.
            image.draft("L", (DECODE_PX, DECODE_PX))
            image = image.convert("L")
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many from None
        except (OSError, SyntaxError, ValueError, TypeError, EOFError, struct.error):
            raise not_image from None
    if max(image.size) > DECODE_PX:
        image.thumbnail((DECODE_PX, DECODE_PX))
    return image


def qris_from_photo(uploaded) -> str:
    """The payload of the QRIS in a photo (an uploaded file); ValidationError in Indonesian when the file is
    not a photo, holds no readable QR code, or its QR code is not a valid QRIS."""
    image = _open_photo(uploaded)
    texts = [code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode) if code.text]
    if not texts:
        raise _photo_error(
            _(
                "Tidak ada kode QR yang terbaca di foto ini. Foto ulang kode QRIS dari dekat, lurus dan terang, "
                "atau tempel isi kodenya."
            ),
            "no_qr",
        )
    first_error = None
    for text in texts:
        # A standee may carry other QR codes (a link, a social media account) next to the QRIS.
        try:
            qris.decode(text)
            return text.strip()
        except qris.QrisError as error:
            first_error = first_error or error
    raise _photo_error(
        _("Kode QR di foto ini bukan QRIS yang sah: %(reason)s") % {"reason": first_error}, "not_qris"
    )


class PaymentSettingsForm(forms.Form):
    qris_payload = forms.CharField(
        label=_lazy("Tempel isi kode QRIS"),
        required=False,
        max_length=QRIS_MAX_CHARS,
        help_text=_lazy("Isi kode QRIS statis dari penyedia Anda, diawali 000201. Atau unggah fotonya di bawah."),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
    )
    qris_photo = forms.FileField(
        label=_lazy("Atau unggah foto kode QRIS"),
        required=False,
        help_text=_lazy("Foto JPG, PNG atau WebP, paling besar 8 MB. Foto dari dekat, lurus dan terang."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    qris_remove = forms.BooleanField(label=_lazy("Hapus QRIS yang terdaftar"), required=False)
    cod_enabled = forms.BooleanField(label=_lazy("Terima bayar di tempat (COD)"), required=False)
    bank_name = forms.CharField(
        label=_lazy("Nama bank"),
        required=False,
        max_length=60,
        help_text=_lazy("Mis. BRI, BNI, Mandiri, BCA, BSI."),
    )
    bank_account_number = forms.CharField(
        label=_lazy("Nomor rekening"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    bank_account_holder = forms.CharField(label=_lazy("Atas nama"), required=False, max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What clean() decided about the QRIS: None keeps the registered one, "" removes it, else the new payload.
        self.qris_change: str | None = None
        self.qris_code: qris.Qris | None = None

    def _clean_qris(self, payload: str, photo, remove: bool) -> None:
        field = "qris_photo" if photo else "qris_payload"
        try:
            if photo:
                payload = qris_from_photo(photo)
            if payload:
                self.qris_code = static_qris(payload)
                self.qris_change = payload
            elif remove:
                self.qris_change = ""
        except ValidationError as error:
            self.add_error(field, error)

    def clean_bank_account_number(self):
        raw = self.cleaned_data["bank_account_number"].strip()
        return account_number_digits(raw) if raw else ""

    def clean(self):
        cleaned = super().clean()
        payload = (cleaned.get("qris_payload") or "").strip()
        photo = cleaned.get("qris_photo")
        remove = cleaned.get("qris_remove")
        if remove and (payload or photo):
            raise ValidationError(_("Pilih salah satu: hapus QRIS, atau daftarkan QRIS baru."), code="qris_both")
        if payload and photo:
            raise ValidationError(
                _("Pilih salah satu: tempel isi kode QRIS, atau unggah fotonya."), code="qris_both"
            )
        self._clean_qris(payload, photo, remove)
        bank = [cleaned.get(name) for name in ("bank_name", "bank_account_number", "bank_account_holder")]
        if any(bank) and not all(bank) and "bank_account_number" not in self.errors:
            raise ValidationError(
                _("Untuk transfer bank, isi nama bank, nomor rekening dan atas nama; atau kosongkan ketiganya."),
                code="transfer_incomplete",
            )
        return cleaned
