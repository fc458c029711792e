"""The strategy's pages of steps 1-4, versions and the audit trail (under ``s/<sid>/``)."""

from django.urls import path

from smartspec.platform.core import removal
from smartspec.platform.core import views as v

urlpatterns = [
    path("", v.dashboard, name="dashboard"),
    path("edit/", v.strategy_edit, name="strategy_edit"),
    path("analysis/", v.analysis, name="analysis"),
    path("analysis/run/", v.run_analysis, name="run_analysis"),
    path("analysis/<int:snap_id>.json", v.snapshot_json, name="snapshot_json"),
    path("analysis/swot/add/", v.swot_add, name="swot_add"),
    path("analysis/documents/add/", v.document_add, name="document_add"),
    path("actors/", v.actors, name="actors"),
    path("actors/add/", v.actor_edit, name="actor_add"),
    path("actors/<int:pk>/edit/", v.actor_edit, name="actor_edit"),
    path("actors/import/", v.actor_import, name="actor_import"),
    path("actors/export.<str:fmt>", v.actors_export, name="actors_export"),
    path("governance/", v.governance, name="governance"),
    path("governance/add/", v.body_edit, name="body_add"),
    path("governance/<int:pk>/edit/", v.body_edit, name="body_edit"),
    path("governance/<int:pk>/members/add/", v.member_add, name="member_add"),
    path("governance/<int:pk>/meetings/add/", v.meeting_add, name="meeting_add"),
    path("vision/", v.vision, name="vision"),
    path("vision/edit/", v.vision_edit, name="vision_edit"),
    path("vision/goals/add/", v.goal_edit, name="goal_add"),
    path("vision/goals/<int:pk>/edit/", v.goal_edit, name="goal_edit"),
    path("areas/", v.areas, name="areas"),
    path("areas/new/", v.area_edit, name="area_new"),
    path("areas/import/", v.areas_import, name="areas_import"),
    path("areas/evidence/", v.area_evidence_preview, name="area_evidence"),
    path("areas/<int:pk>/", v.area_detail, name="area_detail"),
    path("areas/<int:pk>/edit/", v.area_edit, name="area_edit"),
    path("audit/", v.audit, name="audit"),
    path("export.json", v.strategy_export, name="strategy_export"),
    path("versions/", v.versions, name="versions"),
    path("versions/revise/", v.revise, name="revise"),
    path("versions/adopt/", v.adopt, name="adopt"),
    path("remove/<slug:kind>/<int:pk>/delete/", removal.delete, name="object_delete"),
    path("remove/<slug:kind>/<int:pk>/archive/", removal.archive, name="object_archive"),
    path("remove/<slug:kind>/<int:pk>/restore/", removal.restore, name="object_restore"),
]
