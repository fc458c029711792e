from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from smartspec.platform.core import api, steps
from smartspec.platform.core import views as v
from smartspec.platform.core.forms import LoginForm

handler500 = "smartspec.platform.core.middleware.server_error"

urlpatterns = [
    path("", v.home, name="home"),
    path("healthz", v.healthz, name="healthz"),
    path("public/<str:region_code>/", v.public_strategy, name="public"),
    path("strategies/import/", v.strategy_import, name="strategy_import"),
    path("", include("smartspec.platform.onboarding.root_urls")),
    *[path("s/<int:sid>/", include(module)) for module in steps.url_modules()],
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/openapi.json", api.openapi, name="openapi"),
    path("api/v1/strategies/", api.strategies, name="api_strategies"),
    path("api/v1/strategies/<str:sid>/", api.strategy, name="api_strategy"),
    path("api/v1/strategies/<str:sid>/areas/", api.areas, name="api_areas"),
    path("admin/", admin.site.urls),
]
