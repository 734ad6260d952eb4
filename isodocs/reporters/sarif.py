"""SARIF 2.1.0 for GitHub code scanning."""

from __future__ import annotations

import hashlib
import json

from isodocs import __version__
from isodocs.app.check import CheckResult
from isodocs.reporters.textsafe import fingerprint_bytes, readable, uri_reference
from isodocs.rules import REGISTRY

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/isodocs/isodocs"


def as_dict(result: CheckResult) -> dict[str, object]:
    rules = list(REGISTRY.values())
    index = {rule.slug: number for number, rule in enumerate(rules)}
    results = []
    for finding in result.findings:
        fingerprint = hashlib.sha256(
            fingerprint_bytes(f"{finding.rule}\0{finding.path}\0{finding.id}\0{finding.message}")
        ).hexdigest()
        results.append(
            {
                "ruleId": finding.rule,
                "ruleIndex": index[finding.rule],
                "level": finding.severity.value,
                "message": {"text": readable(finding.message)},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri_reference(finding.path), "uriBaseId": "%SRCROOT%"},
                            "region": {"startLine": finding.line},
                        }
                    }
                ],
                "partialFingerprints": {"isodocsFinding/v1": fingerprint[:32]},
            }
        )
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "isodocs",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [
                            {
                                "id": rule.slug,
                                "name": rule.slug,
                                "shortDescription": {"text": rule.summary or rule.slug},
                                "defaultConfiguration": {"level": rule.severity.value},
                                "properties": {"family": rule.family},
                            }
                            for rule in rules
                        ],
                    }
                },
                "results": results,
            }
        ],
    }


def render(result: CheckResult) -> str:
    return json.dumps(as_dict(result), indent=2) + "\n"
