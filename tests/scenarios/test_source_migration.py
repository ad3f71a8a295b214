"""Scenarios and versions stored before the author's text was kept get a generated one (PROTOCOL 1.7)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from scenarios.models import Scenario, ScenarioVersion
from scenarios.services import scenario_publish
from scenarios.source import checksum_of, generated_source
from scenarios.validation import load_document
from tests.scenarios.test_source import COMMENTED

BEFORE = [("scenarios", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_stored_scenarios_and_versions_get_a_generated_source_and_a_checksum_over_it(cast):
    document = load_document(COMMENTED)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    scenario = old.get_model("scenarios", "Scenario").objects.create(
        organization_id=cast.org.pk, title="Checkout outage", language="en", spec=document
    )
    old.get_model("scenarios", "ScenarioVersion").objects.create(
        scenario=scenario,
        organization_id=cast.org.pk,
        number=1,
        title="Checkout outage",
        language="en",
        spec=document,
        checksum="a checksum over the document alone",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    migrated = Scenario.objects.get(pk=scenario.pk)
    version = ScenarioVersion.objects.get(scenario=migrated)
    # Generated from the stored document (PostgreSQL's jsonb keeps its keys in its own order, not the author's).
    assert migrated.source == version.source == generated_source(migrated.spec)
    assert load_document(migrated.source) == document
    assert version.checksum == checksum_of(document, version.source)
    # Publishing the unchanged scenario finds the version it already has.
    assert scenario_publish(by=cast.instructor, scenario=migrated) == (version, False)
