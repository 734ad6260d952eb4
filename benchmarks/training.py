#!/usr/bin/env python3
"""Add training to a repository made by generate.py: people in groups, audiences, acknowledgements.

    python benchmarks/generate.py OUT --docs 2500
    python benchmarks/training.py OUT [--people 200] [--documents 1000] [--acknowledgements 20000] [--seed 1]

Gives ``--people`` people in ten groups (the generated owners keep their keys),
an ``audience`` to ``--documents`` approved policies, procedures and work
instructions (policies to everyone, the others to one or two groups), and
``--acknowledgements`` (person, document) acknowledgements in read-and-understood
records of up to ten documents each, one in ten on version 1.0 of a document
now at a later major version (outdated, and read from git's history by
``training-version-unknown``). Everything is committed as one commit. Seeded:
the same arguments give the same files.

Then, for example (the figures in docs/performance.md):

    python benchmarks/training.py OUT --time
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import yaml

GROUPS = [f"team-{index:02d}" for index in range(10)]
TODAY = "2026-11-27"
_FIELD = re.compile(r"^(id|type|version|status): \"?([^\"\n]+)\"?$", re.M)


def _people(config: dict, count: int, rng: random.Random) -> list[str]:
    people = config.setdefault("people", {})
    for key in list(people):
        people[key]["groups"] = rng.sample(GROUPS, 2)
    index = 0
    while len(people) < count:
        index += 1
        key = f"p{index:03d}"
        people.setdefault(key, {"name": f"Person {index}", "groups": rng.sample(GROUPS, rng.choice((1, 2)))})
    return list(people)


def _documents(root: Path, count: int) -> list[tuple[Path, str, str]]:
    """(path, id, version) of up to ``count`` approved policies, procedures and work instructions."""
    found = []
    for folder in ("policies", "procedures"):
        for path in sorted((root / folder).rglob("*.md")):
            head = path.read_text("utf-8")[:2000]
            fields = dict(_FIELD.findall(head.split("\n---", 2)[0]))
            if fields.get("status") == "approved" and fields.get("type") in ("policy", "procedure", "work-instruction"):
                found.append((path, fields["id"], fields["version"], fields["type"]))
    return [(path, doc_id, version) for path, doc_id, version, _ in found[:count]]


def _audience(path: Path, audience: list[str]) -> None:
    text = path.read_text("utf-8")
    end = text.index("\n---", 4)
    path.write_text(text[:end] + f"\naudience: [{', '.join(audience)}]" + text[end:], "utf-8")


def add_training(root: Path, people_count: int, documents: int, acknowledgements: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    config_path = root / "isodocs.yml"
    config = yaml.safe_load(config_path.read_text("utf-8"))
    people = _people(config, people_count, rng)
    config["training"] = {"grace_days": 30, "retrain_on": "major"}
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")
    groups_of = {key: set(config["people"][key].get("groups", [])) for key in people}

    pairs: list[tuple[str, str, str]] = []  # (person, id, version)
    for path, doc_id, version in _documents(root, documents):
        audience = (
            ["everyone"]
            if "/policies/" in f"/{path.relative_to(root).as_posix()}"
            else rng.sample(GROUPS, rng.choice((1, 2)))
        )
        _audience(path, audience)
        members = people if audience == ["everyone"] else [p for p in people if groups_of[p] & set(audience)]
        for person in members:
            pairs.append((person, doc_id, version))
    rng.shuffle(pairs)
    pairs = pairs[:acknowledgements]

    by_person: dict[str, list[tuple[str, str]]] = {}
    for person, doc_id, version in pairs:
        if int(version.split(".")[0]) >= 2 and rng.random() < 0.1:
            version = "1.0"  # trained on the first version: outdated now
        by_person.setdefault(person, []).append((doc_id, version))
    folder = root / "records" / "training"
    folder.mkdir(parents=True, exist_ok=True)
    number = 0
    for person in sorted(by_person):
        items = by_person[person]
        for start in range(0, len(items), 10):
            number += 1
            chunk = items[start : start + 10]
            documents_yaml = "".join(f'  {doc_id}: "{version}"\n' for doc_id, version in chunk)
            text = (
                f"---\nid: TRN-{number:05d}\ntitle: Read and understood ({person})\ntype: training\n"
                f"date: 2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}\nmethod: read-and-understood\n"
                f"attendees: [{person}]\ndocuments:\n{documents_yaml}owner: {person}\nclassification: internal\n---\n\n"
                f"{person} has read and understood the documents above.\n"
            )
            (folder / f"trn-{number:05d}.md").write_text(text, "utf-8")
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org"}
    env |= {"GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    env |= {"GIT_AUTHOR_DATE": "2026-11-21T12:00:00+00:00", "GIT_COMMITTER_DATE": "2026-11-21T12:00:00+00:00"}
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(
        ["git", "commit", "-q", "-m", "Training: audiences and acknowledgements"], cwd=root, check=True, env=env
    )
    return {"people": len(people), "acknowledgements": len(pairs), "records": number}


def _time(argv: list[str], cwd: Path, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
        best = min(best, time.perf_counter() - started)
    return best


def measure(root: Path) -> None:
    """Best of three: the parse floor, check cold and warm, isodocs training (text and --person)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from run import FLOOR_SCRIPT  # the same floor as run.py's (a)

    python, isodocs = sys.executable, str(Path(sys.executable).parent / "isodocs")
    floor = _time([python, "-c", FLOOR_SCRIPT, str(root), "policies", "procedures", "forms", "records"], root)
    cold = float("inf")
    for _ in range(3):
        subprocess.run(["rm", "-rf", str(root / ".isodocs-cache")], check=True)
        cold = min(cold, _time([isodocs, "check", "--today", TODAY], root, 1))
    warm = _time([isodocs, "check", "--today", TODAY], root)
    matrix = _time([isodocs, "training", "--today", TODAY], root)
    person = _time([isodocs, "training", "--today", TODAY, "--person", "p001"], root)
    print(
        f"parse floor {floor:.2f} s; check cold {cold:.2f} s ({cold / floor:.2f}x), warm {warm:.2f} s "
        f"({warm / floor:.2f}x); training {matrix:.2f} s; training --person {person:.2f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path, help="a repository made by benchmarks/generate.py")
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--acknowledgements", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time", action="store_true", help="only time check and training on REPO")
    args = parser.parse_args(argv)
    if not args.time:
        stats = add_training(args.repo, args.people, args.documents, args.acknowledgements, args.seed)
        print(
            f"{stats['people']} people, {stats['acknowledgements']:,} acknowledgements in {stats['records']:,} records"
        )
    else:
        measure(args.repo)
    return 0


if __name__ == "__main__":
    sys.exit(main())
