"""The repository's mkdocs.yml is untrusted input (issue 13): each vector is refused, ordinary configs build.

Every vector is refused before the engine starts, so the build tests here are
quick; two real builds (one per engine) show that a full Material configuration
is still taken and works.
"""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isodocs.cli import main
from isodocs.errors import UsageError
from isodocs.readers.repo_mkdocs import MAX_DEPTH, load_repo_mkdocs
from isodocs.site.build import BuildOptions, build_site
from isodocs.site.mkdocs_config import _KeepTagsLoader
from tests.conftest import TODAY, RepoBuilder, approved
from tests.test_site_build import site_files

ENGINES = ["mkdocs", "zensical"]
SECRET = "xylosecretmarker"


def secret_repo(repo: RepoBuilder) -> RepoBuilder:
    """A published procedure, and a confidential policy whose name and text carry a marker word."""
    repo.doc("procedures/a.md", approved("PRO-001", title="Handling"), "# Handling\n\nquokkavisible text.\n")
    repo.doc(
        f"policies/{SECRET}.md",
        approved("POL-009", type="policy", title=f"Policy {SECRET}", classification="confidential"),
        f"{SECRET} confidential text\n",
    )
    return repo


def build(repo: RepoBuilder, engine: str = "mkdocs") -> object:
    args = ["-C", str(repo.root), "build", "--engine", engine, "--today", TODAY.isoformat()]
    return CliRunner().invoke(main, args)


def assert_refused(outcome: object, *says: str) -> None:
    """Exit 2 with one `isodocs: error: mkdocs.yml:LINE: ...` line, no traceback."""
    assert outcome.exit_code == 2, outcome.output  # type: ignore[attr-defined]
    stderr = outcome.stderr  # type: ignore[attr-defined]
    assert stderr.startswith("isodocs: error: mkdocs.yml:") and stderr.count("\n") == 1, stderr
    assert "Traceback" not in outcome.output  # type: ignore[attr-defined]
    for text in says:
        assert text in stderr, stderr


def problems(repo: RepoBuilder, text: str) -> list[str]:
    repo.write("mkdocs.yml", text)
    return [
        f"{p.line}: {p}" for p in load_repo_mkdocs(repo.root, ["policies", "procedures", "forms", "records"]).problems
    ]


# -- the vectors of the issue ---------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_python_object_apply_is_refused_and_runs_nothing(repo, tmp_path, engine):
    secret_repo(repo)
    pwned = tmp_path / "pwned"
    repo.write("mkdocs.yml", f"site_name: Manual\nextra:\n  x: !!python/object/apply:os.system ['touch {pwned}']\n")
    assert_refused(build(repo, engine), "mkdocs.yml:3:", "!!python/object/apply:os.system is not taken")
    assert not pwned.exists() and not (repo.root / "site").exists()


@pytest.mark.parametrize("engine", ENGINES)
def test_hooks_are_refused_and_run_nothing(repo, tmp_path, engine):
    secret_repo(repo)
    pwned = tmp_path / "pwned"
    repo.write("hooks/evil.py", f"open({str(pwned)!r}, 'w').close()\n")
    repo.write("mkdocs.yml", "site_name: Manual\nhooks:\n  - hooks/evil.py\n")
    assert_refused(build(repo, engine), "mkdocs.yml:2: hooks: is not taken", "Python files")
    assert not pwned.exists()


@pytest.mark.parametrize("engine", ENGINES)
def test_snippets_cannot_paste_a_withheld_document(repo, engine):
    secret_repo(repo)
    repo.doc("procedures/b.md", approved("PRO-002"), f'# B\n\n--8<-- "policies/{SECRET}.md"\n')
    repo.write("mkdocs.yml", "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: ['../..', '.']\n")
    assert_refused(build(repo, engine), "mkdocs.yml:2:", "pymdownx.snippets is not taken", "withheld document")
    assert not (repo.root / "site").exists()


