"""Reads for comparing drills: the finished drills of one scenario that the caller may see."""

from __future__ import annotations

from accounts.selectors import membership_of
from config.errors import NotFound
from drills.models import Drill, DrillStatus
from drills.selectors import drills_for_user
from scenarios.models import Scenario

MAX_COMPARED = 200


def scenario_in_organization(*, user, scenario_id) -> Scenario:
    """The scenario if it belongs to the caller's organization (any role: only its title is shown); else 404."""
    membership = membership_of(user)
    try:
        return Scenario.objects.get(organization=membership.organization, pk=scenario_id)
    except (Scenario.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def finished_drills_of(*, user, scenario: Scenario) -> list[Drill]:
    """The latest MAX_COMPARED, oldest first; instructors see every finished drill of the scenario,
    others those they were seated in."""
    drills = drills_for_user(user=user).filter(version__scenario=scenario, status=DrillStatus.FINISHED)
    latest = drills.select_related("scorecard").order_by("-finished_at", "-id")[:MAX_COMPARED]
    return list(reversed(latest))
