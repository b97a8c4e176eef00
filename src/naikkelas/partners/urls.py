"""Pages of the partners edge under /mitra/: partners' own pages, owners' sharing decisions, officers' invitations."""

app_name = "partners"
urlpatterns: list = []
