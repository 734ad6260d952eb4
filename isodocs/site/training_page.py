"""The site's training page: completion per document (a bar each) and per group; per person only when asked.

Built from the same matrix as ``isodocs training`` (analyses/training.py). Like
every generated page it names only published documents: a document withheld by
its status or classification is counted, never named. Training status is
personal data, so the per-person table appears only with
``site.training_by_person: true`` in isodocs.yml. Every value from a document or
the configuration is escaped where it enters the page (``html_text``,
``one_line`` for chart labels).
"""

from __future__ import annotations

from isodocs.analyses.training import CURRENT, MISSING, OUTDATED, DocumentRow, completion, overdue
from isodocs.analyses.training_view import training_matrix
from isodocs.site import pages
from isodocs.site.charts import bar_chart
from isodocs.site.inputs import SiteInputs
from isodocs.site.markdown import html_text
from isodocs.site.pages import _banner, _date_cell, _doc_link_html, _table_block, front_matter, one_line

TRAINING = pages.TRAINING
NAV_LABEL = "Training"


def by_person(inputs: SiteInputs) -> bool:
    """Whether the site shows each person's training status (``site.training_by_person``; off by default)."""
    return inputs.system.config.site.get("training_by_person") is True


def has_page(inputs: SiteInputs) -> bool:
    """A training page is built when some approved document names an audience."""
    return bool(training_matrix(inputs.system).rows)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _shown(inputs: SiteInputs) -> tuple[list[DocumentRow], int]:
    """The rows of published documents, and how many rows were left out (withheld documents)."""
    rows = training_matrix(inputs.system).rows
    shown = [row for row in rows if inputs.published_by_id.get(row.requirement.id) is not None]
    return shown, len(rows) - len(shown)


def training_page(inputs: SiteInputs, directory_urls: bool | None = True) -> str:
    """Markdown of the training page."""
    matrix = training_matrix(inputs.system)
    rows, withheld = _shown(inputs)
    today = inputs.today
    current = sum(row.current for row in rows)
    required = sum(row.required for row in rows)
    retrain = "every new version" if matrix.retrain_on == "minor" else "each new major version"
    lines = [
        front_matter("Training").rstrip("\n"),
        "",
        "# Training and awareness",
        "",
        f"Who must know each approved document (its audience) and who is trained on its current version, "
        f"as of {today.isoformat()}: {current} of {required} ({_percent(completion(current, required))}). "
        f"{retrain.capitalize()} needs new training, within {matrix.grace_days} days of its effective date.",
        "",
    ]
    if withheld:
        lines += [f"{withheld} document(s) with an audience are not published here and are left out.", ""]
    lines += ["## Completion per document", ""]
    lines += _documents(inputs, rows, directory_urls)
    lines += ["## Completion per group", ""]
    lines += _groups(inputs, rows)
    if by_person(inputs):
        lines += ["## Per person", ""]
        lines += _people(inputs, rows)
    lines += [
        "## How to acknowledge a document",
        "",
        "Read the document, then in a branch of your own run `isodocs acknowledge ID --by YOUR-KEY` "
        "(your key in `people` of isodocs.yml), commit the record it writes and open a pull request.",
        "",
    ]
    return "\n".join(lines) + "\n" + _banner(inputs, "Training")


def _documents(inputs: SiteInputs, rows: list[DocumentRow], directory_urls: bool | None) -> list[str]:
    if not rows:
        return ["No published document names an audience.", ""]
    bars = [
        (one_line(row.requirement.id), completion(row.current, row.required) or 0.0, f"{row.current}/{row.required}")
        for row in rows
    ]
    lines = [bar_chart("Trained on the current version, per document", bars), ""]
    head = ["Document", "Version", "Audience", "Trained", "Outdated", "Missing", "Due"]
    table = []
    for row in rows:
        doc = inputs.published_by_id[row.requirement.id]
        untrained = row.current < row.required
        due = _date_cell(row.due) if untrained else "—"
        if untrained and overdue(row, inputs.today):
            due += ' <span class="isodocs-badge isodocs-overdue">overdue</span>'
        table.append(
            [
                _doc_link_html(doc, TRAINING, directory_urls),
                html_text(row.requirement.version),
                html_text(", ".join(row.requirement.audience)),
                f"{row.current} of {row.required} ({_percent(completion(row.current, row.required))})",
                str(len(row.people(OUTDATED))),
                str(len(row.people(MISSING))),
                due,
            ]
        )
    lines += _table_block(head, table, ["left", "left", "left", "right", "right", "right", "left"], "isodocs-wide")
    return [*lines, ""]


def _groups(inputs: SiteInputs, rows: list[DocumentRow]) -> list[str]:
    matrix = training_matrix(inputs.system)
    figures = []
    for group in matrix.groups():
        members = set(matrix.members(group))
        cells = [cell for row in rows for person, cell in row.cells.items() if person in members]
        done = sum(1 for cell in cells if cell.status == CURRENT)
        if cells:
            figures.append((group, len(members), done, len(cells)))
    if not figures:
        return ["No group has training to do.", ""]
    bars = [(one_line(name), completion(done, total) or 0.0, f"{done}/{total}") for name, _n, done, total in figures]
    lines = [bar_chart("Trained on the current versions, per group", bars), ""]
    head = ["Group", "People", "Trained", "Completion"]
    table = [
        [html_text(name), str(people), f"{done} of {total}", _percent(completion(done, total))]
        for name, people, done, total in figures
    ]
    lines += _table_block(head, table, ["left", "right", "right", "right"])
    return [*lines, ""]


def _people(inputs: SiteInputs, rows: list[DocumentRow]) -> list[str]:
    config = inputs.system.config
    head = ["Person", "Trained", "To read (outdated or missing)"]
    table = []
    for key, person in config.people.items():
        mine = [row for row in rows if key in row.cells]
        if not mine:
            continue
        todo = [row.requirement.id for row in mine if row.cells[key].status != CURRENT]
        table.append(
            [
                html_text(person.label),
                f"{len(mine) - len(todo)} of {len(mine)}",
                html_text(", ".join(todo)) or "—",
            ]
        )
    return [*_table_block(head, table, ["left", "right", "left"]), ""]
