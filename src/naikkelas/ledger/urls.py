from django.urls import path

from naikkelas.ledger.views import book, summary

app_name = "ledger"
BOOK = "toko/<int:business_id>/kas/"

urlpatterns = [
    path(BOOK, book.home, name="home"),
    path(BOOK + "baru/", book.entry_create, name="entry_create"),
    path(BOOK + "catatan/", book.entry_list, name="entry_list"),
    path(BOOK + "catatan/<int:entry_id>/hapus/", book.entry_delete, name="entry_delete"),
    path(BOOK + "ringkasan/", summary.summary, name="summary"),
]
