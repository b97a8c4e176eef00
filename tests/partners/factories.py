"""Builders for partner tests: a partner organisation with its people and keys, shares, and API calls."""

import json

from django.test import Client
from django.utils import timezone

from naikkelas.partners import services
from naikkelas.partners.models import ApiKey, Partner, Share
from tests.registry.factories import make_partner as make_partner_user


def make_partner_org(name: str = "Pasar Nusantara", *, members=(), **fields) -> Partner:
    partner = services.partner_create(actor=None, name=name, **fields)
    if members:
        partner.members.set(members)
    return partner


def make_partner_with_user(name: str = "Pasar Nusantara", **fields):
    """(partner, one of its people, signed-in capable)."""
    user = make_partner_user()
    return make_partner_org(name, members=[user], **fields), user


def make_key(partner: Partner, scope: str = ApiKey.Scope.WRITE, name: str = "server") -> str:
    """The whole secret of a new key of `partner`."""
    return services.api_key_create(actor=None, partner=partner, name=name, scope=scope).secret


def share(business, partner: Partner) -> Share:
    """`business` shares with `partner`, as if its owner had said yes (owner-less businesses too)."""
    now = timezone.now()
    made, _ = Share.objects.update_or_create(
        business=business,
        partner=partner,
        defaults={"state": Share.State.GRANTED, "granted_at": now, "withdrawn_at": None, "changed_at": now},
    )
    return made


class Api:
    """The test client speaking to /api/v1/ with one key: `api.get("/products")`, `api.post(path, body)`."""

    def __init__(self, key: str | None, client: Client | None = None):
        self.key, self.client = key, client or Client()

    def _headers(self, extra: dict | None) -> dict:
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        return {**headers, **(extra or {})}

    def get(self, path: str, params: dict | None = None, headers: dict | None = None):
        return self.client.get("/api/v1" + path, params or {}, headers=self._headers(headers))

    def post(self, path: str, body=None, headers: dict | None = None):
        return self.client.post(
            "/api/v1" + path, json.dumps(body if body is not None else {}), content_type="application/json",
            headers=self._headers(headers),
        )

    def put(self, path: str, body=None, headers: dict | None = None):
        return self.client.put(
            "/api/v1" + path, json.dumps(body if body is not None else {}), content_type="application/json",
            headers=self._headers(headers),
        )
