"""Reads of the scenario library, scoped to the caller's organization and role.

Participants and observers see titles of published scenarios only: never a document or a preview,
so nobody reads the script ahead of time.
"""

from functools import lru_cache

from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTransform

from accounts.models import Role
from accounts.selectors import membership_of
from config.errors import NotFound
from scenarios.models import Scenario, ScenarioVersion
from scenarios.plan import Plan
from scenarios.spec import Scenario as ScenarioSpec
from scenarios.textgen import plan_scenario
from scenarios.validation import scenario_from_document


def scenarios_for_user(*, user, query: str = "", language: str = "") -> QuerySet[Scenario]:
    """The library as lists show it: each scenario with its `published_version` (the latest number, or None),
    without its document and text (a list never shows them, and an organization may hold a thousand)."""
    membership = membership_of(user)
    latest = ScenarioVersion.objects.filter(scenario=OuterRef("pk")).order_by("-number").values("number")[:1]
    scenarios = (
        Scenario.objects.filter(organization=membership.organization)
        .defer("spec", "source")
        .annotate(published_version=Subquery(latest))
    )
    if membership.role != Role.INSTRUCTOR:
        scenarios = scenarios.filter(published_version__isnull=False)
    if query:
        scenarios = scenarios.filter(title__icontains=query)
    if language:
        scenarios = scenarios.filter(language__iexact=language)
    return scenarios.order_by("title", "id")


def scenario_for_user(*, user, scenario_id) -> Scenario:
    """A scenario's document; only instructors of its organization may read it (others: 404)."""
    membership = membership_of(user)
    if membership.role != Role.INSTRUCTOR:
        raise NotFound()
    try:
        return (
            Scenario.objects.annotate(published_version=Max("versions__number"))
            .select_related("organization")
            .get(organization=membership.organization, pk=scenario_id)
        )
    except (Scenario.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def versions_of(*, scenario: Scenario) -> QuerySet[ScenarioVersion]:
    return scenario.versions.order_by("-number")


def latest_version(*, scenario: Scenario) -> ScenarioVersion | None:
    return versions_of(scenario=scenario).first()


def latest_versions_for_user(*, user) -> list[dict]:
    """The latest version of each published scenario the caller lists (scenarios_for_user's order), as
    `{scenario_id, number, title, language, chain}`: `chain` is its document's approval chain, read from the
    database instead of the whole document."""
    newer = ScenarioVersion.objects.filter(scenario=OuterRef("scenario"), number__gt=OuterRef("number"))
    versions = (
        ScenarioVersion.objects.filter(scenario__in=scenarios_for_user(user=user).values("pk"))
        .filter(~Exists(newer))
        .annotate(chain=KeyTransform("approval_chain", "spec"))
        .order_by("scenario__title", "scenario_id")
    )
    return list(versions.values("scenario_id", "number", "title", "language", "chain"))


def version_in_organization(*, organization, version_id) -> ScenarioVersion:
    try:
        return ScenarioVersion.objects.get(organization=organization, pk=version_id)
    except (ScenarioVersion.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


@lru_cache(maxsize=256)
def _version_spec_and_plan(version_id: int, checksum: str) -> tuple[ScenarioSpec, Plan]:
    spec = ScenarioVersion.objects.values_list("spec", flat=True).get(pk=version_id)
    scenario = scenario_from_document(spec)
    return scenario, plan_scenario(scenario)


def version_scenario_and_plan(version: ScenarioVersion) -> tuple[ScenarioSpec, Plan]:
    """Parsed once per process: versions are immutable, so the checksum makes the cache key safe."""
    return _version_spec_and_plan(version.pk, version.checksum)
