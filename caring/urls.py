from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Caring Together administration"
admin.site.site_title = "Caring Together"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("caring.web.urls")),
]
