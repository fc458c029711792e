"""Onboarding pages outside a strategy: starting a region, and the invitation link."""

from django.urls import path

from smartspec.platform.onboarding import views as o

urlpatterns = [
    path("start/", o.start, name="start_region"),
    path("invitations/<str:token>/", o.invitation, name="invitation"),
]
