"""The fault suite (issue 13): the services profile under faults, with websocket clients counting every seq.

`python -m faults --help` says how to run it; faults/README.md says what each fault measures."""
