"""The load scenario: buyers, owners and partners at once, against a real server (tests/load/run.py starts it
and reads the results).

    locust -f tests/load/locustfile.py --headless -u 100 -r 10 -t 5m --host http://127.0.0.1:8000

LOAD_FIXTURE names the fixture tests/load/prepare.py wrote; LOAD_TALLY where to write what the users saw (for
tests/load/invariants.py). Users pause 1–5 s between steps, as people reading a page do.

- **Buyers** (most users), each behind an address of their own (X-Forwarded-For, as the proxy in front sets
  it): browse shops and products, search, and check out at a flash-sale shop, paying by QRIS. They fetch the
  QRIS image; the gateway then calls back, signed, and some callbacks come twice (a gateway retrying), or
  under a second event id (a buyer paying twice).
- **Owners** of the flash-sale shops: open their orders, move one along (confirm, mark paid, send, finish, now
  and then cancel), and write cash-book entries.
- **Partners**: sync the catalogue incrementally, place orders through the API with an Idempotency-Key (some
  sent again, as after a timeout) and read them back.

A "sold out" or "already paid" answer is the right answer under contention, not an error; anything else
unexpected (a 5xx, a form error, a wrong redirect) is counted as a failure.
"""

import datetime as dt
import hashlib
import hmac
import json
import os
import random
import re
import time
import uuid
from collections import Counter

from locust import HttpUser, between, events, task

from tests.load.forms import Forms

FIXTURE = json.loads(open(os.environ.get("LOAD_FIXTURE", "var/load/fixture.json")).read())
TALLY = {"paid": Counter(), "callbacks": Counter(), "entries": [], "requests": []}
SOLD_OUT = ("tidak cukup", "habis", "tidak dijual", "tidak tersedia", "not enough", "sold out")


def sign(secret: str, body: bytes) -> dict:
    stamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Naikkelas-Timestamp": stamp, "X-Naikkelas-Signature": "sha256=" + digest,
            "Content-Type": "application/json"}


class Baseline(HttpUser):
    """One user asking /healthz (no template, one `SELECT 1`) each second: what the server's queue and the
    machine cost by themselves while the others load it; run.py gives the pages' times as ratios to it."""

    fixed_count = 1
    wait_time = between(0.5, 1.5)

    @task
    def healthz(self):
        self.client.get("/healthz", name="baseline: /healthz")


class Buyer(HttpUser):
    weight = 12
    wait_time = between(1, 5)

    def on_start(self):
        # Each buyer comes from an address of their own, as a proxy in front would report it.
        self.client.headers["X-Forwarded-For"] = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"

    @task(4)
    def browse(self):
        self.client.get(f"/{random.choice(FIXTURE['browse_shops'])}/", name="page: shop")
        slug, pk = random.choice(FIXTURE["browse_products"])
        self.client.get(f"/{slug}/{pk}/", name="page: product")

    @task(3)
    def search(self):
        words = random.sample(FIXTURE["search_words"], random.choice((1, 1, 2)))
        self.client.get("/cari/", params={"q": " ".join(words)}, name="page: search")

    @task(3)
    def buy(self):
        shop = random.choice(FIXTURE["shops"])
        self.client.get(f"/{shop['slug']}/", name="page: shop")
        for pk in random.sample(shop["products"], random.choice((1, 1, 2))):
            page = self.client.get(f"/{shop['slug']}/{pk}/", name="page: product")
            form = Forms(page.text).find("/keranjang/tambah/")
            if form is None:  # sold out meanwhile: no form to add it
                continue
            form["fields"]["quantity"] = str(random.choice((1, 1, 1, 2, 3)))
            self.client.post(form["action"], data=form["fields"], name="page: add to cart")
        self.checkout(shop)

    def checkout(self, shop):
        page = self.client.get(f"/{shop['slug']}/pesan/", name="page: checkout")
        form = Forms(page.text).find("/pesan/")
        if form is None:  # the cart was empty: everything picked had sold out
            return
        fields = form["fields"]
        fields.update(name="Pembeli Uji", phone=f"0812{random.randint(10000000, 99999999)}", delivery="pickup",
                      payment_method="qris", note="")
        with self.client.post(form["action"], data=fields, name="page: place order", allow_redirects=False,
                              catch_response=True) as answer:
            if answer.status_code == 302 and "/pesanan/" in answer.headers.get("Location", ""):
                answer.success()
                token = answer.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
            elif answer.status_code == 200 and any(word in answer.text.lower() for word in SOLD_OUT):
                answer.success()  # the last units went to someone else: the form says so
                return
            else:
                answer.failure(f"checkout answered {answer.status_code}")
                return
        with self.client.get(f"/pesanan/{token}/", name="page: order status", catch_response=True) as status:
            amount = self.order_total(status.text)
            if amount is None:
                status.failure("the order page shows no total")
                return
        self.client.get(f"/pesanan/{token}/qris.png", name="page: QRIS image")
        self.pay(token, amount, str(uuid.uuid4()))
        roll = random.random()
        if roll < 0.15:
            self.pay(token, amount, None)  # the gateway retries the same event
        elif roll < 0.25:
            self.pay(token, amount, str(uuid.uuid4()))  # the buyer pays again under a new event

    @staticmethod
    def order_total(html):
        found = re.search(r'class="grand">.*?Rp\W*([\d.]+)', html, re.S)
        return int(found.group(1).replace(".", "")) if found else None

    def pay(self, token, amount, event_id):
        event_id = event_id or self.last_event
        self.last_event = event_id
        body = json.dumps({"event_id": event_id, "type": "payment.succeeded", "order_token": token,
                           "amount": amount}).encode()
        gateway = FIXTURE["gateway"]
        with self.client.post(f"/bayar/callback/{gateway['name']}/", data=body,
                              headers=sign(gateway["secret"], body), name="api: payment callback",
                              catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"callback answered {answer.status_code}")
                return
            result = answer.json()
            TALLY["callbacks"][event_id] += 1
            if result["outcome"] == "paid" and not result["repeat"]:
                TALLY["paid"][token] += 1


