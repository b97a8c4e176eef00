"""Naik Kelas: the open platform that takes Indonesia's UMKM online."""
