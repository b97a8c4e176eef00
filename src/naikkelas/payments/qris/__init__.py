"""QRIS: Indonesia's standard for EMVCo merchant-presented QR codes. Pure Python, no Django.

A payload is a run of TLV fields: a two-digit tag, a two-digit length, then the value. Tags 26–51 and 62
hold nested TLV fields of their own. Tag 63 closes the payload with a CRC-16/CCITT-FALSE over everything
before it, including the literal "6304", as four upper-case hex digits.

    decode(payload)            -> Qris (raises QrisError with a code and an Indonesian message)
    to_dynamic(payload, amount) -> a payload for exactly `amount` rupiah: tag 01 becomes "12", tag 54
                                   carries the amount, the CRC is recomputed
    crc16(data)                -> the four hex digits of the check value
"""

from dataclasses import dataclass

QRIS_DOMAIN = "ID.CO.QRIS.WWW"
STATIC, DYNAMIC = "11", "12"
TEMPLATE_TAGS = frozenset({f"{n:02d}" for n in range(26, 52)} | {"62"})
CRITERIA = frozenset({"UMI", "UKE", "UME", "UBE", "URE", "PSO", "BLU"})
MAX_AMOUNT_DIGITS = 13  # tag 54 holds at most 13 characters


class QrisError(ValueError):
    """What is wrong with a payload: `code` for programs, the message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def crc16(data: bytes) -> str:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF), as QRIS writes it in tag 63."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return f"{crc:04X}"


def parse_tlv(text: str) -> list[tuple[str, str]]:
    """The (tag, value) pairs of one TLV run, in order. Raises QrisError when the run is malformed."""
    fields = []
    position = 0
    while position < len(text):
        head = text[position : position + 4]
        if len(head) < 4 or not head.isdigit() or not head.isascii():
            raise QrisError("malformed", "Kode QRIS rusak: susunan tag dan panjangnya tidak terbaca.")
        tag, length = head[:2], int(head[2:])
        value = text[position + 4 : position + 4 + length]
        if len(value) != length:
            raise QrisError("malformed", "Kode QRIS rusak: isi sebuah tag lebih pendek dari panjangnya.")
        fields.append((tag, value))
        position += 4 + length
    return fields


def build_tlv(fields: list[tuple[str, str]]) -> str:
    return "".join(f"{tag}{len(value):02d}{value}" for tag, value in fields)


@dataclass(frozen=True)
class Qris:
    fields: tuple[tuple[str, str], ...]

    def get(self, tag: str) -> str:
        return next((value for t, value in self.fields if t == tag), "")

    def template(self, tag: str) -> dict[str, str]:
        value = self.get(tag)
        return dict(parse_tlv(value)) if value else {}

    @property
    def is_dynamic(self) -> bool:
        return self.get("01") == DYNAMIC

    @property
    def merchant_name(self) -> str:
        return self.get("59")

    @property
    def city(self) -> str:
        return self.get("60")

    @property
    def nmid(self) -> str:
        return self.template("51").get("02", "")

    @property
    def criteria(self) -> str:
        return self.template("51").get("03", "")

    @property
    def mcc(self) -> str:
        return self.get("52")

    @property
    def amount(self) -> int | None:
        value = self.get("54")
        return int(value.split(".")[0]) if value else None

    def as_dict(self) -> dict:
        """Every field, templates opened up, for people and for JSON."""
        out = {}
        for tag, value in self.fields:
            out[tag] = dict(parse_tlv(value)) if tag in TEMPLATE_TAGS else value
        return out


def _check_crc(payload: str) -> None:
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise QrisError("no_crc", "Kode QRIS tidak diakhiri tag 63 (CRC).")
    expected = crc16(payload[:-4].encode("ascii"))
    if payload[-4:] != expected:
        raise QrisError("bad_crc", "Kode QRIS rusak atau salah salin: CRC tidak cocok.")


def decode(payload: str) -> Qris:
    """A complete, checked QRIS: CRC right, tags 00, 01, 51 (with NMID), 52, 53 = 360, 58 = ID, 59, 60."""
    payload = (payload or "").strip()
    if not payload.isascii() or not payload.isprintable():
        raise QrisError("not_ascii", "Kode QRIS hanya berisi huruf, angka dan tanda baca biasa.")
    _check_crc(payload)
    fields = parse_tlv(payload)
    qris = Qris(tuple(fields))
    for tag, value in fields:
        if tag in TEMPLATE_TAGS:
            parse_tlv(value)  # a template must itself be well-formed
    if qris.get("00") != "01":
        raise QrisError("format", "Kode QRIS harus diawali format 01 (tag 00).")
    if qris.get("01") not in (STATIC, DYNAMIC):
        raise QrisError("initiation", "Tag 01 harus 11 (statis) atau 12 (dinamis).")
    national = qris.template("51")
    if not national:
        raise QrisError("no_51", "Ini bukan QRIS lengkap: tag 51 (QRIS nasional) tidak ada.")
    if national.get("00") != QRIS_DOMAIN:
        raise QrisError("no_51", "Tag 51 bukan templat QRIS nasional (ID.CO.QRIS.WWW).")
    if not national.get("02"):
        raise QrisError("no_nmid", "Kode QRIS tidak memuat NMID (tag 51, subtag 02).")
    if national.get("03") and national["03"] not in CRITERIA:
        raise QrisError("criteria", "Kriteria merchant di tag 51 tidak dikenal.")
    if not (len(qris.mcc) == 4 and qris.mcc.isdigit()):
        raise QrisError("no_52", "Ini bukan QRIS lengkap: kode kategori merchant (tag 52) tidak ada.")
    if qris.get("53") != "360":
        raise QrisError("currency", "Mata uang QRIS harus rupiah (tag 53 = 360).")
    if qris.get("58") != "ID":
        raise QrisError("country", "Negara QRIS harus ID (tag 58).")
    if not qris.merchant_name or not qris.city:
        raise QrisError("merchant", "Nama dan kota merchant (tag 59 dan 60) wajib ada.")
    amount = qris.get("54")
    if amount and not _is_amount(amount):
        raise QrisError("amount", "Nominal di tag 54 tidak sah.")
    return qris


def _is_amount(text: str) -> bool:
    whole, _, cents = text.partition(".")
    return whole.isdigit() and (not cents or cents.isdigit()) and len(text) <= MAX_AMOUNT_DIGITS


def to_dynamic(payload: str, amount: int) -> str:
    """The same merchant's code for exactly `amount` whole rupiah."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise QrisError("amount", "Nominal harus bilangan bulat rupiah lebih dari nol.")
    if len(str(amount)) > MAX_AMOUNT_DIGITS:
        raise QrisError("amount", "Nominal terlalu besar untuk QRIS.")
    qris = decode(payload)
    fields = []
    for tag, value in qris.fields:
        if tag in ("54", "63"):
            continue
        fields.append((tag, DYNAMIC if tag == "01" else value))
        if tag == "53":
            fields.append(("54", str(amount)))
    body = build_tlv(fields) + "6304"
    return body + crc16(body.encode("ascii"))
