"""Data tests for the built-in standard catalogues and their JSON Schema.

These read the YAML files directly (not through the isodocs loader), so they
check the shipped data itself: schema validity, unique ids, clause coverage,
the ISO/IEC 27001:2022 Annex A control set and the mandatory documented
information of a few well-known clauses.
"""

import json
import pathlib

import jsonschema
import pytest
import yaml

PACKAGE = pathlib.Path(__file__).parent.parent / "isodocs"
CATALOG_DIR = PACKAGE / "catalogs"
SCHEMA_PATH = PACKAGE / "schemas" / "catalog.schema.json"
KEYS = ["iso9001", "iso14001", "iso45001", "iso27001"]


def load_catalog(key):
    with open(CATALOG_DIR / f"{key}.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema):
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module", params=KEYS)
def catalog(request):
    return load_catalog(request.param)


def walk_clauses(clauses, parent=None):
    """Yield (parent_id, clause) for every clause of the tree, depth first."""
    for clause in clauses:
        yield parent, clause
        yield from walk_clauses(clause.get("clauses", []), clause["id"])


def walk_controls(catalog):
    """Yield (group_id, control) for every control; groups are yielded with None."""
    for group in catalog.get("controls", []):
        yield None, group
        for control in group["controls"]:
            yield group["id"], control


def clause_index(catalog):
    return {c["id"]: c for _, c in walk_clauses(catalog["clauses"])}


def di_set(clause):
    di = clause.get("documented_information")
    if di is None:
        return set()
    return {di} if isinstance(di, str) else set(di)


# --------------------------------------------------------------------- schema


def test_schema_is_valid_draft_2020_12(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://isodocs.dev/schemas/catalog.schema.json"


def _schema_objects(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _schema_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schema_objects(value)


def test_schema_properties_described_and_closed(schema):
    for node in _schema_objects(schema):
        for name, prop in node.get("properties", {}).items():
            assert isinstance(prop, dict) and prop.get("description"), name
        if node.get("type") == "object":
            assert node.get("additionalProperties") is False, node.get("description")


def test_schema_accepts_user_catalogue(validator):
    soc2 = {
        "key": "soc2",
        "title": "SOC 2 Trust Services Criteria",
        "edition": "2017",
        "clauses": [],
        "controls": [
            {
                "id": "CC6",
                "title": "Logical and physical access controls",
                "controls": [
                    {"id": "CC6.1", "title": "Logical access security"},
                    {
                        "id": "CC6.2",
                        "title": "User registration",
                        "documented_information": "retain",
                        "required": "Evidence of access approvals.",
                    },
                ],
            },
        ],
    }
    assert list(validator.iter_errors(soc2)) == []


@pytest.mark.parametrize(
    "bad",
    [
        {"key": "x", "title": "X", "clauses": [{"id": 4.1, "title": "float id"}]},
        {"key": "X", "title": "X", "clauses": []},
        {"key": "x", "title": "X", "clauses": [{"id": "4", "title": "T", "extra": 1}]},
        {"key": "x", "title": "X", "clauses": [{"id": "4", "title": "T", "documented_information": "maintain"}]},
        {"key": "x", "title": "X", "clauses": [{"id": "4", "title": "T", "required": "something"}]},
        {
            "key": "x",
            "title": "X",
            "clauses": [{"id": "4", "title": "T", "documented_information": "keep", "required": "r"}],
        },
        {
            "key": "x",
            "title": "X",
            "clauses": [],
            "controls": [{"id": "5.1", "title": "numeric control id", "controls": [{"id": "5.1.1", "title": "t"}]}],
        },
        {
            "key": "x",
            "title": "X",
            "clauses": [],
            "controls": [
                {
                    "id": "CC6",
                    "title": "G",
                    "controls": [{"id": "CC6.1", "title": "t", "documented_information": "retain"}],
                }
            ],
        },
    ],
)
def test_schema_rejects(validator, bad):
    assert list(validator.iter_errors(bad)), bad


# ------------------------------------------------------------ all catalogues


@pytest.mark.parametrize("key", KEYS)
def test_catalogue_matches_schema(validator, key):
    data = load_catalog(key)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    assert data["key"] == key
    assert isinstance(data["edition"], str)


def test_ids_unique(catalog):
    ids = [c["id"] for _, c in walk_clauses(catalog["clauses"])]
    ids += [c["id"] for _, c in walk_controls(catalog)]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, dupes


def test_children_extend_parent_id(catalog):
    for parent, clause in walk_clauses(catalog["clauses"]):
        if parent is not None:
            assert clause["id"].startswith(parent + "."), clause["id"]
            assert clause["id"].count(".") == parent.count(".") + 1, clause["id"]
        else:
            assert "." not in clause["id"], clause["id"]
    for group, control in walk_controls(catalog):
        if group is not None:
            assert control["id"].startswith(group + "."), control["id"]


def test_covers_clauses_4_to_10(catalog):
    top = [c["id"] for c in catalog["clauses"]]
    assert top == [str(n) for n in range(4, 11)]
    for clause in catalog["clauses"]:
        assert clause.get("clauses"), f"clause {clause['id']} has no sub-clauses"


def test_top_level_titles(catalog):
    titles = {c["id"]: c["title"] for c in catalog["clauses"]}
    leadership = "Leadership and worker participation" if catalog["key"] == "iso45001" else "Leadership"
    assert titles == {
        "4": "Context of the organization",
        "5": leadership,
        "6": "Planning",
        "7": "Support",
        "8": "Operation",
        "9": "Performance evaluation",
        "10": "Improvement",
    }


def test_untitled_repeat_parent_title(catalog):
    index = clause_index(catalog)
    for parent, clause in walk_clauses(catalog["clauses"]):
        if clause.get("untitled"):
            assert clause["title"] == index[parent]["title"], clause["id"]


def test_climate_change_amendment(catalog):
    index = clause_index(catalog)
    assert "climate change" in index["4.1"]["note"]
    assert "climate change" in index["4.2"]["note"]


def test_only_27001_has_controls(catalog):
    assert ("controls" in catalog) == (catalog["key"] == "iso27001")


# ------------------------------------------------------- ISO/IEC 27001 Annex A


def test_iso27001_annex_a():
    data = load_catalog("iso27001")
    groups = data["controls"]
    expected = [
        ("A.5", "organizational", 37),
        ("A.6", "people", 8),
        ("A.7", "physical", 14),
        ("A.8", "technological", 34),
    ]
    assert [(g["id"], g["theme"], len(g["controls"])) for g in groups] == expected
    ids = [c["id"] for g in groups for c in g["controls"]]
    assert len(ids) == 93
    assert ids == [f"{gid}.{n}" for gid, _, count in expected for n in range(1, count + 1)]
    titles = {c["id"]: c["title"] for g in groups for c in g["controls"]}
    assert titles["A.5.1"] == "Policies for information security"
    assert titles["A.5.23"] == "Information security for use of cloud services"
    assert titles["A.5.31"] == "Legal, statutory, regulatory and contractual requirements"
    assert titles["A.6.3"] == "Information security awareness, education and training"
    assert titles["A.7.7"] == "Clear desk and clear screen"
    assert titles["A.8.34"] == "Protection of information systems during audit testing"


# ------------------------------------------------------------- spot checks


@pytest.mark.parametrize(
    "key, clause_id, title, expected",
    [
        ("iso9001", "4.3", "Determining the scope of the quality management system", {"maintain"}),
        ("iso9001", "4.4.2", "Quality management system and its processes", {"maintain", "retain"}),
        ("iso9001", "5.2", "Policy", set()),
        ("iso9001", "5.2.2", "Communicating the quality policy", {"maintain"}),
        ("iso9001", "7.1.5.1", "General", {"retain"}),
        ("iso9001", "8.1", "Operational planning and control", {"maintain", "retain"}),
        ("iso9001", "9.2.2", "Internal audit", {"retain"}),
        ("iso9001", "9.3.3", "Management review outputs", {"retain"}),
        ("iso14001", "6.2.1", "Environmental objectives", {"maintain"}),
        ("iso14001", "9.3", "Management review", {"retain"}),
        ("iso45001", "5.3", "Organizational roles, responsibilities and authorities", {"maintain"}),
        (
            "iso45001",
            "6.1.2.2",
            "Assessment of OH&S risks and other risks to the OH&S management system",
            {"maintain", "retain"},
        ),
        ("iso45001", "8.1.4.2", "Contractors", set()),
        ("iso45001", "8.2", "Emergency preparedness and response", {"maintain", "retain"}),
        ("iso45001", "10.3", "Continual improvement", {"maintain", "retain"}),
        ("iso27001", "6.1.2", "Information security risk assessment", {"maintain", "retain"}),
        ("iso27001", "6.1.3", "Information security risk treatment", {"maintain"}),
        ("iso27001", "9.3.3", "Management review results", {"retain"}),
        ("iso27001", "10.1", "Continual improvement", set()),
    ],
)
def test_spot_checks(key, clause_id, title, expected):
    clause = clause_index(load_catalog(key))[clause_id]
    assert clause["title"] == title
    assert di_set(clause) == expected


def test_iso27001_6_1_3_names_soa_and_treatment_plan():
    required = clause_index(load_catalog("iso27001"))["6.1.3"]["required"]
    for phrase in ("Statement of Applicability", "risk treatment plan", "risk owners"):
        assert phrase in required


def test_iso9001_untitled_paragraphs():
    index = clause_index(load_catalog("iso9001"))
    for cid in ("4.4.1", "4.4.2", "6.1.1", "6.2.2", "7.5.3.1", "8.2.3.2", "8.7.2", "9.2.1", "10.2.2"):
        assert index[cid].get("untitled") is True, cid
    assert not index["5.2.2"].get("untitled")


@pytest.mark.parametrize(
    "key, maintain, retain",
    [
        (
            "iso9001",
            ["4.3", "4.4.2", "5.2.2", "6.2.1", "8.1", "8.5.1"],
            [
                "4.4.2",
                "7.1.5.1",
                "7.1.5.2",
                "7.2",
                "8.1",
                "8.2.3.2",
                "8.3.2",
                "8.3.3",
                "8.3.4",
                "8.3.5",
                "8.3.6",
                "8.4.1",
                "8.5.2",
                "8.5.3",
                "8.5.6",
                "8.6",
                "8.7.2",
                "9.1.1",
                "9.2.2",
                "9.3.3",
                "10.2.2",
            ],
        ),
        (
            "iso14001",
            ["4.3", "5.2", "6.1.1", "6.1.2", "6.1.3", "6.2.1", "8.1", "8.2"],
            ["7.2", "7.4.1", "9.1.1", "9.1.2", "9.2.2", "9.3", "10.2"],
        ),
        (
            "iso45001",
            ["4.3", "5.2", "5.3", "6.1.1", "6.1.2.2", "6.1.3", "6.2.2", "8.1.1", "8.2", "10.3"],
            [
                "6.1.2.2",
                "6.1.3",
                "6.2.2",
                "7.2",
                "7.4.1",
                "8.1.1",
                "8.2",
                "9.1.1",
                "9.1.2",
                "9.2.2",
                "9.3",
                "10.2",
                "10.3",
            ],
        ),
        (
            "iso27001",
            ["4.3", "5.2", "6.1.2", "6.1.3", "6.2"],
            ["6.1.2", "7.2", "8.1", "8.2", "8.3", "9.1", "9.2.2", "9.3.3", "10.2"],
        ),
    ],
)
def test_mandatory_documented_information(key, maintain, retain):
    """The full lists of the reference's mandatory documented information."""
    clauses = [c for _, c in walk_clauses(load_catalog(key)["clauses"])]
    assert [c["id"] for c in clauses if "maintain" in di_set(c)] == maintain
    assert [c["id"] for c in clauses if "retain" in di_set(c)] == retain
    for clause in clauses:
        assert ("required" in clause) == bool(di_set(clause)), clause["id"]
