"""The run's audits and nonconformities, read once and shared by the rules, reports and site."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from isodocs.model import DerivedKey, ManagementSystem
from isodocs.model.cycle import Audit, Nonconformity
from isodocs.readers.cycle import read_audit, read_nonconformity


@dataclass
class CycleRecords:
    """Every audit and nonconformity of a run, with the nonconformities of each audit."""

    audits: list[Audit] = field(default_factory=list)
    nonconformities: list[Nonconformity] = field(default_factory=list)

    def findings_of(self, audit_id: str) -> list[Nonconformity]:
        return [nc for nc in self.nonconformities if nc.audit == audit_id]


CYCLE_RECORDS: DerivedKey[CycleRecords] = DerivedKey("audits and nonconformities")


def cycle_records(system: ManagementSystem) -> CycleRecords:
    """The run's audits and nonconformities, by date; read once per run and shared (read-only)."""
    return system.derived.get(CYCLE_RECORDS, lambda: _read(system))


def _read(system: ManagementSystem) -> CycleRecords:
    records = CycleRecords()
    for doc in system.documents:
        if doc.type == "audit":
            records.audits.append(read_audit(system.with_front(doc)))
        elif doc.type == "nonconformity":
            records.nonconformities.append(read_nonconformity(system.with_front(doc)))
    records.audits.sort(key=lambda a: (a.date or dt.date.max, a.id))
    records.nonconformities.sort(key=lambda n: (n.raised or dt.date.max, n.id))
    return records
