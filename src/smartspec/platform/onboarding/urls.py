"""Members and invitations of a strategy's region (under ``s/<sid>/``)."""

from django.urls import path

from smartspec.platform.onboarding import views as o

urlpatterns = [
    path("members/", o.members, name="members"),
    path("members/invite/", o.invite, name="invite"),
    path("members/invitations/<int:pk>/revoke/", o.revoke, name="invitation_revoke"),
    path("members/<int:uid>/role/", o.role, name="member_role"),
    path("edp/<int:cid>/invite/", o.consultation_invite, name="consultation_invite"),
]
