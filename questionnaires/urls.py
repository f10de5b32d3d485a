from django.urls import path

from questionnaires import views

urlpatterns = [
    path("", views.questionnaire_list, name="questionnaire_list"),
    path("compare/", views.questionnaire_compare, name="questionnaire_compare"),
    path("<int:pk>/", views.questionnaire_detail, name="questionnaire_detail"),
]