@pytest.mark.parametrize(
    ("custom_dir", "says"),
    [
        ("../..", "inside the repository"),
        (".", "folder of its own"),
        ("policies", "document folder policies/"),  # Zensical copies every file of custom_dir raw
        ("policies/..", "inside the repository"),
    ],
)
def test_custom_dir_outside_an_overrides_folder_is_refused(repo, custom_dir, says):
    secret_repo(repo)
    repo.write("mkdocs.yml", f"theme:\n  name: material\n  custom_dir: {custom_dir}\n")
    for engine in ENGINES:
        assert_refused(build(repo, engine), "mkdocs.yml:3: theme.custom_dir:", says)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        # MkDocs renders theme templates with an unsandboxed Jinja: this would run `id`.
        (
            "main.html",
            "{% extends 'base.html' %}\n{{ cycler.__init__.__globals__.os.popen('id').read() }}\n",
            ":1 holds",
        ),
        ("partials/footer.html", f"<p>x</p>\n{{% include '../policies/{SECRET}.md' %}}\n", ":2 holds template code"),
        (".icons/custom/x.svg", "<svg>{{ config }}</svg>", "holds template code"),
        ("notes.md", "# notes\n", "no Markdown"),
    ],
)
def test_custom_dir_takes_static_files_only(repo, name, content, says):
    secret_repo(repo)
    repo.write(f"overrides/{name}", content)
    repo.write("mkdocs.yml", "theme:\n  name: material\n  custom_dir: overrides\n")
    for engine in ENGINES:
        assert_refused(build(repo, engine), "theme.custom_dir:", f"overrides/{name}", says)


def test_custom_dir_symlink_is_refused(repo, tmp_path):
    secret_repo(repo)
    repo.write("overrides/.icons/a.svg", "<svg/>")
    (repo.root / "overrides/leak.svg").symlink_to(repo.root / f"policies/{SECRET}.md")
    assert [p.split(": ", 1)[1] for p in problems(repo, "theme: {name: material, custom_dir: overrides}\n")] == [
        "theme.custom_dir: overrides/leak.svg is a symlink; custom_dir may hold only plain files"
    ]


# -- broken shapes and hostile YAML: exit 2, fast, no traceback ------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("theme: [a, b]\n", "mkdocs.yml:1: theme: must be a mapping"),
        ("site_name: X\nextra: [1]\n", "mkdocs.yml:2: extra: must be a mapping, not a list"),
        ("extra_css: 7\n", "mkdocs.yml:1: extra_css: must be a list, not a number"),
        ("theme:\n  name: material\n  palette: 3\n", "mkdocs.yml:3: theme.palette: must be a mapping"),
        ("markdown_extensions: [[toc]]\n", "mkdocs.yml:1: markdown_extensions[0]: each extension must be a name"),
        ("plugins: {search: {}}\n", "mkdocs.yml:1: plugins: must be a list"),
        ("- a\n- b\n", "mkdocs.yml:1: must be a YAML mapping"),
        ("site_name: [unclosed\n", "mkdocs.yml:2: cannot parse"),
        ("site_name: a\nsite_name: b\n", "mkdocs.yml:2: site_name: appears twice (first on line 1)"),
        ("a: &a [*a]\n", "alias contains itself"),
        ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", f"nested deeper than {MAX_DEPTH} levels"),
        (
            "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
            + "".join(
                f"{c}: &{c} [{', '.join([f'*{c}'] * 10)}]\n".replace(f"*{c}", f"*{chr(ord(c) - 1)}") for c in "bcdefghi"
            ),
            "expands to more than 5,000 values",
        ),
    ],
    ids=[
        "theme-list",
        "extra-list",
        "extra-css-7",
        "palette-3",
        "extension-list",
        "plugins-mapping",
        "top-list",
        "unclosed",
        "duplicate",
        "recursive-alias",
        "deep-nesting",
        "alias-bomb",
    ],
)
def test_broken_mkdocs_yml_exits_2_fast_naming_key_and_line(repo, text, says):
    secret_repo(repo)
    repo.write("mkdocs.yml", text)
    started = time.perf_counter()
    outcome = build(repo)
    assert time.perf_counter() - started < 5  # the alias bomb expands to 10^9 values; it took a minute and failed
    assert_refused(outcome, says)


def test_a_huge_mkdocs_yml_is_not_read(repo):
    secret_repo(repo)
    repo.write("mkdocs.yml", "site_name: X\n" + "# padding\n" * 100_000)
    assert_refused(build(repo), "over the limit")


