"""The rule registry: every rule of isodocs, listed here in the order of docs/rules.md.

A rule is defined in the module of its family (``rules/<family>.py``) by one of
the decorators of ``rules/registry.py``, whose kind decides what it may read;
it exists for isodocs only once it is listed below (as ruff lists its rules in
``codes.rs``). Nothing registers itself by being imported, so no family module
imports this one. ``rules/run.py`` runs them.
"""

from __future__ import annotations

from isodocs.rules import (
    changes,
    content,
    cycle,
    dates,
    gaps,
    identity,
    loading,
    management_review,
    mapping,
    objectives,
    people,
    references,
    schema,
    site,
    sitelinks,
    soa,
    training,
)
from isodocs.rules.registry import Rule

RULES: tuple[Rule, ...] = (
    loading.FRONT_MATTER_MISSING,
    loading.FRONT_MATTER_INVALID,
    loading.DUPLICATE_KEY,
    loading.ENCODING,
    loading.FILE_TOO_LARGE,
    loading.OUTSIDE_REPO,
    loading.UNREADABLE,
    loading.MARKDOWN_SUFFIX,
    schema.schema,
    identity.duplicate_id,
    identity.id_prefix,
    identity.wrong_folder,
    people.unknown_owner,
    people.unknown_approver,
    people.self_approval,
    people.approval_missing,
    people.unknown_reviewer,
    dates.date_in_future,
    dates.effective_before_approval,
    dates.review_overdue,
    dates.review_due_soon,
    dates.review_interval_too_long,
    mapping.unmapped,
    mapping.unknown_standard,
    mapping.standard_not_in_scope,
    mapping.unknown_clause,
    references.broken_reference,
    references.obsolete_reference,
    references.broken_link,
    references.attachment_not_published,
    references.symlinked_attachment,
    references.withheld_attachment,
    references.supersedes_cycle,
    content.unsafe_html,
    content.title_markup,
    content.name_markup,
    content.secret_in_document,
    content.placeholder,
    content.list_indent,
    gaps.mandatory_document_missing,
    gaps.mandatory_record_missing,
    soa.SOA_INVALID,
    soa.soa_missing_control,
    soa.soa_unknown_control,
    soa.soa_unjustified_exclusion,
    soa.soa_unjustified_inclusion,
    soa.soa_status_stale,
    soa.soa_unimplemented_control,
    site.mkdocs_config_refused,
    changes.version_not_bumped,
    changes.reapproval_missing,
    changes.record_modified,
    changes.id_changed,
    training.acknowledgement_not_by_person,
    sitelinks.broken_root_link,
    # the improvement cycle: people, actions, training, audits, nonconformities
    cycle.unknown_person,
    cycle.action_overdue,
    training.training_due,
    training.training_overdue,
    training.unknown_audience_rule,
    training.training_version_unknown,
    cycle.audit_overdue,
    cycle.auditor_not_independent,
    cycle.nonconformity_closed_early,
    cycle.effectiveness_check_overdue,
    cycle.nonconformity_without_action,
    cycle.audit_programme_gap,
    objectives.objective_overdue,
    objectives.objective_unmeasured,
    management_review.management_review_input_missing,
    management_review.unknown_review_input,
    management_review.management_review_overdue,
)


def _registry(rules: tuple[Rule, ...]) -> dict[str, Rule]:
    """Slug -> rule, refusing a slug listed twice."""
    registry: dict[str, Rule] = {}
    for rule in rules:
        if rule.slug in registry:
            raise ValueError(f"rule {rule.slug} listed twice")
        registry[rule.slug] = rule
    return registry


REGISTRY: dict[str, Rule] = _registry(RULES)
