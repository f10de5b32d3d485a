from django.urls import path

from assessments import board_views, context_views, na_views, views, workbook_views

app_name = "assessments"

urlpatterns = [
    path("", views.my_assessments_page, name="mine"),
    path("<int:assessment_id>/", board_views.assessment_board, name="board"),
    path("<int:assessment_id>/activity/", board_views.activity_page, name="activity"),
    path("<int:assessment_id>/targets/", board_views.targets_update, name="targets"),
    path("<int:assessment_id>/submit/", board_views.assessment_submit_view, name="submit"),
    path("<int:assessment_id>/reopen/", board_views.assessment_reopen_view, name="reopen"),
    path("<int:assessment_id>/approve/", board_views.assessment_approve_view, name="approve"),
    path("<int:assessment_id>/highlights/", board_views.highlights_update, name="highlights"),
    # Before the component patterns: these segments would otherwise read as components.
    path("<int:assessment_id>/bands/", board_views.bands_update, name="bands"),
    path("<int:assessment_id>/bands/clear/", board_views.bands_clear, name="bands_clear"),
    path("<int:assessment_id>/phase/", board_views.phase_update, name="phase"),
    path(
        "<int:assessment_id>/context/",
        context_views.context_profile_page,
        name="context_profile",
    ),
    path(
        "<int:assessment_id>/not-applicable/",
        board_views.not_applicable_declare,
        name="not_applicable",
    ),
    path(
        "<int:assessment_id>/not-applicable/confirm/",
        na_views.not_applicable_confirm_page,
        name="not_applicable_confirm",
    ),
    path(
        "<int:assessment_id>/not-applicable/withdraw/",
        board_views.not_applicable_withdraw,
        name="not_applicable_withdraw",
    ),
    path("<int:assessment_id>/<slug:component>/", views.response_entry, name="response"),
    # Before the dimension pattern, which would read "workbook" as a dimension code.
    path(
        "<int:assessment_id>/<slug:component>/workbook/",
        workbook_views.workbook_page,
        name="workbook",
    ),
    path(
        "<int:assessment_id>/<slug:component>/workbook/download/",
        workbook_views.workbook_download,
        name="workbook_download",
    ),
    path(
        "<int:assessment_id>/<slug:component>/workbook/resolve/",
        workbook_views.workbook_resolve,
        name="workbook_resolve",
    ),
    path(
        "<int:assessment_id>/<slug:component>/complete/",
        views.response_complete,
        name="complete",
    ),
    path(
        "<int:assessment_id>/<slug:component>/<str:dimension_code>/",
        views.answer_page,
        name="answer",
    ),
    path(
        "<int:assessment_id>/<slug:component>/<str:dimension_code>/autosave/",
        views.answer_autosave,
        name="autosave",
    ),
    path(
        "<int:assessment_id>/<slug:component>/<str:dimension_code>/copy-forward/",
        views.copy_forward,
        name="copy_forward",
    ),
]
