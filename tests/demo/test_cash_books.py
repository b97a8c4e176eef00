"""`naikkelas synth --cash-book-months M [--cash-books N]`: two years of daily cash book for synthetic
businesses, written as entries of source "synth", each business's true outcome kept beside them."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Min
from django.utils import timezone

from naikkelas.demo.models import SyntheticOutcome
from naikkelas.earlywarning.models import Closure
from naikkelas.ledger.models import Entry, Source
from naikkelas.registry.models import Business

pytestmark = pytest.mark.django_db

BUSINESSES_ONLY = ("--province", "34", "--seed", "1", "--products", "0")


def synth(*args: str) -> str:
    out = StringIO()
    call_command("synth", *BUSINESSES_ONLY, *args, stdout=out)
    return out.getvalue()


def test_each_business_gets_a_daily_cash_book_up_to_yesterday_and_its_outcome():
    output = synth("--businesses", "24", "--cash-book-months", "15")

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    outcomes = {o.business_id: o for o in SyntheticOutcome.objects.all()}
    assert set(outcomes) == set(Business.objects.values_list("pk", flat=True)) and len(outcomes) == 24
    books = Entry.objects.values("business_id").annotate(n=Count("pk"), first=Min("date"), last=Max("date"))
    assert len(books) == 24
    assert not Entry.objects.exclude(source=Source.SYNTH).exists()
    for book in books:
        outcome = outcomes[book["business_id"]]
        assert outcome.history_end == yesterday
        assert book["first"] >= outcome.history_start and book["last"] <= yesterday
        if outcome.closed_on is None:
            assert book["n"] > 200 and book["last"] >= yesterday - dt.timedelta(days=14)  # open to the end
        else:
            assert book["last"] < outcome.closed_on  # nothing after closing
    closed = sum(o.closed_on is not None for o in outcomes.values())
    # in the synthetic world every closure is recorded, as officers would record it
    assert dict(Closure.objects.values_list("business_id", "closed_on")) == {
        pk: o.closed_on for pk, o in outcomes.items() if o.closed_on is not None
    }
    assert f"Buku kas 24 usaha: {Entry.objects.count():,} catatan; {closed} usaha tutup" in output


def test_cash_books_go_to_the_first_n_businesses_only():
    synth("--businesses", "12", "--cash-book-months", "14", "--cash-books", "5")

    first_five = list(Business.objects.order_by("pk").values_list("pk", flat=True)[:5])
    assert sorted(SyntheticOutcome.objects.values_list("business_id", flat=True)) == first_five
    assert set(Entry.objects.values_list("business_id", flat=True)) == set(first_five)


def test_a_second_run_replaces_the_books_instead_of_doubling_them():
    synth("--businesses", "6", "--cash-book-months", "14")
    first = sorted(Entry.objects.values_list("date", "direction", "amount", "category"))

    synth("--businesses", "6", "--cash-book-months", "14")

    assert sorted(Entry.objects.values_list("date", "direction", "amount", "category")) == first
    assert SyntheticOutcome.objects.count() == 6


def test_keep_existing_writes_books_for_a_run_written_without_them():
    synth("--businesses", "5", "--cash-book-months", "0")
    assert not Entry.objects.exists()

    synth("--businesses", "5", "--cash-book-months", "14", "--keep-existing")

    assert SyntheticOutcome.objects.count() == 5 and Entry.objects.exists()


@pytest.mark.parametrize(
    "args,message",
    [
        (("--cash-book-months", "6"), "--cash-book-months harus 0 atau dari 14 sampai 120"),
        (("--cash-book-months", "121"), "--cash-book-months harus 0 atau dari 14 sampai 120"),
        (("--cash-books", "-1"), "--cash-books harus 0 atau lebih"),
    ],
)
def test_bad_cash_book_arguments_are_refused_and_nothing_is_written(args, message):
    with pytest.raises(CommandError, match=message):
        synth("--businesses", "5", *args)
    assert not Business.objects.exists() and not Entry.objects.exists()
