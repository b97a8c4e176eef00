"""A synthetic history of orders for synthetic shops: who bought what, how they paid, how it ended.

Pure Python. `OrderHistory(...).for_shop(shop)` gives a shop's orders over the last `days` days before `now`,
oldest first and numbered 1, 2, 3..., as plain dicts with the fields of `orders.Order` (and their lines with
the fields of `orders.OrderLine`). The same seed, `now` and shops in the same order give the same orders.

The history is what the owner's pages would show after running the shop for a while: each order's steps
(confirmed, paid, shipped, completed; or cancelled or refunded) are timed from when it was placed, and its
status is the last step that happened before `now`, so the latest orders are still waiting for the owner.
The steps follow orders/lifecycle.py: cash on delivery is paid when the goods are handed over, QRIS and
transfer before they leave; a cancelled order never left the shop or came back; a refund before shipping
puts the units back.

Stock is not touched: the products' stock is what is on the shelf now, after these sales. Every share and
timing here is an assumption (docs/DATA.md).
"""

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from naikkelas.synth.businesses import SynthError
from naikkelas.synth.names import STREETS, pool_for

# ASSUMPTION: orders a shop receives in 30 days, log-normal by size class: (median, sigma, most).
ORDERS_PER_MONTH = {"micro": (6, 0.9, 150), "small": (30, 0.8, 600), "medium": (90, 0.7, 1_500)}
# ASSUMPTION: how buyers of small local shops pay. Cash on delivery first (two in three adults have no bank
# account), QRIS second, transfer last; a shop offers only the methods it accepts.
PAYMENT_MIX = {"cod": 0.55, "qris": 0.28, "transfer": 0.17}
# ASSUMPTION: how the goods reach the buyer.
DELIVERY_MIX = {"pickup": 0.35, "seller": 0.45, "courier": 0.20}
# ASSUMPTION: how orders end. Cancelled before anything left the shop; a COD parcel refused at the door
# (cancelled, the goods come back); refunded (prepaid only: half before shipping, half after delivery).
CANCEL_SHARE = 0.07
COD_REFUSED_SHARE = 0.03
REFUND_SHARE = 0.02
# ASSUMPTION: lines per order (1–4) and units per line, for everyday prices.
LINES = (0.55, 0.27, 0.12, 0.06)
QUANTITY = (0.6, 0.22, 0.1, 0.04, 0.04)
CHEAP = 5_000  # below this (gorengan, jajan pasar, fotokopi) people buy several: 2–10 units
DEAR = 1_000_000  # from this (furniture, batik tulis, a wedding) one at a time
# ASSUMPTION: share of orders from a buyer who ordered at the shop before; of buyers from the shop's own
# regency; of orders with a note.
REPEAT_BUYER_SHARE = 0.3
SAME_REGENCY_SHARE = 0.75
NOTE_SHARE = 0.15
# ASSUMPTION: when orders are placed, by the hour of the local day (weights): mornings and evenings.
HOUR_WEIGHTS = (0, 0, 0, 0, 0.2, 0.5, 1.5, 3, 4, 5, 6, 6, 5, 4, 4, 4, 4, 5, 6, 7, 7, 5, 3, 1)
# ASSUMPTION: minutes from one step to the next (log-uniform between the two): the owner answering,
# the buyer paying, the goods leaving, the goods arriving, a cancellation.
CONFIRM_MINUTES = (3, 240)
PAY_MINUTES = (1, 600)
SHIP_MINUTES = (20, 1_440)
ARRIVE_MINUTES = (20, 2_880)
CANCEL_MINUTES = (10, 1_440)
WAITING_WITHIN_S = 6 * 3600  # orders still new came in during the last six hours
REFUND_MINUTES = (60, 4_320)
# Buyers' numbers: Indonesian mobile prefixes with an eight-digit subscriber part from 09000000 to 09999999.
# Synthetic businesses use 10000000 and up and the demo logins 0812-0000-xxxx, so a buyer can never have a
# business's or a login's number.
BUYER_PREFIXES = ("812", "813", "821", "822", "852", "853", "857", "858", "877", "878", "896", "838", "881")
NOTES = (
    "Tolong dibungkus rapi ya, untuk oleh-oleh.",
    "Antar sore saja, pagi tidak ada orang di rumah.",
    "Pedasnya sedang saja.",
    "Rumah pagar hijau sebelah masjid.",
    "Minta nota, untuk kantor.",
    "Kalau habis, ganti yang mirip saja.",
    "Titip di pos ronda kalau tidak ada orang.",
    "Tolong kabari kalau sudah dikirim.",
    "Untuk acara arisan hari Minggu.",
    "Bayar pas barang sampai ya.",
)


@dataclass(frozen=True)
class Listing:
    """A product as an order line sees it; `key` is passed through to each line."""

    key: object
    name: str
    unit: str
    price: int


