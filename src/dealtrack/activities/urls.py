from django.urls import path

from dealtrack.activities import views

app_name = "activities"
urlpatterns = [
    path("companies/<int:company_pk>/activities/", views.log_on_company, name="log_on_company"),
    path("contacts/<int:contact_pk>/activities/", views.log_on_contact, name="log_on_contact"),
]
