"""/healthz says the process is up; /readyz says it can serve: the database answers and no migration this code
knows is unapplied. Both are public, never cached, and say nothing about anyone."""

from unittest import mock

import pytest
from django.db import OperationalError, connection, connections
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db

NOT_CACHED = ("no-cache", "no-store", "max-age=0")


def test_healthz_answers_ok_and_is_not_cached(client):
    response = client.get("/healthz")

    assert (response.status_code, response.content) == (200, b"ok")
    assert all(word in response["Cache-Control"] for word in NOT_CACHED)


def test_readyz_is_ready_when_the_database_answers_and_every_migration_is_applied(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert all(word in response["Cache-Control"] for word in NOT_CACHED)


def test_readyz_answers_anonymous_visitors_and_head_requests(client):
    assert client.head("/readyz").status_code == 200
    assert client.post("/readyz").status_code == 405


def test_readyz_is_not_ready_while_a_migration_is_unapplied(client):
    # Given the newest migration of one app not recorded as applied (as after a deploy, before `migrate`)
    recorder = MigrationRecorder(connection)
    newest = recorder.migration_qs.filter(app="core").order_by("-id").first()
    assert newest is not None
    newest.delete()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "migrations", "unapplied": 1}
    assert all(word in response["Cache-Control"] for word in NOT_CACHED)


def test_readyz_is_not_ready_when_the_database_does_not_answer(client):
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "database"}
    assert "connection refused" not in response.content.decode()
    assert all(word in response["Cache-Control"] for word in NOT_CACHED)
