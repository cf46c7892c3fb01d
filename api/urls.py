from django.urls import path

from api.locate import LocateApi
from api.municipalities import MunicipalityDetailApi, MunicipalityListApi

app_name = "api"
urlpatterns = [
    path("municipalities/", MunicipalityListApi.as_view(), name="municipality-list"),
    path("municipalities/<str:oktmo>/", MunicipalityDetailApi.as_view(), name="municipality-detail"),
    path("locate/", LocateApi.as_view(), name="locate"),
]
