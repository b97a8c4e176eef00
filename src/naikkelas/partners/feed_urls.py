"""Product feeds: /feed/mitra/<token>/<name> for a partner, /feed/toko/<slug>/<name> for one shop."""

app_name = "partners_feeds"
urlpatterns: list = []
