"""Shell completion is click's own: the scripts generate and complete commands and types."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from isodocs.cli import main


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "_isodocs_completion"), ("zsh", "#compdef isodocs"), ("fish", "complete --no-files --command isodocs")],
)
def test_completion_script_generates(shell, marker):
    result = CliRunner().invoke(main, [], prog_name="isodocs", env={"_ISODOCS_COMPLETE": f"{shell}_source"})
    assert result.exit_code == 0, result.output
    assert marker in result.output


def complete(words: str) -> list[str]:
    env = {"_ISODOCS_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    result = CliRunner().invoke(main, [], prog_name="isodocs", env=env)
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.output.splitlines()]


def test_completes_commands_and_document_types():
    assert {"new", "init", "import"} <= set(complete("isodocs i")) | set(complete("isodocs n"))
    assert complete("isodocs new wo") == ["work-instruction"]