@dataclass(frozen=True)
class Storefront:
    """What the history needs of one shop. `methods` are the payment methods it takes (PaymentMethod values)."""

    key: object
    size_class: str
    regency: str  # Kemendagri code of the shop's regency, "34.04"
    listings: tuple[Listing, ...]
    methods: tuple[str, ...] = ("cod", "qris", "transfer")


class _Table:
    __slots__ = ("items", "cum")

    def __init__(self, weights: Mapping | Sequence):
        pairs = list(weights.items()) if isinstance(weights, Mapping) else list(enumerate(weights))
        self.items = [item for item, weight in pairs if weight > 0]
        total = sum(weight for _, weight in pairs if weight > 0)
        running, self.cum = 0.0, []
        for _, weight in pairs:
            if weight > 0:
                running += weight / total
                self.cum.append(running)

    def pick(self, u: float):
        for item, edge in zip(self.items, self.cum):
            if u < edge:
                return item
        return self.items[-1]


_HOURS = _Table(HOUR_WEIGHTS)
_LINES = _Table(LINES)
_QUANTITY = _Table(QUANTITY)
_DELIVERY = _Table(DELIVERY_MIX)


class OrderHistory:
    def __init__(
        self,
        *,
        province_code: str,
        villages: Mapping[str, Sequence[str]],
        seed: int,
        days: int,
        now: datetime,
        utc_offset_hours: int = 7,
    ):
        """`villages` maps each regency code of the province to its village codes; `now` is an aware datetime
        (the history ends just before it); `utc_offset_hours` is the province's zone (WIB 7, WITA 8, WIT 9)."""
        if not (isinstance(seed, int) and seed >= 0):
            raise SynthError("seed harus bilangan bulat 0 atau lebih")
        if not (isinstance(days, int) and 0 <= days <= 3_650):
            raise SynthError("jumlah hari riwayat pesanan harus dari 0 sampai 3650")
        if now.tzinfo is None:
            raise SynthError("waktu sekarang harus punya zona waktu")
        usable = {code: tuple(sorted(codes)) for code, codes in sorted(villages.items()) if codes}
        if not usable:
            raise SynthError("provinsi ini tidak punya desa/kelurahan; jalankan dulu: naikkelas load_regions")
        self.villages = usable
        self.every_village = tuple(code for codes in usable.values() for code in codes)
        self.names = pool_for(province_code)
        self.days = days
        self.now = now.astimezone(timezone.utc)
        self.zone = timezone(timedelta(hours=utc_offset_hours))
        self.rng = random.Random(seed * 104_729 + 29)
        self.random = self.rng.random

    # -- small draws --------------------------------------------------------------------------------------

    def _pick(self, items: Sequence):
        return items[int(self.random() * len(items))]

    def _minutes(self, span: tuple[int, int]) -> timedelta:
        low, high = span
        minutes = math.exp(math.log(low) + self.random() * (math.log(high) - math.log(low)))
        return timedelta(seconds=int(minutes * 60))

    def _count(self, size_class: str) -> int:
        median, sigma, most = ORDERS_PER_MONTH.get(size_class, ORDERS_PER_MONTH["micro"])
        per_month = math.exp(math.log(median) + sigma * self.rng.gauss())
        return min(int(round(per_month * self.days / 30)), most * max(1, self.days) // 30 + 1)

    def _placed_at(self) -> datetime:
        local_now = self.now.astimezone(self.zone)
        while True:
            day = local_now.date() - timedelta(days=int(self.random() * self.days))
            hour = _HOURS.pick(self.random())
            local = datetime(day.year, day.month, day.day, hour, int(self.random() * 60), int(self.random() * 60),
                             tzinfo=self.zone)
            placed = local.astimezone(timezone.utc)
            if placed < self.now:
                return placed

    def _buyer(self, shop: Storefront) -> dict:
        names = self.names
        female = self.random() < 0.5
        first = self._pick(names.female if female else names.male)
        second = self._pick(names.second_female if female else names.second_male)
        phone = f"+62{self._pick(BUYER_PREFIXES)}09{int(self.random() * 1_000_000):06d}"
        near = self.villages.get(shop.regency)
        village = self._pick(near) if near and self.random() < SAME_REGENCY_SHARE else self._pick(self.every_village)
        if self.random() < 0.7:
            address = f"Jl. {self._pick(STREETS)} No. {1 + int(self.random() * 150)}"
        else:
            address = f"RT {1 + int(self.random() * 12):02d}/RW {1 + int(self.random() * 9):02d}"
        return {
            "buyer_name": f"{first} {second}" if second else first,
            "buyer_phone": phone,
            "buyer_village_code": village,
            "buyer_address": address,
        }

    def _lines(self, listings: Sequence[Listing]) -> list[dict]:
        wanted = min(_LINES.pick(self.random()) + 1, len(listings))
        chosen: list[Listing] = []
        while len(chosen) < wanted:
            # The first products of a shop sell most (a square bends the uniform draw towards them).
            listing = listings[int(self.random() ** 2 * len(listings))]
            if listing not in chosen:
                chosen.append(listing)
        lines = []
        for listing in chosen:
            if listing.price >= DEAR:
                quantity = 1
            elif listing.price < CHEAP:
                quantity = 2 + int(self.random() * 9)
            else:
                quantity = _QUANTITY.pick(self.random()) + 1
            lines.append(
                {
                    "product": listing.key,
                    "name": listing.name,
                    "unit": listing.unit,
                    "unit_price": listing.price,
                    "quantity": quantity,
                    "line_total": listing.price * quantity,
                }
            )
        return lines

    # -- one order's life ---------------------------------------------------------------------------------

    def _steps(self, placed: datetime, method: str) -> list[tuple[str, datetime]]:
        """Every step the order will go through, timed; the caller keeps those before `now`."""
        cod = method == "cod"
        fate = self.random()
        if cod:
            refund = False
            cancel = fate < CANCEL_SHARE
            refused = CANCEL_SHARE <= fate < CANCEL_SHARE + COD_REFUSED_SHARE
        else:
            refund = fate < REFUND_SHARE
            cancel = REFUND_SHARE <= fate < REFUND_SHARE + CANCEL_SHARE
            refused = False
        steps = []
        at = placed
        if cancel and self.random() < 0.5:  # cancelled before the owner confirmed
            return [("cancelled", at + self._minutes(CANCEL_MINUTES))]
        at += self._minutes(CONFIRM_MINUTES)
        steps.append(("confirmed", at))
        if cancel:
            return [*steps, ("cancelled", at + self._minutes(CANCEL_MINUTES))]
        if not cod:
            at += self._minutes(PAY_MINUTES)
            steps.append(("paid", at))
            if refund and self.random() < 0.5:  # refunded before the goods left: the units go back
                return [*steps, ("refunded", at + self._minutes(REFUND_MINUTES))]
        at += self._minutes(SHIP_MINUTES)
        steps.append(("shipped", at))
        at += self._minutes(ARRIVE_MINUTES)
        if refused:
            return [*steps, ("cancelled", at)]
        steps.append(("completed", at))
        if refund:
            steps.append(("refunded", at + self._minutes(REFUND_MINUTES)))
        return steps

    def _order(self, shop: Storefront, methods: _Table, buyer: dict, placed: datetime, *, waiting: bool) -> dict:
        method = methods.pick(self.random())
        delivery = _DELIVERY.pick(self.random())
        lines = self._lines(shop.listings)
        subtotal = sum(line["line_total"] for line in lines)
        unique_code = 1 + int(self.random() * 999) if method == "transfer" else 0
        note = self._pick(NOTES) if self.random() < NOTE_SHARE else ""
        steps = [(step, at) for step, at in self._steps(placed, method) if at < self.now and not waiting]
        times = dict(steps)
        status = steps[-1][0] if steps else "new"
        # A completed COD order was paid when the goods were handed over.
        paid_at = times.get("paid") or (times.get("completed") if method == "cod" else None)
        returned = status == "cancelled" or (status == "refunded" and "shipped" not in times)
        return {
            "business": shop.key,
            "status": status,
            **buyer,
            "buyer_address": buyer["buyer_address"] if delivery != "pickup" else "",
            "delivery": delivery,
            "payment_method": method,
            "note": note,
            "subtotal": subtotal,
            "unique_code": unique_code,
            "total": subtotal + unique_code,
            "stock_returned": returned,
            "created_at": placed,
            "updated_at": steps[-1][1] if steps else placed,
            "confirmed_at": times.get("confirmed"),
            "paid_at": paid_at,
            "paid_via": "owner" if paid_at else "",
            "shipped_at": times.get("shipped"),
            "completed_at": times.get("completed"),
            "cancelled_at": times.get("cancelled"),
            "refunded_at": times.get("refunded"),
            "lines": lines,
        }

    def for_shop(self, shop: Storefront, *, waiting: int = 0) -> list[dict]:
        """The shop's orders, oldest first, numbered from 1. The last `waiting` of them came in during the
        last few hours and are still new, so the owner has something to answer (a demo shop)."""
        if not shop.listings or not self.days:
            return []
        offered = {method: share for method, share in PAYMENT_MIX.items() if method in shop.methods}
        methods = _Table(offered or {"cod": 1})
        count = self._count(shop.size_class)
        placed = sorted(self._placed_at() for _ in range(max(0, count - waiting)))
        placed += sorted(self.now - timedelta(seconds=int(self.random() * WAITING_WITHIN_S)) for _ in range(waiting))
        regulars: list[dict] = []
        orders = []
        for number, at in enumerate(placed, start=1):
            if regulars and self.random() < REPEAT_BUYER_SHARE:
                buyer = self._pick(regulars)
            else:
                buyer = self._buyer(shop)
                regulars.append(buyer)
            order = self._order(shop, methods, buyer, at, waiting=number > len(placed) - waiting)
            order["number"] = number
            orders.append(order)
        return orders
