"""Policy mix, monitoring, evaluation and self-assessment (under ``s/<sid>/``)."""

from django.urls import path

from smartspec.platform.policy import evaluation as ev
from smartspec.platform.policy import views as pv

urlpatterns = [
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
