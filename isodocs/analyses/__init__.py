"""Analyses over the model and the findings: the check run, coverage, the SoA statement, reviews, history."""
