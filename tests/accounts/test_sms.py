import json

import pytest

from naikkelas.accounts import sms


def test_send_sms_uses_the_backend_named_in_settings(settings, sms_outbox):
    settings.SMS_BACKEND = "naikkelas.accounts.sms.LocmemBackend"
    sms.send_sms("+6281234567890", "halo")
    assert [(m["to"], m["text"]) for m in sms_outbox] == [("+6281234567890", "halo")]
    assert sms_outbox[0]["at"].endswith("+00:00")


def test_console_backend_prints_the_message(settings, capsys):
    settings.SMS_BACKEND = "naikkelas.accounts.sms.ConsoleBackend"
    sms.send_sms("+6281234567890", "Kode Anda: 123456")
    assert "SMS to +6281234567890: Kode Anda: 123456" in capsys.readouterr().out


def test_file_backend_appends_json_lines_and_creates_folders(settings, tmp_path):
    # Given a file path whose folders do not exist yet
    target = tmp_path / "a" / "b" / "sms.jsonl"
    settings.SMS_BACKEND = "naikkelas.accounts.sms.FileBackend"
    settings.SMS_FILE_PATH = target
    # When two messages are sent
    sms.send_sms("+6281234567890", "satu")
    sms.send_sms("+6281234567891", "dua – ü")
    # Then each is one JSON line, in order
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [(m["to"], m["text"]) for m in lines] == [("+6281234567890", "satu"), ("+6281234567891", "dua – ü")]
    assert all(m["at"] for m in lines)


@pytest.mark.parametrize("make_dir", [True, False])
def test_file_backend_writes_outbox_jsonl_inside_a_folder_setting(settings, tmp_path, make_dir):
    # The default SMS_FILE_PATH is var/sms: a folder (existing or not) means var/sms/outbox.jsonl.
    folder = tmp_path / "sms"
    if make_dir:
        folder.mkdir()
    settings.SMS_BACKEND = "naikkelas.accounts.sms.FileBackend"
    settings.SMS_FILE_PATH = folder
    sms.send_sms("+6281234567890", "halo")
    assert json.loads((folder / "outbox.jsonl").read_text())["text"] == "halo"


def test_file_backend_reports_a_write_failure_as_sms_error(settings, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    settings.SMS_BACKEND = "naikkelas.accounts.sms.FileBackend"
    settings.SMS_FILE_PATH = blocker / "inside.jsonl"
    with pytest.raises(sms.SmsError):
        sms.send_sms("+6281234567890", "halo")


class ProviderBackend(sms.BaseSmsBackend):
    sent: list = []

    def send(self, phone, text):
        ProviderBackend.sent.append((phone, text))


def test_a_provider_plugs_in_by_dotted_path(settings):
    settings.SMS_BACKEND = f"{__name__}.ProviderBackend"
    sms.send_sms("+6281234567890", "halo")
    assert ProviderBackend.sent == [("+6281234567890", "halo")]
