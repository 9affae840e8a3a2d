from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.set_language, name="set-language"),
    path("settings/", views.account_settings, name="settings"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_done, name="password-reset-done"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password-reset/complete/", views.password_reset_complete, name="password-reset-complete"),
    path("2fa/", views.second_factor, name="second-factor"),
    path("2fa/setup/", views.second_factor_setup, name="second-factor-setup"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<uuid:token_id>/revoke/", views.revoke_token, name="token-revoke"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/new/", views.invite, name="invite"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept-invitation"),
    path("users/", views.users, name="users"),
    path("users/<uuid:user_id>/deactivate/", views.deactivate_user, name="user-deactivate"),
    path("users/<uuid:user_id>/reactivate/", views.reactivate_user, name="user-reactivate"),
    path("users/<uuid:user_id>/reset-2fa/", views.reset_user_second_factor, name="user-reset-second-factor"),
]
