from django.urls import path

from naikkelas.ledger.views import book, debts, officer, statement, summary
from naikkelas.ledger.views import transfer

app_name = "ledger"
BOOK = "toko/<int:business_id>/kas/"

urlpatterns = [
    path(BOOK, book.home, name="home"),
    path(BOOK + "baru/", book.entry_create, name="entry_create"),
    path(BOOK + "catatan/", book.entry_list, name="entry_list"),
    path(BOOK + "catatan/<int:entry_id>/hapus/", book.entry_delete, name="entry_delete"),
    path(BOOK + "ringkasan/", summary.summary, name="summary"),
    path(BOOK + "ekspor/", transfer.export, name="export"),
    path(BOOK + "impor/", transfer.import_upload, name="import"),
    path(BOOK + "impor/simpan/", transfer.import_commit, name="import_commit"),
    path(BOOK + "utang/", debts.debt_list, name="debt_list"),
    path(BOOK + "utang/baru/", debts.debt_create, name="debt_create"),
    path(BOOK + "utang/<int:debt_id>/", debts.debt_detail, name="debt_detail"),
    path(BOOK + "izin-petugas/", officer.officer_consent, name="officer_consent"),
    path("usaha/<int:business_id>/kas/", officer.officer_summary, name="officer_summary"),
    path(BOOK + "laporan/", statement.statement, name="statement"),
    path(BOOK + "laporan/pdf/", statement.statement_pdf, name="statement_pdf"),
    path(BOOK + "laporan/bagikan/", statement.statement_share, name="statement_share"),
    path(BOOK + "laporan/tautan/<int:share_id>/cabut/", statement.statement_revoke, name="statement_revoke"),
    # The link an owner sends (to a bank): the PDF for whoever holds the token, while it is valid.
    path("laporan/<str:token>/", statement.statement_public, name="statement_public"),
]
