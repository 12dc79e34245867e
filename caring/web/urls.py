from django.urls import path

from caring.web.views import action, actions, auth, dashboard, home, mine, update

app_name = "web"

urlpatterns = [
    path("", home.Home.as_view(), name="home"),
    path("sign-in/", auth.SignIn.as_view(), name="sign-in"),
    path("sign-out/", auth.SignOut.as_view(), name="sign-out"),
    path("strategies/<slug:slug>/", dashboard.Dashboard.as_view(), name="dashboard"),
    path("strategies/<slug:slug>/actions/", actions.ActionList.as_view(), name="actions"),
    path("strategies/<slug:slug>/mine/", mine.MyActions.as_view(), name="my-actions"),
    path("strategies/<slug:slug>/actions/<str:ref>/", action.ActionPage.as_view(), name="action"),
    path(
        "strategies/<slug:slug>/actions/<str:ref>/update/",
        update.PostUpdate.as_view(),
        name="post-update",
    ),
    path(
        "strategies/<slug:slug>/actions/<str:ref>/evidence/<int:pk>/",
        action.EvidenceFile.as_view(),
        name="evidence-file",
    ),
]
