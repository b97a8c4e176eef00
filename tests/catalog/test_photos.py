"""Photos as uploaded from a phone: only real images, no bombs, upright, no metadata, WebP in two sizes."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from naikkelas.catalog import photos
from naikkelas.catalog.photos import LARGE_PX, MAX_UPLOAD_BYTES, THUMB_PX, process_photo

SECRET_PLACE = "Jl. Rumah Saya No. 7"
GPS_IFD = 0x8825
ORIENTATION = 0x0112
IMAGE_DESCRIPTION = 0x010E


def image_bytes(size=(300, 200), fmt="JPEG", mode="RGB", color=(200, 80, 40), **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt, **save)
    return out.getvalue()


def phone_jpeg(size=(300, 200), orientation: int = 1) -> bytes:
    """A JPEG as a phone camera writes it: orientation, a description, and where it was taken."""
    image = Image.new("RGB", size, (200, 80, 40))
    image.paste((0, 0, 255), (0, 0, size[0] // 2, size[1] // 2))  # a blue top-left corner, to see the turn
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[IMAGE_DESCRIPTION] = SECRET_PLACE
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (7.0, 46.0, 58.44), 3: "E", 4: (110.0, 22.0, 1.56)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95)
    return out.getvalue()


def upload(data: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture: the classic decompression bomb's first step."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def refusal(data: bytes, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        process_photo(upload(data, **kwargs))
    return caught.value


def test_a_phone_photo_comes_out_as_webp_without_any_metadata():
    processed = process_photo(upload(phone_jpeg()))
    for data in (processed.large, processed.thumb):
        image = opened(data)
        assert image.format == "WEBP"
        assert not set(image.info) & {"exif", "xmp", "icc_profile"}
        assert not image.getexif()
        assert SECRET_PLACE.encode() not in data and b"Exif" not in data


def test_a_photo_taken_sideways_is_turned_upright_before_the_orientation_is_dropped():
    processed = process_photo(upload(phone_jpeg(size=(300, 200), orientation=6)))
    assert (processed.width, processed.height) == (200, 300)
    # Orientation 6 means "turn 90° clockwise to view": the blue top-left corner ends up top-right.
    r, g, b = opened(processed.large).convert("RGB").getpixel((190, 10))
    assert b > 200 and r < 60


def test_large_and_thumbnail_keep_the_shape_within_their_longest_side():
    processed = process_photo(upload(image_bytes(size=(3000, 1000))))
    assert opened(processed.large).size == (LARGE_PX, 400) == (processed.width, processed.height)
    thumb = opened(processed.thumb).size
    assert thumb[0] == THUMB_PX and thumb[1] in (133, 134)


def test_a_small_photo_is_not_blown_up():
    processed = process_photo(upload(image_bytes(size=(300, 200))))
    assert (processed.width, processed.height) == (300, 200)
    assert opened(processed.thumb).size == (300, 200)


@pytest.mark.parametrize(
    ("fmt", "mode", "color"),
    [("PNG", "RGBA", (0, 0, 0, 0)), ("WEBP", "RGB", (10, 200, 10)), ("PNG", "P", 3), ("JPEG", "L", 90)],
)
def test_png_webp_and_unusual_colour_modes_are_accepted_and_made_rgb(fmt, mode, color):
    processed = process_photo(upload(image_bytes(fmt=fmt, mode=mode, color=color), name="x.bin"))
    assert opened(processed.large).mode == "RGB"


def test_transparent_parts_become_white_not_black():
    processed = process_photo(upload(image_bytes(fmt="PNG", mode="RGBA", color=(0, 0, 0, 0))))
    assert all(channel > 240 for channel in opened(processed.large).convert("RGB").getpixel((5, 5)))


def test_a_header_claiming_a_huge_picture_is_refused_as_too_many_pixels():
    error = refusal(png_claiming(100_000, 100_000), name="bom.png")
    assert error.code == "too_many_pixels"
    assert "megapiksel" in error.messages[0]


def test_a_real_picture_past_the_pixel_limit_is_refused(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 100 * 100)
    assert refusal(image_bytes(size=(101, 100))).code == "too_many_pixels"
    process_photo(upload(image_bytes(size=(100, 100))))  # right at the limit is fine


def test_pillows_own_bomb_check_is_an_error_too(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50 * 50)  # now a 60x60 image only warns in Pillow
    assert refusal(image_bytes(size=(60, 60))).code == "too_many_pixels"


def test_a_text_file_renamed_to_jpg_is_refused():
    error = refusal(b"ini bukan foto, hanya tulisan\n" * 10, name="foto.jpg")
    assert error.code == "not_image"
    assert "bukan foto" in error.messages[0]


def test_a_real_image_of_another_type_is_refused():
    assert refusal(image_bytes(fmt="GIF", mode="P", color=1), name="foto.jpg").code == "not_image"


def test_a_cut_off_photo_is_refused():
    data = phone_jpeg(size=(600, 400))
    assert refusal(data[: len(data) // 2]).code == "not_image"


def test_an_empty_file_is_refused():
    assert refusal(b"").code == "not_image"


def test_a_file_over_the_size_limit_is_refused_before_it_is_decoded():
    error = refusal(b"\xff\xd8\xff" + b"\0" * MAX_UPLOAD_BYTES)
    assert error.code == "too_big"
    assert "8 MB" in error.messages[0]


def test_a_file_right_at_the_size_limit_is_judged_on_its_content():
    assert refusal(b"\0" * MAX_UPLOAD_BYTES).code == "not_image"


MAGIC = st.sampled_from([b"", b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"RIFF\x10\x00\x00\x00WEBPVP8 "])


@settings(max_examples=200, deadline=None)
@given(prefix=MAGIC, body=st.binary(max_size=600))
def test_any_bytes_give_a_photo_or_a_validation_error_never_a_crash(prefix, body):
    try:
        processed = process_photo(upload(prefix + body))
    except ValidationError as error:
        assert error.messages and error.code in {"not_image", "too_many_pixels", "too_big"}
    else:
        assert opened(processed.large).format == "WEBP"
