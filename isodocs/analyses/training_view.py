"""Training views of a management system: its requirements, its training records and the matrix.

The adapters between the loaded documents and the plain data of training.py,
computed once per run (``system.derived``) and shared by the rules, the
``training`` report, ``acknowledge`` and the site.
"""

from __future__ import annotations

from isodocs.analyses.training import Requirement, TrainingMatrix, TrainingRecord, build_matrix
from isodocs.model import DerivedKey, Document, ManagementSystem
from isodocs.model.config import Config

TRAINING_MATRIX: DerivedKey[TrainingMatrix] = DerivedKey("training matrix")


def people_groups(config: Config) -> dict[str, tuple[str, ...]]:
    """Person key -> the person's groups, in the order of isodocs.yml."""
    return {key: person.groups for key, person in config.people.items()}


def requirement_of(doc: Document) -> Requirement | None:
    """The training requirement of an approved controlled document with an audience, or None."""
    if not doc.audience or doc.is_record or not doc.is_approved or not doc.id or not doc.version:
        return None
    return Requirement(doc.id, doc.title or "", doc.version, doc.effective_date, tuple(doc.audience), doc.path)


def record_of(doc: Document) -> TrainingRecord:
    """The plain view of a training record (type training)."""
    return TrainingRecord(
        id=doc.id or doc.path,
        path=doc.path,
        date=doc.date,
        method=doc.method,
        attendees=tuple(doc.attendees),
        documents=dict(doc.trained_on),
        trainer=doc.trainer,
        topic=doc.topic,
        title=doc.title or "",
    )


def training_records(system: ManagementSystem) -> list[TrainingRecord]:
    """Every training record of the run, by date then id."""
    records = [record_of(doc) for doc in system.documents if doc.type == "training"]
    return sorted(records, key=lambda r: (r.date.toordinal() if r.date else 0, r.id))


def requirements(system: ManagementSystem) -> list[Requirement]:
    """Every approved document that names an audience, once per id (a duplicate id is another rule's)."""
    found: dict[str, Requirement] = {}
    for doc in system.documents:
        requirement = requirement_of(doc)
        if requirement is not None and requirement.id not in found:
            found[requirement.id] = requirement
    return list(found.values())


def training_matrix(system: ManagementSystem) -> TrainingMatrix:
    """The run's training matrix, built once and shared (read-only)."""
    config = system.config
    return system.derived.get(
        TRAINING_MATRIX,
        lambda: build_matrix(
            requirements(system),
            training_records(system),
            people_groups(config),
            retrain_on=config.training_retrain_on,
            grace_days=config.training_grace_days,
        ),
    )
