"""drills 0008: replies drafted from a template before the snapshot existed get their template's name and kind."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from drills.models import Response

BEFORE = [("drills", "0007_response_template_response_template_filled")]


@pytest.mark.django_db(transaction=True)
def test_replies_from_a_template_keep_its_name_and_kind(cast, outage):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    organization_id = cast.instructor.membership.organization_id
    drill = old.get_model("drills", "Drill").objects.create(
        organization_id=organization_id, version_id=outage.pk, title="Before the snapshot"
    )
    template = old.get_model("kit", "ResponseTemplate").objects.create(
        organization_id=organization_id, name="Holding", kind="holding", language="en", text="We are sorry."
    )
    replies = old.get_model("drills", "Response").objects
    templated = replies.create(drill=drill, author_id=cast.alice.pk, text="Sorry", platform="x", template=template)
    plain = replies.create(drill=drill, author_id=cast.alice.pk, text="On it", platform="x")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Response.objects.values_list("template_name", "template_kind").get(pk=templated.pk) == ("Holding", "holding")
    assert Response.objects.values_list("template_name", "template_kind").get(pk=plain.pk) == ("", "")
