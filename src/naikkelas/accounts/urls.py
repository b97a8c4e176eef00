from django.contrib.auth.views import LogoutView
from django.urls import path

from naikkelas.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.login, name="login"),
    path("daftar/", views.signup, name="signup"),
    path("keluar/", LogoutView.as_view(), name="logout"),
]
