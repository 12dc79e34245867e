"""Data officers' forms for carers' records: upload a source's extract, delete a source.

An extract is personal data until it is pseudonymised, so the uploaded file is never written
anywhere: this page's uploads are held in memory only (:class:`InMemoryUpload`, not Django's
temporary files), each up to ``settings.CARING_CARERS_MAX_BYTES``; a larger file is dropped as it
arrives and refused with a clear message. The bytes go straight to
``caring.carers.services.carers_import``, all or nothing: a refusal lists every problem by row and
column, and nothing is kept.
"""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from caring.carers.models import CarerSource
from caring.carers.services import MATCHING_MISSES, ImportRefused, carers_import, source_delete
from caring.web.views.carers import UPLOAD, RulesOnly
from caring.web.views.indicators_forms import DAY_HINT, DayField
from caring.web.views.manage import FormPage

NEW = ""  # the source choice for "a new source"


def size_text(n: int) -> str:
    """A size as people read it: "250 MB", "1.5 MB", "900 KB", "120 bytes"."""
    if n >= 1024 * 1024:
        mb = n / (1024 * 1024)
        return f"{mb:.0f} MB" if mb >= 10 or mb == int(mb) else f"{mb:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n:,} bytes"


class InMemoryUpload(FileUploadHandler):
    """Keep each uploaded file in memory, never on disk, up to ``limit`` bytes. A file that grows
    past the limit is dropped as it arrives (the rest of it is read and thrown away), and its
    field is named in ``too_large``."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_large: dict[str, str] = {}  # field -> the file's name
        self.buffer: io.BytesIO | None = None
        self.size = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer, self.size = io.BytesIO(), 0

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > self.limit:
            self.buffer = None  # let go of what was held
            self.too_large[self.field_name] = self.file_name or "The file"
        elif self.buffer is not None:
            self.buffer.write(raw_data)
        return None  # no other handler: nothing is written anywhere else

    def file_complete(self, file_size):
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


class CarersUploadForm(forms.Form):
    records = forms.FileField(
        label="Carers' records file",
        help_text="A CSV file or an Excel workbook (.xlsx) exported from the case management "
        "system or sent by a partner: one row for each carer, or for each item of support given. "
        "Names, addresses and telephone numbers are dropped as the file is read; identifiers are "
        "pseudonymised and the file itself is not kept.",
        error_messages={"required": "Choose the carers' records file (CSV or .xlsx) to upload."},
    )
    source = forms.ChoiceField(
        required=False,
        label="Source to replace",
        help_text="Importing a source again replaces the records it gave before.",
    )
    new_source = forms.CharField(
        required=False,
        max_length=100,
        label="Or the name of a new source",
        help_text="The organisation the records come from, for example 'Adult Social Care' or "
        "'Crossroads Care'.",
        error_messages={"max_length": "The source's name can be at most 100 characters."},
    )
    lookup = forms.FileField(
        required=False,
        label="Postcode lookup file (optional)",
        help_text="A CSV file of postcodes and their areas (ONS postcode directory columns such "
        "as pcds and msoa21cd), if the records give postcodes the app does not know yet.",
    )
    unknown_as_not_known = forms.BooleanField(
        required=False,
        label="Keep labels we don't recognise as 'not known'",
        help_text="Otherwise a label such as an ethnicity we don't recognise stops the import, "
        "and each one is listed so it can be corrected.",
    )
    extract_date = DayField(
        label="Extract date (optional)",
        help_text=f"The day the records were extracted: ages are worked out at this day. Leave "
        f"it blank for today. {DAY_HINT}",
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        if sources:
            self.fields["source"].choices = [(NEW, "None: a new source, named below")] + [
                (s.slug, s.name) for s in sources
            ]
        else:
            del self.fields["source"]
            self.fields["new_source"].label = "Name of the source"
        self.sources = {s.slug: s for s in sources}

    def clean_extract_date(self):
        day = self.cleaned_data.get("extract_date")
        if day is not None and day > timezone.localdate():
            raise ValidationError("The extract date must be today or in the past.")
        return day

    def clean(self):
        data = super().clean()
        picked = data.get("source") or NEW
        typed = (data.get("new_source") or "").strip()
        if "new_source" in self.errors:
            return data
        if picked != NEW and typed:
            self.add_error("new_source", "Either choose a source to replace or name a new "
                           "source, not both.")  # fmt: skip
        elif picked == NEW and not typed:
            self.add_error("new_source", "Enter the name of the source, for example 'Adult "
                           "Social Care'.")  # fmt: skip
        data["source_name"] = self.sources[picked].name if picked != NEW else typed
        return data


class CarersFormPage(RulesOnly, FormPage):
    permission_required = UPLOAD

    def cancel_url(self) -> str:
        return reverse("web:carers", kwargs={"slug": self.strategy.slug})

    def context(self, form, conflict=None, **extra):
        """As FormPage's, without the plan's "data last updated" (these pages aren't the plan)."""
        errors = self.form_errors(form, conflict)
        extra.setdefault("cancel_url", self.cancel_url())
        return self.get_context_data(
            strategy=self.strategy,
            form=form,
            errors=errors,
            form_has_errors=bool(errors),
            **extra,
        )


@method_decorator(csrf_exempt, name="dispatch")  # checked in upload(), once uploads are in memory
class CarersUpload(CarersFormPage):
    """Upload one source's extract (data officers only; anyone else gets 403 before the body is
    read)."""

    form_class = CarersUploadForm
    page_title = "Upload carers' records"
    template_name = "web/carers/upload.html"

    def form_kwargs(self):
        sources = list(CarerSource.objects.filter(strategy=self.strategy).order_by("name"))
        return {"sources": sources}

    def build_form(self, data=None, files=None):
        if data is None:
            return self.form_class(**self.form_kwargs())
        return self.form_class(data, files, **self.form_kwargs())

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_to_response(self.context(self.build_form()))

    def post(self, request, *args, **kwargs):
        # Before anything reads the body: hold the files in memory only, up to the limit.
        handler = InMemoryUpload(request, limit=settings.CARING_CARERS_MAX_BYTES)
        request.upload_handlers = [handler]
        return self.upload(request, handler)

    @method_decorator(csrf_protect)
    def upload(self, request, handler):
        self.load()
        form = self.build_form(request.POST, request.FILES)
        problems = []
        form.is_valid()
        limit = settings.CARING_CARERS_MAX_BYTES
        for name, filename in handler.too_large.items():
            if name in form.fields:
                form.errors.pop(name, None)
                form.add_error(name, f"{filename} is larger than {size_text(limit)}, the largest "
                               "file we take. Split it (by date first known, say) and upload "
                               "each part.")  # fmt: skip
        if not form.errors:
            data = form.cleaned_data
            records = request.FILES["records"]
            lookup = request.FILES.get("lookup")
            try:
                result = carers_import(
                    strategy=self.strategy,
                    source_name=data["source_name"],
                    data=records.read(),
                    filename=records.name,
                    lookup=lookup.read() if lookup else None,
                    unknown_as_not_known=data["unknown_as_not_known"],
                    today=data["extract_date"],
                    user=request.user,
                    via="web",
                )
            except ImportRefused as refused:
                problems = refused.problems
                form.add_error("records", f"Nothing was imported: {len(problems)} "
                               f"problem{'s' if len(problems) != 1 else ''} with the file, "
                               "listed at the top of the page.")  # fmt: skip
            else:
                self.template_name = "web/carers/upload_done.html"
                return self.render_to_response(
                    self.get_context_data(
                        page_title="Carers' records imported",
                        strategy=self.strategy,
                        result=result,
                        matching_misses=MATCHING_MISSES,
                        overview_url=self.cancel_url(),
                    )
                )
        context = self.context(form)
        fields = context["errors"]
        listed = [
            {"text": f"{p.place}: {p.message}" if p.place else p.message,
             "href": "#lookup" if "postcode lookup" in p.message else "#records"}
            for p in problems
        ]  # fmt: skip
        context["errors"] = [e for e in fields if not listed or e["href"] != "#records"] + listed
        context["form_has_errors"] = True
        context["problems"] = problems
        return self.render_to_response(context, status=400)


class SourceDelete(CarersFormPage):
    """Delete one source's records, after a confirmation page (data officers only)."""

    page_title = "Delete a source's records"
    template_name = "web/carers/delete.html"

    def load(self):
        super().load()
        self.source = CarerSource.objects.filter(
            strategy=self.strategy, slug=self.kwargs["source"]
        ).first()
        if self.source is None:
            raise Http404("No such source.")

    def context(self, form, conflict=None, **extra):
        extra.setdefault("source", self.source)
        return super().context(form, conflict=conflict, **extra)

    def save(self, form):
        name = source_delete(strategy=self.strategy, slug=self.source.slug,
                             user=self.request.user, via="web")  # fmt: skip
        messages.success(self.request, f"The records from {name} have been deleted, and the "
                         "remaining carers matched again.")  # fmt: skip
        return redirect(self.cancel_url())
