import pytest
from django.core.management import CommandError, call_command

from naikkelas.accounts.models import User

pytestmark = pytest.mark.django_db

STRONG = "kopi-tubruk-sleman-77"


def test_create_officer_makes_a_scoped_officer(capsys):
    call_command(
        "create_officer", "--phone", "0812-1111-2222", "--name", "Pak Budi", "--region", "34", "--region", "34.71",
        "--password", STRONG,
    )  # fmt: skip
    officer = User.objects.get(phone="+6281211112222")
    assert officer.role == User.Role.OFFICER and officer.name == "Pak Budi"
    assert officer.check_password(STRONG)
    assert sorted(officer.regions.values_list("code", flat=True)) == ["34", "34.71"]
    assert "officer +6281211112222" in capsys.readouterr().out


def test_create_officer_refuses_an_unknown_region():
    with pytest.raises(CommandError, match="99.99"):
        call_command("create_officer", "--phone", "0812-1111-2222", "--region", "99.99", "--password", STRONG)
    assert not User.objects.exists()


def test_create_officer_without_password_and_without_a_terminal_is_refused(monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="--password"):
        call_command("create_officer", "--phone", "0812-1111-2222", "--region", "34")
    assert not User.objects.exists()


def test_create_admin_makes_a_superuser_admin():
    call_command("create_admin", "--phone", "0812-9000-0001", "--password", STRONG)
    admin = User.objects.get(phone="+6281290000001")
    assert admin.is_admin and admin.is_superuser and admin.is_staff


def test_create_admin_refuses_an_existing_number():
    User.objects.create_user("0812-9000-0001")
    with pytest.raises(CommandError, match="sudah punya akun"):
        call_command("create_admin", "--phone", "0812-9000-0001", "--password", STRONG)
