"""`naikkelas qris png PAYLOAD FILE`: a checked QRIS written as a PNG that scans back to the same payload."""

import subprocess
import sys

import pytest
import zxingcpp
from django.core.management import CommandError, call_command
from PIL import Image

from naikkelas.payments.qris import to_dynamic
from tests.payments.factories import STATIC_QRIS


@pytest.mark.parametrize("payload", [STATIC_QRIS, to_dynamic(STATIC_QRIS, 15000)])
def test_qris_png_writes_an_image_that_decodes_to_the_payload(tmp_path, payload):
    target = tmp_path / "qris.png"
    call_command("qris", "png", payload, str(target))
    found = zxingcpp.read_barcodes(Image.open(target))
    assert [code.text for code in found] == [payload]


def test_qris_png_refuses_a_bad_payload_and_writes_nothing(tmp_path):
    target = tmp_path / "qris.png"
    with pytest.raises(CommandError, match="CRC tidak cocok"):
        call_command("qris", "png", STATIC_QRIS[:-1] + "0", str(target))
    assert not target.exists()


def test_qris_png_exits_non_zero_with_a_message_on_a_bad_payload(tmp_path):
    target = tmp_path / "qris.png"
    run = subprocess.run(
        [sys.executable, "-m", "naikkelas", "qris", "png", "bukan-qris", str(target)],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode != 0
    assert "QRIS" in run.stderr
    assert not target.exists()


def test_qris_png_says_when_the_file_cannot_be_written(tmp_path):
    with pytest.raises(CommandError, match="Tidak bisa menulis"):
        call_command("qris", "png", STATIC_QRIS, str(tmp_path / "tidak-ada" / "qris.png"))
