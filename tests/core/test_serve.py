"""`naikkelas serve` runs gunicorn with static files through WhiteNoise, in development and production
settings. Each test starts the real command on a free port against its own SQLite file, then stops it."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest
from cryptography.fernet import Fernet

STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def naikkelas(*args: str, env: dict, **kwargs):
    return subprocess.run([sys.executable, "-m", "naikkelas", *args], env=env, capture_output=True, text=True, **kwargs)


def fetch(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@contextmanager
def serving(env: dict):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "naikkelas", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"serve exited early:\n{process.stdout.read()}")
            try:
                fetch(base + "/healthz")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail("serve did not answer /healthz in time")
                time.sleep(0.3)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def base_env(tmp_path) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "NAIKKELAS_ENV"}}
    env.update(NAIKKELAS_VAR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="naikkelas.settings", DEBUG="false")
    return env


def production_env(tmp_path) -> dict:
    env = base_env(tmp_path)
    env.update(
        NAIKKELAS_ENV="production",
        SECRET_KEY="test-serve-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        NIK_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        NIK_HASH_KEY="test-serve-hash-key",
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    return env


@pytest.mark.parametrize("make_env", [base_env, production_env], ids=["development", "production"])
def test_serve_answers_healthz_and_static_css_then_stops_on_sigterm(tmp_path, make_env):
    # Given a migrated database of its own
    env = make_env(tmp_path)
    migrated = naikkelas("migrate", "--noinput", env=env, timeout=120)
    assert migrated.returncode == 0, migrated.stderr

    # When the server runs
    with serving(env) as (base, process):
        status, _, body = fetch(base + "/healthz")
        css_status, css_headers, css = fetch(base + "/static/css/site.css")
        missing = None
        try:
            fetch(base + "/static/css/does-not-exist.css")
        except urllib.error.HTTPError as error:
            missing = error.code

    # Then it answered, served the stylesheet through WhiteNoise, and stopped cleanly
    assert (status, body) == (200, b"ok")
    assert css_status == 200
    assert css_headers["Content-Type"].startswith("text/css")
    assert b"mobile first" in css
    assert missing == 404
    assert process.returncode == 0
    if make_env is production_env:
        assert (tmp_path / "static" / "css" / "site.css").exists()  # collectstatic ran first


def test_serve_rejects_zero_workers(tmp_path):
    result = naikkelas("serve", "--workers", "0", env=base_env(tmp_path), timeout=60)

    assert result.returncode != 0
    assert "--workers harus 1 atau lebih" in result.stderr
