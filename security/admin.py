from django.contrib import admin

from security.models import OrganisationIdentity, SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "username", "ip_address", "path", "detail"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "ip_address", "path", "detail"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrganisationIdentity)
class OrganisationIdentityAdmin(admin.ModelAdmin):
    """Where an administrator links an existing local account to an organisation identity
    (issuer and subject): the only way one is linked; sign-in never matches by e-mail."""

    list_display = ["user", "subject", "issuer", "last_sign_in_at"]
    search_fields = ["user__username", "user__email", "subject"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "last_sign_in_at", "provider_roles"]
