"""Evidence: a note, a link or a file, checked before anything is saved."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction

from caring.plans import evidence_rules
from caring.plans.choices import EvidenceKind
from caring.plans.models import (
    Action,
    Evidence,
    Update,
)
from caring.plans.services.base import (
    _by,
)


@dataclass(frozen=True)
class EvidenceInput:
    """One piece of evidence to add: a note (``text``), a ``url`` or a ``file``."""

    kind: str
    title: str
    text: str = ""
    url: str = ""
    file: File | None = None


def _evidence_prepare(item: EvidenceInput) -> tuple[Evidence, File | None]:
    """Check one piece of evidence and build it, unsaved; refuse with the field named."""
    title = (item.title or "").strip()
    if not title:
        raise ValidationError({"evidence_title": "Describe the evidence in a few words."})
    record = Evidence(kind=item.kind, title=title)
    if item.kind == EvidenceKind.TEXT:
        if not (item.text or "").strip():
            raise ValidationError(
                {"evidence_text": "Write the evidence, or choose a link or file."}
            )
        record.text = item.text.strip()
        return record, None
    if item.kind == EvidenceKind.LINK:
        record.url = (item.url or "").strip()
        if not record.url:
            raise ValidationError({"evidence_url": "Enter the link to the evidence."})
        try:
            record.clean_fields(exclude=[f.name for f in Evidence._meta.fields if f.name != "url"])
        except ValidationError as exc:
            raise ValidationError(
                {"evidence_url": "Enter a full web address, starting https://"}
            ) from exc
        return record, None
    if item.kind == EvidenceKind.FILE:
        upload = item.file
        if upload is None:
            raise ValidationError({"evidence_file": "Choose a file to upload."})
        name = getattr(upload, "name", "") or ""
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        problem = evidence_rules.file_problem(
            name=name,
            size=upload.size,
            head=head,
            max_bytes=settings.CARING_EVIDENCE_MAX_BYTES,
            allowed=settings.CARING_EVIDENCE_EXTENSIONS,
        )
        if problem:
            raise ValidationError({"evidence_file": problem})
        record.file_size = upload.size
        record.content_type = getattr(upload, "content_type", "") or ""
        return record, upload
    raise ValidationError({"evidence_kind": f"{item.kind!r} is not a kind of evidence."})


def _evidence_prepare_all(items: Iterable[EvidenceInput], errors: dict) -> list[tuple]:
    """Check every piece of evidence before anything is saved; problems go into ``errors``."""
    prepared = []
    for item in items:
        try:
            prepared.append(_evidence_prepare(item))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, messages[0])
    return prepared


def _evidence_save(
    record: Evidence, upload: File | None, *, action: Action, by, update: Update | None
) -> Evidence:
    record.action, record.update, record.added_by = action, update, by
    if upload is not None:
        record.file.save(upload.name.replace("\\", "/").rsplit("/", 1)[-1], upload, save=False)
    _by(record, by)
    record.save()
    return record


@transaction.atomic
def evidence_add(
    *, action: Action, item: EvidenceInput, by=None, update: Update | None = None
) -> Evidence:
    """Add one piece of evidence, refusing an empty note, a bad link or an unacceptable file."""
    if action.is_retired:
        raise ValidationError({"action": f"Action {action.ref} has been retired."})
    record, upload = _evidence_prepare(item)
    return _evidence_save(record, upload, action=action, by=by, update=update)
