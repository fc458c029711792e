from django.contrib import admin

from smartspec.platform.onboarding.models import Invitation, Profile


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "region", "role", "consultation", "created_at", "expires_at", "accepted_at", "revoked_at")
    list_filter = ("role", "region")
    readonly_fields = ("key",)


admin.site.register(Profile)
