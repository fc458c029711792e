from django.contrib import admin

from smartspec.platform.edp import models as m

for model in (m.Consultation, m.Criterion, m.Candidate, m.Response, m.Score, m.Comment, m.Decision):
    admin.site.register(model)
