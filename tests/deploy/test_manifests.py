"""docker-compose.yml, the Dockerfile and the systemd unit say only what Vykup understands:
every command is a valid ``vykup`` invocation, every variable a setting with a value it accepts.
(No Docker or systemd here: what can be checked without them is checked.)"""

from __future__ import annotations

import configparser
import re
import shlex
from typing import Any

import pytest
import yaml

from bot.cli.parser import parse_args
from bot.cluster.roles import Role
from bot.config import Settings
from tests.deploy.dockerfile import ROOT, build_copies, exec_form, instructions

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstu"
# ${NAME:?message} and ${NAME:-default}: what docker compose fills in from .env.
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Z_]+)(?::[?-](?P<rest>[^}]*))?\}")
SAMPLE_ENV = {"POSTGRES_PASSWORD": "s3cret"}


def compose() -> dict[str, Any]:
    text = (ROOT / "docker-compose.yml").read_text("utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def vykup_services() -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = compose()["services"]
    return {name: s for name, s in services.items() if s.get("image", "").startswith("vykup")}


def interpolate(value: str) -> str:
    return INTERPOLATION.sub(lambda m: SAMPLE_ENV[m["name"]], value)


def test_compose_runs_two_web_processes_a_worker_and_a_one_off_migration():
    roles = sorted(
        parse_args(s["command"], "vykup").role
        for s in vykup_services().values()
        if s["command"][0] == "run"
    )
    assert roles == ["web", "web", "worker"]
    migrate = vykup_services()["migrate"]
    assert migrate["command"] == ["migrate"] and migrate["restart"] == "no"
    for name, service in vykup_services().items():
        if name != "migrate":
            assert service["depends_on"]["migrate"] == {
                "condition": "service_completed_successfully"
            }


@pytest.mark.parametrize("name", sorted(vykup_services()))
def test_every_command_is_a_valid_vykup_invocation(name):
    command = vykup_services()[name]["command"]
    args = parse_args(command, "vykup")  # SystemExit(2) with the usage when it is not
    assert args.command in {"run", "migrate"}
    assert exec_form("ENTRYPOINT") == ["vykup"]  # the image runs vykup with these arguments


@pytest.mark.parametrize("name", sorted(vykup_services()))
def test_every_variable_set_is_a_setting_with_an_accepted_value(name):
    service = vykup_services()[name]
    assert service["env_file"] == ".env"
    environment = {key: interpolate(str(value)) for key, value in service["environment"].items()}
    fields = {field.upper() for field in Settings.model_fields}
    assert set(environment) <= fields
    settings = Settings(
        _env_file=None, bot_token=TOKEN, **{k.lower(): v for k, v in environment.items()}
    )  # type: ignore[call-arg, arg-type]
    assert settings.database_url.startswith("postgresql+asyncpg://vykup:s3cret@postgres:5432/")
    assert settings.redis_url == "redis://redis:6379/0"


def test_the_databases_have_healthchecks_and_every_volume_is_declared():
    services = compose()["services"]
    assert services["postgres"]["healthcheck"]["test"][0] == "CMD-SHELL"
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    named = {
        volume.split(":")[0]
        for service in services.values()
        for volume in service.get("volumes", [])
    }
    assert named == set(compose()["volumes"])


def test_the_image_runs_as_a_user_checks_healthz_and_stops_on_sigterm():
    image = {i.keyword: i.arguments for i in instructions() if i.stage == 1}
    assert image["USER"] not in {"root", "0"}
    assert image["STOPSIGNAL"] == "SIGTERM"
    assert "/healthz" in image["HEALTHCHECK"]
    assert 'add_get("/healthz"' in (ROOT / "bot" / "web" / "app.py").read_text("utf-8")
    assert parse_args(exec_form("CMD"), "vykup").command == "run"
    variables = dict(item.split("=", 1) for item in image["ENV"].split())
    assert Settings(_env_file=None, bot_token=TOKEN, api_host=variables["API_HOST"]).api_host  # type: ignore[call-arg]


def test_the_image_is_built_from_what_the_wheel_test_builds_from():
    assert {"pyproject.toml", "constraints.txt", "deploy/install.sh", "locales"} <= set(
        build_copies()
    )
    assert all((ROOT / name).exists() for name in build_copies())


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_the_systemd_unit_runs_a_valid_invocation_per_role(role):
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # type: ignore[assignment, method-assign]
    unit.read(ROOT / "deploy" / "vykup@.service", encoding="utf-8")
    service = unit["Service"]
    program, *argv = shlex.split(service["ExecStart"].replace("%i", role))
    assert program == "/opt/vykup/bin/vykup"
    assert parse_args(argv, "vykup").role == role
    assert service["KillSignal"] == "SIGTERM"
    assert service["RestartPreventExitStatus"] == "2"  # a wrong setting: restarting would not help
    assert service["User"] != "root"
