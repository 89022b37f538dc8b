"""Where stores go by default, and the settings that deployment adds (root path, watching)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vocab import config
from vocab.config import Settings, data_dir, normalise_root_path, settings_from_env


def test_a_checkout_keeps_its_stores_in_its_data_folder() -> None:
    assert data_dir({}) == config.ROOT / "data"
    assert Settings().db == config.ROOT / "data" / "vocab.db"


def test_an_installed_package_writes_to_the_users_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site_packages = tmp_path / "site-packages"  # no pyproject.toml beside the packages
    site_packages.mkdir()
    monkeypatch.setattr(config, "ROOT", site_packages)
    assert data_dir({"XDG_DATA_HOME": str(tmp_path / "xdg")}) == tmp_path / "xdg" / "airt-vocab"
    assert data_dir({}) == Path.home() / ".local" / "share" / "airt-vocab"
    assert data_dir({"VOCAB_DATA_DIR": str(tmp_path / "d")}) == tmp_path / "d"


def test_deployment_settings_come_from_the_environment() -> None:
    settings = settings_from_env({"VOCAB_ROOT_PATH": "/airt/", "VOCAB_WATCH_INTERVAL": "0.5"})
    assert settings.root_path == "/airt/" and settings.watch_interval == 0.5
    assert settings.base == "http://127.0.0.1:8000/airt"


@pytest.mark.parametrize("bad", ["/a b", "/a?b", "/../etc", "/a//b", '/"x"', "/a%2fb"])
def test_a_root_path_that_is_not_a_plain_path_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="such as /airt"):
        normalise_root_path(bad)