class Owner(HttpUser):
    weight = 3
    wait_time = between(2, 6)

    def on_start(self):
        self.shop = random.choice(FIXTURE["shops"])
        self.client.cookies.set(FIXTURE["session_cookie"], self.shop["session"])
        self.base = f"/toko/{self.shop['id']}"

    @task(3)
    def handle_an_order(self):
        listing = self.client.get(f"{self.base}/pesanan/", name="page: owner orders")
        numbers = re.findall(rf'href="{self.base}/pesanan/(\d+)/"', listing.text)
        if not numbers:
            return
        number = random.choice(numbers[:10])
        detail = self.client.get(f"{self.base}/pesanan/{number}/", name="page: owner order")
        forms = [f for f in Forms(detail.text).forms if "/lunas/" in f["action"] or "/status/" in f["action"]]
        # Move it forward; cancel only now and then, as a shop does.
        forward = [f for f in forms if f["fields"].get("to") not in ("cancelled", "refunded")] or forms
        if not forms:
            return
        form = random.choice(forms if random.random() < 0.08 else forward)
        with self.client.post(form["action"], data=form["fields"], name="page: owner order action",
                              allow_redirects=False, catch_response=True) as answer:
            if answer.status_code == 302:
                answer.success()
            else:
                answer.failure(f"order action answered {answer.status_code}")

    @task(2)
    def write_cash_book(self):
        direction = random.choice(("in", "out"))
        page = self.client.get(f"{self.base}/kas/baru/?arah={direction}", name="page: cash-book form")
        form = next((f for f in Forms(page.text).forms if "keluar" not in f["action"] and "setlang" not in f["action"]), None)
        if form is None:
            return
        fields = form["fields"]
        fields["amount"] = str(random.randint(1, 500) * 1000)
        fields["note"] = "uji beban"
        action = form["action"] or page.url
        with self.client.post(action, data=fields, name="page: cash-book entry", allow_redirects=False,
                              catch_response=True) as answer:
            if answer.status_code == 302:
                answer.success()
                TALLY["entries"].append(fields["client_id"])
            else:
                answer.failure(f"cash-book entry answered {answer.status_code}")

    @task(1)
    def look_at_the_book(self):
        self.client.get(f"{self.base}/kas/", name="page: cash book")


class Partner(HttpUser):
    weight = 1
    wait_time = between(1, 5)

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {random.choice(FIXTURE['partner_keys'])}"
        self.since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=10)).isoformat()

    @task(3)
    def sync(self):
        params = {"updated_since": self.since, "limit": 100}
        for _ in range(5):
            page = self.client.get("/api/v1/products", params=params, name="api: products since")
            if page.status_code != 200:
                return
            body = page.json()
            if not body["next_cursor"]:
                self.since = body["next_updated_since"] or self.since
                return
            params = {"updated_since": self.since, "limit": 100, "cursor": body["next_cursor"]}

    @task(2)
    def place_an_order(self):
        shop = random.choice(FIXTURE["shops"])
        lines = [{"product_id": pk, "quantity": random.choice((1, 1, 2))} for pk in random.sample(shop["products"], 2)]
        body = json.dumps({
            "business_id": shop["id"], "external_ref": uuid.uuid4().hex, "lines": lines,
            "buyer": {"name": "Pembeli Mitra", "phone": f"0813{random.randint(10000000, 99999999)}"},
            "delivery": "pickup", "payment_method": random.choice(("cod", "qris", "transfer")),
        })
        headers = {"Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"}
        for attempt in range(2 if random.random() < 0.2 else 1):  # sent again, as after a timeout
            with self.client.post("/api/v1/orders", data=body, headers=headers, name="api: place order",
                                  catch_response=True) as answer:
                replayed = answer.headers.get("Idempotent-Replayed") == "true"
                if attempt and not replayed:
                    answer.failure(f"a repeated request was answered anew ({answer.status_code})")
                    return
                if answer.status_code == 201:
                    answer.success()
                    order = answer.json()
                elif answer.status_code == 422 and any(word in answer.text.lower() for word in SOLD_OUT):
                    answer.success()
                    return
                else:
                    answer.failure(f"order answered {answer.status_code}: {answer.text[:200]}")
                    return
        self.client.get(f"/api/v1/orders/{order['id']}", name="api: read order")


@events.request.add_listener
def keep_time(request_type, name, response_time, response_length, exception=None, **kwargs):
    TALLY["requests"].append((name, round(response_time, 1), exception is None))


@events.test_stop.add_listener
def write_tally(environment, **kwargs):
    path = os.environ.get("LOAD_TALLY")
    if path:
        with open(path, "w") as out:
            json.dump(TALLY, out)
