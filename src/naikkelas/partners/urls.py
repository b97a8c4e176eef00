"""Pages of the partners edge under /mitra/: partners' own pages, owners' sharing decisions, officers' invitations."""

from django.urls import path

from naikkelas.partners.views import officer, owner, partner

app_name = "partners"
urlpatterns = [
    # A partner's people and admins
    path("", partner.index, name="index"),
    path("<int:partner_id>/", partner.home, name="home"),
    path("<int:partner_id>/kunci/", partner.keys, name="keys"),
    path("<int:partner_id>/kunci/<int:key_id>/ganti/", partner.key_rotate, name="key_rotate"),
    path("<int:partner_id>/kunci/<int:key_id>/cabut/", partner.key_revoke, name="key_revoke"),
    path("<int:partner_id>/usaha/", partner.businesses, name="businesses"),
    path("<int:partner_id>/webhook/", partner.webhook, name="webhook"),
    path("<int:partner_id>/webhook/aktifkan/", partner.webhook_enable, name="webhook_enable"),
    path("<int:partner_id>/webhook/matikan/", partner.webhook_disable, name="webhook_disable"),
    path("<int:partner_id>/webhook/uji/", partner.webhook_test, name="webhook_test"),
    path("<int:partner_id>/pengiriman/", partner.deliveries, name="deliveries"),
    path("<int:partner_id>/pengiriman/<int:delivery_id>/", partner.delivery_detail, name="delivery_detail"),
    path("<int:partner_id>/sinkron/", partner.sync, name="sync"),
    path("<int:partner_id>/sinkron/ganti-token/", partner.feed_token_replace, name="feed_token_replace"),
    # Owners
    path("bagikan/<int:business_id>/", owner.owner_shares, name="owner_shares"),
    path("bagikan/<int:business_id>/<int:partner_id>/setuju/", owner.share_grant, name="share_grant"),
    path("bagikan/<int:business_id>/<int:partner_id>/cabut/", owner.share_withdraw, name="share_withdraw"),
    path("bagikan/<int:business_id>/<int:partner_id>/tolak/", owner.share_decline, name="share_decline"),
    # Officers and admins
    path("undang/", officer.officer_invite, name="officer_invite"),
]
