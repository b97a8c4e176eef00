from django.contrib.auth.views import LogoutView
from django.urls import path

from naikkelas.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.login, name="login"),
    path("masuk/sandi/", views.password_login, name="password_login"),
    path("daftar/", views.signup, name="signup"),
    path("kode/", views.verify, name="verify"),
    path("kode/kirim-ulang/", views.resend, name="resend"),
    path("sandi/", views.password_set, name="password_set"),
    path("keluar/", LogoutView.as_view(next_page="home"), name="logout"),
]