# -- what is refused, and why ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("site_name: !ENV [CI_TOKEN, x]\n", "1: site_name: !ENV is not taken: an environment value"),
        ("use_directory_urls: !relative\n", "1: use_directory_urls: !relative is not taken"),
        ("INHERIT: ../../base.yml\n", "1: INHERIT: is not taken: it would load another YAML file"),
        ("extra_templates: [x.html]\n", "1: extra_templates: is not taken: MkDocs renders templates unsandboxed"),
        ("plugins:\n  - search\n  - macros\n", "3: plugins[1]: the plugin macros is not taken"),
        ("plugins: [{search: {prebuild_index: true}}]\n", "1: plugins[0].search.prebuild_index: is not taken"),
        ("markdown_extensions: [my_company.ext]\n", "1: markdown_extensions[0]: my_company.ext is not on"),
        (
            "markdown_extensions:\n  - toc: {slugify: !!python/name:os.getcwd }\n",
            "2: markdown_extensions[0].toc.slugify",
        ),
        (
            "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_generator: !!python/name:pymdownx.emoji.to_png\n",
            "3: markdown_extensions[0].pymdownx.emoji.emoji_generator: !!python/name:pymdownx.emoji.to_png is not "
            "taken: it links emoji images on another host",
        ),
        (
            "markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n        - name: x\n"
            "          format: !!python/name:material.extensions.emoji.to_svg\n",
            "5: markdown_extensions[0].pymdownx.superfences.custom_fences[0].format: must be one of",
        ),
        ("markdown_extensions: [isodocs.site.mdsanitize]\n", "isodocs adds its sanitiser itself"),
        ("extra:\n  analytics: {provider: google, property: G-X}\n", "2: extra.analytics: is not taken"),
        ("extra_css: ['https://cdn.example/x.css']\n", "1: extra_css[0]: must be a file in the repository"),
        ("extra_css: [../outside.css]\n", "1: extra_css[0]: ../outside.css: must be a path inside the repository"),
        ("extra_css: [policies/style.css]\n", "document folder policies/"),
        ("extra_javascript: [missing.js]\n", "1: extra_javascript[0]: missing.js: not found"),
        ("theme:\n  name: material\n  logo: policies/scan.png\n", "3: theme.logo: policies/scan.png is"),
        ("theme: {name: readthedocs}\n", "1: theme.name: must be material"),
        ("site_description: 'x\"><script>alert(1)</script>'\n", "1: site_description: must be plain text"),
        (
            "extra:\n  social:\n    - {icon: x/y, link: 'javascript:alert(1)'}\n",
            "3: extra.social[0].link: must be a URL",
        ),
        ("theme:\n  name: material\n  icon: {logo: ../../../etc/passwd}\n", "3: theme.icon.logo: must name a bundled"),
        ("site_nam: typo\n", "1: site_nam: is not a setting isodocs takes"),
    ],
)
def test_what_is_refused_names_the_key_and_line(repo, text, says):
    secret_repo(repo)
    repo.write("policies/style.css", "body {}\n")
    repo.write("policies/scan.png", b"\x89PNG\r\n\x1a\n")
    found = problems(repo, text)
    assert found and says in found[0], found


def test_an_extra_css_symlinked_outside_is_refused(repo, tmp_path):
    (tmp_path / "outside.css").write_text("body {}\n")
    (repo.root / "assets").mkdir()
    (repo.root / "assets/own.css").symlink_to(tmp_path / "outside.css")
    assert problems(repo, "extra_css: [assets/own.css]\n") == [
        "1: extra_css[0]: assets/own.css is a symlink to a place outside the repository; isodocs does not follow it"
    ]


def test_copyright_is_sanitised_and_ignored_keys_do_not_reach_the_engine(repo):
    found = load_repo_mkdocs_config(
        repo,
        (
            'copyright: \'&copy; Acme <a href="https://a.example" onclick="x()">site</a><script>alert(1)</script>\'\n'
            "nav: [policies/secret.md]\nwatch: [policies]\ndev_addr: 0.0.0.0:80\nedit_uri: edit/main/\n"
        ),
    )
    assert found == {"copyright": '© Acme <a href="https://a.example" rel="noopener noreferrer">site</a>'}


def load_repo_mkdocs_config(repo: RepoBuilder, text: str) -> dict:
    repo.write("mkdocs.yml", text)
    vetted = load_repo_mkdocs(repo.root, ["policies"])
    assert vetted.problems == []
    return vetted.config


# -- check sees it too -----------------------------------------------------------------------------


