"""Payments: QRIS, and later the payment methods and confirmations of orders."""
