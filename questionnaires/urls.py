from django.urls import include, path

from questionnaires import views

# The glossary routes carry the "questionnaires" namespace that the answering pages link
# to ({% url 'questionnaires:glossary' %}); the older routes keep their plain names.
glossary_patterns = (
    [
        path("glossary/", views.glossary, name="glossary"),
        path("<int:pk>/glossary/", views.version_glossary, name="version_glossary"),
    ],
    "questionnaires",
)

urlpatterns = [
    path("", views.questionnaire_list, name="questionnaire_list"),
    path("compare/", views.questionnaire_compare, name="questionnaire_compare"),
    path("<int:pk>/", views.questionnaire_detail, name="questionnaire_detail"),
    path("", include(glossary_patterns)),
]
