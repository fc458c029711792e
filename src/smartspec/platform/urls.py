from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from smartspec.platform.core import api
from smartspec.platform.core import views as v
from smartspec.platform.edp import views as e
from smartspec.platform.policy import evaluation as ev
from smartspec.platform.policy import views as pv

strategy = [
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
    path("edp/", e.consultations, name="consultations"),
    path("edp/new/", e.consultation_new, name="consultation_new"),
    path("edp/<int:cid>/", e.consultation, name="consultation"),
    path("edp/<int:cid>/status/", e.consultation_status, name="consultation_status"),
    path("edp/<int:cid>/respond/", e.respond, name="respond"),
    path("edp/<int:cid>/decide/", e.decide, name="decide"),
    path("audit/", v.audit, name="audit"),
    path("export.json", v.strategy_export, name="strategy_export"),
    path("versions/", v.versions, name="versions"),
    path("versions/revise/", v.revise, name="revise"),
    path("plan/", pv.plan, name="plan"),
    path("plan/actions/new/", pv.action_edit, name="action_new"),
    path("plan/actions/<int:pk>/edit/", pv.action_edit, name="action_edit"),
    path("plan/logic/", pv.logic, name="logic"),
    path("monitoring/", pv.monitoring, name="monitoring"),
    path("monitoring/new/", pv.indicator_edit, name="indicator_new"),
    path("monitoring/<int:pk>/edit/", pv.indicator_edit, name="indicator_edit"),
    path("monitoring/<int:pk>/actual/", pv.actual_add, name="actual_add"),
    path("monitoring/refresh/", pv.refresh_all, name="indicators_refresh"),
    path("monitoring/export.<str:fmt>", ev.monitoring_export, name="monitoring_export"),
    path("evaluation/", ev.evaluations, name="evaluations"),
    path("evaluation/<int:pk>/", ev.evaluation, name="evaluation"),
    path("evaluation/<int:pk>/decide/", ev.evaluation_decide, name="evaluation_decide"),
    path("assessment/", ev.assessment, name="assessment"),
]

urlpatterns = [
    path("", v.home, name="home"),
    path("healthz", v.healthz, name="healthz"),
    path("public/<str:region_code>/", v.public_strategy, name="public"),
    path("strategies/import/", v.strategy_import, name="strategy_import"),
    path("s/<int:sid>/", include(strategy)),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/openapi.json", api.openapi, name="openapi"),
    path("api/v1/strategies/", api.strategies, name="api_strategies"),
    path("api/v1/strategies/<str:sid>/", api.strategy, name="api_strategy"),
    path("api/v1/strategies/<str:sid>/areas/", api.areas, name="api_areas"),
    path("admin/", admin.site.urls),
]