def test_check_reports_every_refused_setting_on_its_line(repo, run_check):
    secret_repo(repo)
    repo.write(
        "mkdocs.yml",
        "site_name: Manual\ntheme:\n  name: material\n  custom_dir: ../..\nhooks: [x.py]\n"
        "markdown_extensions:\n  - pymdownx.snippets\n",
    )
    findings = [f for f in run_check(repo).findings if f.rule == "mkdocs-config-refused"]
    assert [(f.path, f.line, f.severity.value) for f in findings] == [
        ("mkdocs.yml", 4, "error"),
        ("mkdocs.yml", 5, "error"),
        ("mkdocs.yml", 7, "error"),
    ]
    assert "theme.custom_dir" in findings[0].message and "isodocs build stops on it" in findings[0].message


def test_check_passes_a_repository_without_mkdocs_yml(repo, run_check):
    secret_repo(repo)
    assert [f for f in run_check(repo).findings if f.rule == "mkdocs-config-refused"] == []


# -- ordinary configurations still pass -----------------------------------------------------------


def test_older_material_names_are_taken(repo):
    config = load_repo_mkdocs_config(
        repo,
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:materialx.emoji.twemoji\n"
        "      emoji_generator: !!python/name:materialx.emoji.to_svg\n"
        "theme:\n  name: material\n  font: {text: Roboto, code: Roboto Mono}\ndocs_dir: .\n",
    )
    assert config["theme"] == {"name": "material", "font": False}


def test_the_mkdocs_yml_isodocs_init_writes_is_taken_whole(repo):
    template = (resources.files("isodocs.templates") / "repo" / "mkdocs.yml").read_text("utf-8")
    text = template.replace("{{ site_name }}", "Acme management system")
    config = load_repo_mkdocs_config(repo, text)
    assert config == {key: value for key, value in yaml.safe_load(text).items()}


