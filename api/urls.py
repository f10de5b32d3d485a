from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api import endpoints, views

app_name = "api"

urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", views.api_reference, name="docs"),
    path("v1/missions/", endpoints.MissionList.as_view(), name="missions"),
    path("v1/missions/<str:code>/peers/", endpoints.MissionPeers.as_view(), name="mission_peers"),
    path("v1/periods/", endpoints.PeriodList.as_view(), name="periods"),
    path("v1/questionnaires/", endpoints.QuestionnaireList.as_view(), name="questionnaires"),
    path(
        "v1/questionnaires/<int:questionnaire_id>/",
        endpoints.QuestionnaireDetail.as_view(),
        name="questionnaire",
    ),
    path("v1/assessments/", endpoints.AssessmentList.as_view(), name="assessments"),
    path("v1/scores/dimensions/", endpoints.DimensionScoreList.as_view(), name="dimension_scores"),
    path("v1/scores/indicators/", endpoints.IndicatorScoreList.as_view(), name="indicator_scores"),
    path(
        "v1/scores/coherence-levels/",
        endpoints.CoherenceScoreList.as_view(),
        name="coherence_scores",
    ),
    path("v1/barriers/", endpoints.BarrierList.as_view(), name="barriers"),
    path("v1/actions/", endpoints.ActionList.as_view(), name="actions"),
]
