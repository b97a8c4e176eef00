"""Penjualan operations of the partner API."""

from ninja import Router

router = Router(tags=["Penjualan"])
