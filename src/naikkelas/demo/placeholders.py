"""Placeholder product photos for synthetic shops: a coloured tile with the product's initials, drawn with
Pillow and encoded like an uploaded photo (WebP, a large version and a thumbnail), so a demo storefront has
pictures without downloading anything."""

import io
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from naikkelas.catalog.photos import THUMB_PX, WEBP_QUALITY

# Smaller than an upload's large version (catalog.photos.LARGE_PX): a flat tile gains nothing from more
# pixels, and the demo writes its tiles while the person waits. For the same reason the encoder takes its
# quicker path (method 2 of 0–6: half the time of the default for a few hundred bytes more).
LARGE_PX = 512
WEBP_METHOD = 2
# Muted colours that keep white letters readable (contrast ≥ 4.5 against white).
PALETTE = (
    (0x8E, 0x3B, 0x2E),  # bata
    (0x2F, 0x5D, 0x50),  # hijau daun
    (0x3A, 0x4E, 0x7A),  # biru indigo
    (0x7A, 0x4A, 0x1E),  # soga
    (0x5B, 0x3A, 0x6E),  # ungu terong
    (0x1F, 0x5F, 0x7A),  # biru laut
    (0x6B, 0x5B, 0x1A),  # kunyit tua
    (0x8A, 0x2D, 0x4F),  # merah jambu tua
    (0x3D, 0x5A, 0x23),  # hijau pupus tua
    (0x55, 0x4B, 0x43),  # cokelat kopi
)
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Tile:
    large: bytes
    thumb: bytes
    width: int
    height: int


def initials(name: str) -> str:
    """The first letters of the first two words: "Keripik Pisang Manis" -> "KP"; "Batik" -> "BA"."""
    words = _WORD.findall(name)
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[1][0]).upper()


def colour_for(text: str) -> tuple[int, int, int]:
    """The same category (or name) always gets the same colour."""
    return PALETTE[zlib.crc32(text.encode("utf-8")) % len(PALETTE)]


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    # Pillow's own font at any size (Pillow 10.1+ with FreeType): no font file on disk is needed.
    return ImageFont.load_default(size=size)


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    return out.getvalue()


def tile(name: str, *, colour_key: str = "") -> Tile:
    """A square tile for a product called `name`, coloured by `colour_key` (e.g. its category)."""
    return _render(initials(name), colour_for(colour_key or name))


@lru_cache(maxsize=1024)
def _render(letters: str, background: tuple[int, int, int]) -> Tile:
    # Products of one category often share initials ("Keripik Pisang ...", "Keripik Pedas ..."): the
    # encoded bytes are reused, each photo still gets files of its own.
    image = Image.new("RGB", (LARGE_PX, LARGE_PX), background)
    draw = ImageDraw.Draw(image)
    # A lighter disc behind the letters, so the tile reads as a picture, not a blank square.
    lighter = tuple(min(255, c + 28) for c in background)
    margin = LARGE_PX // 6
    draw.ellipse((margin, margin, LARGE_PX - margin, LARGE_PX - margin), fill=lighter)
    draw.text((LARGE_PX / 2, LARGE_PX / 2), letters, fill=(255, 255, 255), font=_font(LARGE_PX // 3), anchor="mm")
    thumb = image.resize((THUMB_PX, THUMB_PX), Image.Resampling.BILINEAR)
    return Tile(large=_encode(image), thumb=_encode(thumb), width=LARGE_PX, height=LARGE_PX)
