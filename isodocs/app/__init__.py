"""The application layer: one library call per command (load, check, the report commands).

It wires readers, rules and analyses into a run.
"""
