from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("assessments/<int:assessment_id>/new/", views.action_create_page, name="create"),
    path("missions/<int:mission_id>/", views.followup_page, name="followup"),
    path("<int:action_id>/", views.action_page, name="detail"),
    path("<int:action_id>/notes/", views.action_note_view, name="note_add"),
]
