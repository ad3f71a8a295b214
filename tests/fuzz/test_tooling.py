"""The fuzz run's own pieces: its schemathesis config, and the one server answer its hook forgives."""

import tomllib
from types import SimpleNamespace

import pytest

from fuzz.hooks import filter_failure
from fuzz.run import ID_PARAMETERS, config_text


def test_the_config_offers_the_fuzz_organizations_ids_for_the_path_parameters():
    ids = {"member_id": 3, "team_id": 4, "scenario_id": 5, "drill_id": 6, "template_id": 7}
    config = tomllib.loads(config_text(ids))
    assert config["hooks"] == "fuzz.hooks"
    for parameter in ID_PARAMETERS:
        assert config["dictionaries"][parameter]["values"] == [ids[parameter]]
        assert config["parameters"][f"path.{parameter}"]["dictionary"] == parameter


def answer(status: int, content: bytes = b"", content_type: str | None = None):
    headers = {"content-type": [content_type]} if content_type else {}
    return SimpleNamespace(status_code=status, content=content, headers=headers)


@pytest.mark.parametrize(
    "media_type, response, kept",
    [
        ("multipart/form-data", answer(400), False),  # Twisted's own answer to an unreadable multipart body
        ("multipart/form-data", answer(400, b'{"detail": "x"}', "application/json"), True),
        ("multipart/form-data", answer(500), True),
        ("application/json", answer(400), True),
        (None, answer(400), True),
    ],
)
def test_only_twisteds_bare_400_to_a_multipart_body_is_forgiven(media_type, response, kept):
    case = SimpleNamespace(media_type=media_type)
    assert filter_failure(None, None, case, response) is kept