RICH = r"""
site_name: Acme manual
site_url: https://acme.example/manual/
site_description: The management system of Acme & Co
copyright: Copyright &copy; 2026 <a href="https://acme.example">Acme</a><script>alert(1)</script>
repo_url: https://github.com/acme/ims
repo_name: acme/ims
edit_uri: edit/main/
theme:
  name: material
  custom_dir: overrides
  logo: assets/logo.png
  favicon: assets/logo.png
  icon:
    repo: custom/brand
    admonition: {note: octicons/tag-16}
  language: en
  features: [navigation.tabs, content.code.copy, navigation.expand]
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      toggle: {icon: material/brightness-7, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {icon: material/brightness-4, name: Switch to light mode}
markdown_extensions:
  - admonition
  - attr_list
  - footnotes
  - toc:
      permalink: true
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds:
          case: lower
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
  - pymdownx.highlight: {anchor_linenums: true}
  - pymdownx.inlinehilite
  - pymdownx.tabbed: {alternate_style: true}
  - pymdownx.tasklist: {custom_checkbox: true}
  - pymdownx.mark
  - pymdownx.caret
  - pymdownx.tilde
  - pymdownx.keys
  - pymdownx.smartsymbols
  - pymdownx.betterem
  - pymdownx.details
plugins:
  - search:
      lang: en
      separator: '[\s\-,:!=\[\]()"/]+|(?!\b)(?=[A-Z][a-z])|\.(?!\d)|&[lg]t;'
  - offline
extra:
  version: {provider: mike}
  social:
    - {icon: fontawesome/brands/github, link: "https://github.com/acme"}
  generator: false
extra_css: [assets/extra.css]
extra_javascript: [assets/extra.js]
nav: [policies/xylosecretmarker.md]
watch: [policies]
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_a_full_material_configuration_builds_with_its_files(repo, engine):
    secret_repo(repo)
    repo.doc(
        "procedures/b.md",
        approved("PRO-002", title="Rich"),
        "# Rich\n\n## Second Part\n\n:smile: ==marked==\n\n```mermaid\ngraph TD; A-->B\n```\n",
    )
    repo.write("assets/extra.css", ".md-header { border-bottom: 2px solid red; }\n")
    repo.write("assets/extra.js", "console.log('own script');\n")
    repo.write("assets/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    repo.write("overrides/.icons/custom/brand.svg", '<svg viewBox="0 0 24 24"><path d="M1 1h22v22H1z"/></svg>')
    repo.write("mkdocs.yml", RICH)
    result = build_site(BuildOptions(root=repo.root, engine=engine, today=TODAY))
    files = site_files(result.site_dir)
    assert {"assets/extra.css", "assets/extra.js", "assets/logo.png"} <= set(files)
    page = files["procedures/b.html"]  # the offline plugin turns directory URLs off
    assert 'id="second-part"' in page and "twemoji" in page and 'class="mermaid"' in page and "<mark>" in page
    assert "m1 1h22v22h1z" in page  # the repository icon from custom_dir (site_files lowers the text)
    assert 'href="../register.html"' in page  # isodocs' own links follow the offline plugin
    assert "acme</a>" in files["index.html"] and "alert(1)" not in "".join(files.values())
    leaks = [name for name, text in files.items() if SECRET in name or SECRET in text]
    assert leaks == []


def test_the_staging_mkdocs_yml_holds_only_vetted_values(repo):
    secret_repo(repo)
    repo.write("assets/extra.css", "body {}\n")
    repo.write("assets/extra.js", "\n")
    repo.write("assets/logo.png", b"\x89PNG\r\n\x1a\n")
    repo.write("overrides/.icons/custom/brand.svg", "<svg/>")
    repo.write("mkdocs.yml", RICH)
    from isodocs.app.load import load_system
    from isodocs.site.inputs import SiteInputs
    from isodocs.site.render import stage

    system, _ = load_system(repo.root, TODAY)
    project = stage(SiteInputs(system=system, build_date=TODAY), site_dir="out")
    config = yaml.load(project.files["mkdocs.yml"], Loader=_KeepTagsLoader)
    assert "watch" not in config and "edit_uri" not in config and SECRET not in project.files["mkdocs.yml"]
    assert config["theme"]["custom_dir"] == "overrides" and config["use_directory_urls"] is False
    assert project.files["overrides/.icons/custom/brand.svg"] == b"<svg/>"
    assert project.files["docs/assets/logo.png"].startswith(b"\x89PNG")
    assert not any(Path(p).suffix == ".md" and not p.startswith("docs/") for p in project.files)


# -- serve and publish use the same vetted configuration --------------------------------------------


def test_serve_watches_the_files_mkdocs_yml_names_and_refuses_what_build_refuses(repo, tmp_path):
    from isodocs.site.serve import render_into, snapshot

    secret_repo(repo)
    repo.write("assets/extra.css", "a {}\n")
    repo.write("mkdocs.yml", "extra_css: [assets/extra.css]\n")
    _, _, watched = render_into(repo.root, tmp_path / "staging", "mkdocs")
    assert (tmp_path / "staging/docs/assets/extra.css").read_text() == "a {}\n"
    assert (repo.root / "assets/extra.css").as_posix() in snapshot(repo.root, watched)
    repo.write("mkdocs.yml", "hooks: [x.py]\n")
    with pytest.raises(UsageError, match=r"hooks: is not taken"):
        render_into(repo.root, tmp_path / "staging", "mkdocs")


def test_publish_refuses_a_refused_mkdocs_yml_before_mike_runs(repo):
    import subprocess

    from isodocs.site.publish import PublishOptions, publish

    secret_repo(repo)
    repo.write("mkdocs.yml", "site_name: !!python/object/apply:os.getcwd []\n")
    subprocess.run(["git", "init", "-q"], cwd=repo.root, check=True)
    with pytest.raises(UsageError, match=r"site_name: !!python/object/apply:os.getcwd is not taken") as caught:
        publish(PublishOptions(root=repo.root, version="1.0", today=TODAY))
    assert caught.value.path == "mkdocs.yml" and caught.value.line == 1
    branches = subprocess.run(["git", "branch", "--list"], cwd=repo.root, capture_output=True, text=True).stdout
    assert "gh-pages" not in branches


# -- no input escapes as an exception ---------------------------------------------------------------

YAMLISH = st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#\n \t,.?<=0/\\%@`")), max_size=200)
KEYS = st.sampled_from(["site_name", "theme", "extra", "extra_css", "plugins", "markdown_extensions", "hooks", "x"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=YAMLISH | st.builds(lambda k, v: f"{k}: {v}\n", KEYS, YAMLISH))
def test_any_text_gives_problems_never_an_exception(repo, text):
    repo.write("mkdocs.yml", text)
    vetted = load_repo_mkdocs(repo.root, ["policies"])
    for problem in vetted.problems:
        assert problem.line >= 1 and str(problem)
