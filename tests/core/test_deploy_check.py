import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "NAIKKELAS_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "naikkelas.example.id",
        "NIK_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "NIK_HASH_KEY": secrets.token_urlsafe(32),
        "NAIKKELAS_VAR": str(tmp_path / "var"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SETTINGS_MODULE": "naikkelas.settings",
        "DEBUG": "false",
    }
    env.pop("DATABASE_URL", None)
    # The installed `naikkelas` command, as an operator would run it (the module form when it is not on disk).
    script = Path(sys.executable).with_name("naikkelas")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "naikkelas"]
    result = subprocess.run(
        [*command, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output
