from django.urls import path

from caring.web.views import (
    action,
    actions,
    auth,
    carers,
    carers_forms,
    dashboard,
    home,
    indicators,
    indicators_forms,
    manage,
    mine,
    reports,
    scrutiny,
    scrutiny_forms,
    update,
    workbook,
    workbook_import,
)

app_name = "web"

urlpatterns = [
    path("", home.Home.as_view(), name="home"),
    path("sign-in/", auth.SignIn.as_view(), name="sign-in"),
    path("sign-out/", auth.SignOut.as_view(), name="sign-out"),
    path("strategies/<slug:slug>/", dashboard.Dashboard.as_view(), name="dashboard"),
    path("strategies/<slug:slug>/actions/", actions.ActionList.as_view(), name="actions"),
    path("strategies/<slug:slug>/mine/", mine.MyActions.as_view(), name="my-actions"),
    path(
        "strategies/<slug:slug>/workbook/",
        workbook.DownloadWorkbook.as_view(),
        name="download-workbook",
    ),
    path(
        "strategies/<slug:slug>/import/",
        workbook_import.ImportUpload.as_view(),
        name="import-workbook",
    ),
    path(
        "strategies/<slug:slug>/import/<int:pk>/",
        workbook_import.ImportPreview.as_view(),
        name="import-preview",
    ),
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
    path("strategies/<slug:slug>/manage/", manage.ManagePlan.as_view(), name="manage-plan"),
    path(
        "strategies/<slug:slug>/manage/actions/add/",
        manage.ActionAdd.as_view(),
        name="manage-action-add",
    ),
    path(
        "strategies/<slug:slug>/manage/actions/<str:ref>/edit/",
        manage.ActionEdit.as_view(),
        name="manage-action-edit",
    ),
    path(
        "strategies/<slug:slug>/manage/actions/<str:ref>/retire/",
        manage.ActionRetire.as_view(),
        name="manage-action-retire",
    ),
    path(
        "strategies/<slug:slug>/manage/themes/add/",
        manage.ThemeAdd.as_view(),
        name="manage-theme-add",
    ),
    path(
        "strategies/<slug:slug>/manage/themes/<int:number>/edit/",
        manage.ThemeEdit.as_view(),
        name="manage-theme-edit",
    ),
    path(
        "strategies/<slug:slug>/manage/outcomes/add/",
        manage.OutcomeAdd.as_view(),
        name="manage-outcome-add",
    ),
    path(
        "strategies/<slug:slug>/manage/outcomes/<int:number>/edit/",
        manage.OutcomeEdit.as_view(),
        name="manage-outcome-edit",
    ),
    # Scrutiny and governance
    path("strategies/<slug:slug>/meetings/", scrutiny.MeetingList.as_view(), name="meetings"),
    path(
        "strategies/<slug:slug>/meetings/add/",
        scrutiny_forms.MeetingAdd.as_view(),
        name="meeting-add",
    ),
    path(
        "strategies/<slug:slug>/meetings/<int:pk>/", scrutiny.MeetingPage.as_view(), name="meeting"
    ),
    path(
        "strategies/<slug:slug>/meetings/<int:pk>/edit/",
        scrutiny_forms.MeetingEdit.as_view(),
        name="meeting-edit",
    ),
    path(
        "strategies/<slug:slug>/meetings/<int:pk>/resolutions/add/",
        scrutiny_forms.ResolutionAdd.as_view(),
        name="resolution-add",
    ),
    path(
        "strategies/<slug:slug>/meetings/<int:pk>/questions/add/",
        scrutiny_forms.RequestAdd.as_view(),
        name="request-add",
    ),
    path("strategies/<slug:slug>/bodies/<slug:body>/", scrutiny.BodyPage.as_view(), name="body"),
    path("strategies/<slug:slug>/recommendations/", scrutiny.Tracker.as_view(), name="tracker"),
    path(
        "strategies/<slug:slug>/recommendations/import/",
        scrutiny_forms.TrackerImport.as_view(),
        name="tracker-import",
    ),
    path(
        "strategies/<slug:slug>/recommendations/<int:pk>/",
        scrutiny.ItemPage.as_view(),
        name="recommendation",
    ),
    path(
        "strategies/<slug:slug>/recommendations/<int:pk>/update/",
        scrutiny_forms.ItemUpdate.as_view(),
        name="recommendation-update",
    ),
    path(
        "strategies/<slug:slug>/recommendations/<int:pk>/response/",
        scrutiny_forms.ItemResponse.as_view(),
        name="recommendation-response",
    ),
    path(
        "strategies/<slug:slug>/recommendations/<int:pk>/sign-off/",
        scrutiny_forms.ItemSignOff.as_view(),
        name="recommendation-sign-off",
    ),
    path(
        "strategies/<slug:slug>/recommendations/<int:pk>/actions/",
        scrutiny_forms.ItemActions.as_view(),
        name="recommendation-actions",
    ),
    path(
        "strategies/<slug:slug>/information-requests/",
        scrutiny.RequestList.as_view(),
        name="information-requests",
    ),
    path(
        "strategies/<slug:slug>/information-requests/<int:pk>/answer/",
        scrutiny_forms.RequestAnswer.as_view(),
        name="request-answer",
    ),
    # The progress report pack
    path("strategies/<slug:slug>/reports/", reports.Reports.as_view(), name="reports"),
    path("strategies/<slug:slug>/reports/draft/", reports.Draft.as_view(), name="report-draft"),
    path(
        "strategies/<slug:slug>/reports/draft/download/",
        reports.Download.as_view(),
        name="report-download",
    ),
    path(
        "strategies/<slug:slug>/reports/narrative/",
        reports.Narrative.as_view(),
        name="report-narrative",
    ),
    path("strategies/<slug:slug>/reports/issue/", reports.Issue.as_view(), name="report-issue"),
    path(
        "strategies/<slug:slug>/reports/template/",
        reports.ReportTemplatePage.as_view(),
        name="report-template",
    ),
    path(
        "strategies/<slug:slug>/reports/template/file/",
        reports.ReportTemplateFile.as_view(),
        name="report-template-file",
    ),
    path(
        "strategies/<slug:slug>/reports/<int:pk>/",
        reports.IssuedPage.as_view(),
        name="issued-report",
    ),
    path(
        "strategies/<slug:slug>/reports/<int:pk>/<str:format>/",
        reports.IssuedFileDownload.as_view(),
        name="issued-file",
    ),
    path("strategies/<slug:slug>/as-at/", reports.PlanAsAt.as_view(), name="plan-as-at"),
    # The Quality Assurance Framework (fixed paths before the indicator's code)
    path(
        "strategies/<slug:slug>/indicators/", indicators.IndicatorList.as_view(), name="indicators"
    ),
    path(
        "strategies/<slug:slug>/indicators/upload/",
        indicators_forms.ValuesUpload.as_view(),
        name="indicator-values-upload",
    ),
    path(
        "strategies/<slug:slug>/indicators/values/add/",
        indicators_forms.ValueStart.as_view(),
        name="indicator-value-start",
    ),
    path(
        "strategies/<slug:slug>/indicators/practices/",
        indicators.Practices.as_view(),
        name="practices",
    ),
    path(
        "strategies/<slug:slug>/indicators/practices/add/",
        indicators_forms.RegisterAdd.as_view(),
        name="practice-register-add",
    ),
    path(
        "strategies/<slug:slug>/indicators/training/",
        indicators.Training.as_view(),
        name="training",
    ),
    path(
        "strategies/<slug:slug>/indicators/training/add/",
        indicators_forms.TrainingAdd.as_view(),
        name="training-session-add",
    ),
    path(
        "strategies/<slug:slug>/indicators/services/",
        indicators.Services.as_view(),
        name="services",
    ),
    path(
        "strategies/<slug:slug>/indicators/<str:code>/",
        indicators.IndicatorDetail.as_view(),
        name="indicator",
    ),
    path(
        "strategies/<slug:slug>/indicators/<str:code>/values/add/",
        indicators_forms.ValueAdd.as_view(),
        name="indicator-value-add",
    ),
    path(
        "strategies/<slug:slug>/indicators/<str:code>/approve/",
        indicators_forms.ValueApprove.as_view(),
        name="indicator-value-approve",
    ),
    path(
        "strategies/<slug:slug>/indicators/<str:code>/withdraw/",
        indicators_forms.ValueWithdraw.as_view(),
        name="indicator-value-withdraw",
    ),
    # Carers known to services (fixed paths before the topic's key)
    path("strategies/<slug:slug>/carers/", carers.Overview.as_view(), name="carers"),
    path(
        "strategies/<slug:slug>/carers/upload/",
        carers_forms.CarersUpload.as_view(),
        name="carers-upload",
    ),
    path(
        "strategies/<slug:slug>/carers/access-log/",
        carers.AccessLogPage.as_view(),
        name="carers-access-log",
    ),
    path(
        "strategies/<slug:slug>/carers/sources/<slug:source>/delete/",
        carers_forms.SourceDelete.as_view(),
        name="carers-source-delete",
    ),
    path(
        "strategies/<slug:slug>/carers/<slug:topic>.<slug:fmt>",
        carers.Download.as_view(),
        name="carers-download",
    ),
    path(
        "strategies/<slug:slug>/carers/<slug:topic>/",
        carers.TopicPage.as_view(),
        name="carers-topic",
    ),
]
