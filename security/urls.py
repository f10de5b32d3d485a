from django.urls import path

from security import views

urlpatterns = [
    path("", views.account, name="account"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("password/confirm/", views.password_confirm, name="password_confirm"),
    path("language/", views.language_set, name="language_set"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
