"""Product photos as uploaded from a phone, made safe and small: only real JPEG, PNG or WebP content, no
decompression bombs, turned upright, every byte of metadata (EXIF, GPS, XMP, ICC) left behind, stored as WebP
in two sizes.

A phone camera writes where the photo was taken into EXIF; a shop photo is often taken at home, so nothing
of the upload but its pixels may reach the public.
"""

import io
import struct
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
# A 12-megapixel phone photo is well inside; a file that claims more is refused before it is decoded.
MAX_PIXELS = 40_000_000
FORMATS = ("JPEG", "PNG", "WEBP")
LARGE_PX = 1200
THUMB_PX = 400
WEBP_QUALITY = 80
BACKGROUND = (255, 255, 255)


@dataclass(frozen=True)
class ProcessedPhoto:
    large: bytes
    thumb: bytes
    width: int  # of the large version
    height: int


def _not_an_image() -> ValidationError:
    return ValidationError(_("File ini bukan foto yang bisa dibaca. Pilih foto JPG, PNG, atau WebP."), code="not_image")


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("Ukuran gambar terlalu besar (lebih dari %(mpx)s megapiksel). Kecilkan fotonya lalu coba lagi.")
        % {"mpx": MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def _read_limited(uploaded_file) -> bytes:
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Foto terlalu besar. Paling besar %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="too_big",
        )
    if not data:
        raise _not_an_image()
    return data


def _decode(data: bytes) -> Image.Image:
    """The upright pixels of an accepted image. The size in the header is checked before any pixel is
    decoded; Pillow's own bomb check is made an error too, as a second line."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise _too_many_pixels()
            # JPEG can decode straight at a smaller scale: less memory and time for a big phone photo.
            image.draft("RGB", (LARGE_PX, LARGE_PX))
            image.load()
            return ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (OSError, SyntaxError, ValueError, TypeError, EOFError, struct.error):
            raise _not_an_image() from None


def _flatten(image: Image.Image) -> Image.Image:
    """A new RGB image holding only the pixels (transparent parts on white): nothing of the original's info
    dictionary, where Pillow keeps EXIF, XMP and the ICC profile, comes along."""
    clean = Image.new("RGB", image.size, BACKGROUND)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        clean.paste(rgba, mask=rgba.getchannel("A"))
    else:
        clean.paste(image.convert("RGB"))
    return clean


def _webp(image: Image.Image, longest_side: int) -> tuple[bytes, tuple[int, int]]:
    copy = image.copy()
    copy.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "WEBP", quality=WEBP_QUALITY)
    return out.getvalue(), copy.size


def process_photo(uploaded_file) -> ProcessedPhoto:
    """A stored-ready photo from an upload (any file-like object), or a ValidationError saying in Indonesian
    what is wrong with it."""
    image = _flatten(_decode(_read_limited(uploaded_file)))
    large, (width, height) = _webp(image, LARGE_PX)
    thumb, _size = _webp(image, THUMB_PX)
    return ProcessedPhoto(large=large, thumb=thumb, width=width, height=height)
