"""API fuzzing against a live server (schemathesis), in an organization of its own: see fuzz/run.py."""
