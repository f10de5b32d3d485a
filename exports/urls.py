from django.urls import path

from exports import views

app_name = "exports"

urlpatterns = [
    path("", views.exports_index, name="index"),
    path("scorecard/", views.scorecard_export, name="scorecard"),
    path(
        "missions/<int:mission_id>/<int:period_id>/scorecard/",
        views.mission_scorecard_export,
        name="mission_scorecard",
    ),
    path("briefing-pack/", views.briefing_pack_export, name="briefing_pack"),
    path("briefing-deck/", views.briefing_deck_export, name="briefing_deck"),
    path("data/", views.data_export, name="data"),
    path("jobs/<int:job_id>/", views.job_detail, name="job"),
    path("jobs/<int:job_id>/status/", views.job_status, name="status"),
    path("jobs/<int:job_id>/download/", views.job_download, name="download"),
    path("jobs/<int:job_id>/retry/", views.job_retry, name="retry"),
]
