"""Orders for tests, written straight to the database (stock untouched); order_place is tested on its own."""

from django.db.models import Max

from naikkelas.orders.models import Delivery, Order, OrderLine, PaymentMethod


def make_order(business, products_and_quantities=(), *, payment_method: str = PaymentMethod.COD, **fields) -> Order:
    lines = [(product, quantity) for product, quantity in products_and_quantities]
    subtotal = sum(product.price * quantity for product, quantity in lines)
    number = (Order.objects.filter(business=business).aggregate(n=Max("number"))["n"] or 0) + 1
    values = {
        "buyer_name": "Ani Pembeli",
        "buyer_phone": "+6281399990001",
        "delivery": Delivery.PICKUP,
        "subtotal": subtotal,
        "total": subtotal + fields.get("unique_code", 0),
        **fields,
    }
    order = Order.objects.create(business=business, number=number, payment_method=payment_method, **values)
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order, product=product, name=product.name, unit=product.unit, unit_price=product.price,
            quantity=quantity, line_total=product.price * quantity,
        )
        for product, quantity in lines
    )
    return order
