"""Analyses over the model: coverage, the SoA statement, the review calendar, history.

Rules may read them; they import no rule.
"""
