"""QR code images (PNG and SVG) for any text: store links, dynamic QRIS payloads. segno writes both formats
without a graphics library, so the pages stay fast to serve."""

import io

import segno


def _code(text: str):
    # Error correction M: survives a crease or a smudge on a printed counter sign; QRIS apps read it.
    return segno.make_qr(text, error="m", boost_error=False)


def qr_png(text: str, *, scale: int = 8, border: int = 4) -> bytes:
    buffer = io.BytesIO()
    _code(text).save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def qr_svg(text: str, *, scale: int = 8, border: int = 4, title: str = "") -> bytes:
    buffer = io.BytesIO()
    _code(text).save(buffer, kind="svg", scale=scale, border=border, title=title or None, xmldecl=False)
    return buffer.getvalue()
