"""The fault suite (issue 13): the services profile under faults, with websocket clients counting every seq.

`python -m faults --help` says how to run it; faults/README.md says what each fault measures."""

# Logged by faults.layers at each group send it drops; the suite counts these lines in the processes' logs. Here,
# not there: the suite's own process never imports the project's settings (faults.layers needs them).
DROPPED = "faults: dropped group send"
