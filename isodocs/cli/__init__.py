"""The command line: the ``isodocs`` group and its command table.

Each command is a thin click function in its own module (``cli/<name>.py``)
that fills an options dataclass, calls one library function and hands the
result to a reporter; the shared options and the group live in
``cli/common.py``. A command exists once it is listed in ``COMMANDS`` below:
nothing registers itself by being imported, so no command module imports
this one.
"""

from __future__ import annotations

import click

from isodocs.cli import (
    acknowledge,
    build,
    check,
    codeowners,
    coverage,
    cycle,
    history,
    importer,
    init,
    new,
    pack,
    planning,
    publish,
    record_review,
    reviews,
    rules,
    serve,
    soa,
    training,
)
from isodocs.cli.common import COLLECTOR_THRESHOLDS, ENGINE_COMMANDS, main, missing_dependency

COMMANDS: tuple[click.Command, ...] = (
    acknowledge.acknowledge,
    build.build,
    check.check,
    codeowners.codeowners,
    coverage.coverage,
    cycle.actions,
    cycle.audits,
    cycle.nonconformities,
    history.history,
    importer.import_,
    init.init,
    new.new,
    pack.pack,
    planning.objectives,
    planning.management_review,
    publish.publish,
    record_review.review,
    reviews.reviews,
    rules.rules_command,
    serve.serve,
    soa.soa,
    training.training,
)

for _command in COMMANDS:
    main.add_command(_command)

__all__ = ["COLLECTOR_THRESHOLDS", "COMMANDS", "ENGINE_COMMANDS", "main", "missing_dependency"]
