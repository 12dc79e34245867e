from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Caring Together administration"
admin.site.site_title = "Caring Together"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
