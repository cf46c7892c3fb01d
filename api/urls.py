from django.urls import path

from api.auth import TokenApi
from api.communities import (
    CommunityArchiveApi,
    CommunityDetailApi,
    CommunityListApi,
    CommunityRejectApi,
    CommunityVerifyApi,
)
from api.exports import ExportApi
from api.fairs import FairDetailApi, FairImportApi, FairListApi
from api.leaders import LeaderListApi
from api.locate import LocateApi
from api.municipalities import MunicipalityDetailApi, MunicipalityListApi
from api.programme import ProgrammeProgressApi

app_name = "api"
urlpatterns = [
    path("municipalities/", MunicipalityListApi.as_view(), name="municipality-list"),
    path("municipalities/<str:oktmo>/", MunicipalityDetailApi.as_view(), name="municipality-detail"),
    path("auth/token/", TokenApi.as_view(), name="auth-token"),
    path("communities/", CommunityListApi.as_view(), name="community-list"),
    path("communities/<int:pk>/", CommunityDetailApi.as_view(), name="community-detail"),
    path("communities/<int:pk>/verify/", CommunityVerifyApi.as_view(), name="community-verify"),
    path("communities/<int:pk>/reject/", CommunityRejectApi.as_view(), name="community-reject"),
    path("communities/<int:pk>/archive/", CommunityArchiveApi.as_view(), name="community-archive"),
    path("fairs/", FairListApi.as_view(), name="fair-list"),
    path("fairs/<int:pk>/", FairDetailApi.as_view(), name="fair-detail"),
    path("fairs/<int:pk>/imports/", FairImportApi.as_view(), name="fair-imports"),
    path("export/<str:name>", ExportApi.as_view(), name="export"),
    path("leaders/", LeaderListApi.as_view(), name="leader-list"),
    path("programme/progress/", ProgrammeProgressApi.as_view(), name="programme-progress"),
    path("locate/", LocateApi.as_view(), name="locate"),
]
