from django.contrib import admin

from smartspec.platform.core import models as m

for model in (m.Region, m.RegionRole, m.Strategy, m.Actor, m.GovernanceBody, m.Member, m.Meeting, m.Goal, m.SwotEntry,
              m.Document, m.PriorityArea, m.AreaActivity):
    admin.site.register(model)


@admin.register(m.AuditEvent)
class AuditAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "region", "action", "model", "object_id", "summary")
    list_filter = ("action", "model", "region")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
