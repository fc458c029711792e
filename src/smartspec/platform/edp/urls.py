"""Entrepreneurial discovery: consultations, responses and decisions (under ``s/<sid>/``)."""

from django.urls import path

from smartspec.platform.edp import views as e

urlpatterns = [
    path("edp/", e.consultations, name="consultations"),
    path("edp/new/", e.consultation_new, name="consultation_new"),
    path("edp/<int:cid>/", e.consultation, name="consultation"),
    path("edp/<int:cid>/status/", e.consultation_status, name="consultation_status"),
    path("edp/<int:cid>/respond/", e.respond, name="respond"),
    path("edp/<int:cid>/decide/", e.decide, name="decide"),
    path("edp/<int:cid>/remind/", e.remind, name="consultation_remind"),
]
