"""Scorecard moved from drills to scoring by state only: a scorecard cached before the move is read after it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from scoring.models import Scorecard

BEFORE = [("drills", "0003_bots_check_ms"), ("scoring", None)]


@pytest.mark.django_db(transaction=True)
def test_a_scorecard_cached_before_the_move_is_kept(cast, outage):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[:1]).apps
    drill = old.get_model("drills", "Drill").objects.create(
        organization_id=cast.instructor.membership.organization_id, version_id=outage.pk, title="Before the move"
    )
    old.get_model("drills", "Scorecard").objects.create(drill=drill, data={"overall": 71.5}, last_seq=9)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    kept = Scorecard.objects.get(drill_id=drill.pk)
    assert (kept.data, kept.last_seq, kept.drill.title) == ({"overall": 71.5}, 9, "Before the move")
