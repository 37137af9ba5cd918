"""The command line's contract: subcommands with only their own options, ``run`` by default."""

from __future__ import annotations

import pytest

from bot.cli.parser import COMMANDS, parse_args

OPTIONS = {
    "run": {"--role"},
    "migrate": set(),
    "import": set(),
    "sandbox": {"--port", "--no-browser", "--database-url"},
    "webhooks": {"--redeliver"},
    "forget": set(),
    "connect": {
        "--url",
        "--key",
        "--secret",
        "--token",
        "--client-secret",
        "--api-key",
        "--name",
        "--map",
        "--cancel-orders",
        "--option",
        "--list",
        "--remove",
    },
}


def parse(*argv: str):
    return parse_args(list(argv), "vykup")


def test_no_command_runs_the_bot_and_options_before_a_command_belong_to_run():
    assert (parse().command, parse().role) == ("run", "all")
    assert (parse("--role", "worker").command, parse("--role", "worker").role) == ("run", "worker")
    assert parse("run", "--role", "web").role == "web"


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_its_own_help_listing_only_its_options(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        parse(command, "--help")
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: vykup {command} [-h]")
    every_option = set().union(*OPTIONS.values())
    assert {option for option in every_option if option in out} == OPTIONS[command]


@pytest.mark.parametrize(
    ("argv", "refused"),
    [
        (("--redeliver",), "--redeliver"),  # no command: run, which does not take it
        (("migrate", "--port", "1"), "--port 1"),
        (("webhooks", "--role", "web"), "--role web"),
        (("sandbox", "--redeliver"), "--redeliver"),
        (("import", "orders.csv", "--no-browser"), "--no-browser"),
    ],
)
def test_an_option_the_command_does_not_take_is_refused_with_its_usage(argv, refused, capsys):
    with pytest.raises(SystemExit) as exit_:
        parse(*argv)
    assert exit_.value.code == 2
    command = argv[0] if not argv[0].startswith("-") else "run"
    err = capsys.readouterr().err
    assert err.startswith(f"usage: vykup {command} ")
    assert err.endswith(f"vykup {command}: error: unrecognized arguments: {refused}\n")


def test_import_wants_its_file_and_the_others_their_values():
    args = parse("import", "orders.csv")
    assert args.path == "orders.csv"
    args = parse("sandbox", "--port", "0", "--no-browser")
    assert (args.port, args.no_browser, args.database_url) == (0, True, None)
    assert parse("webhooks", "--redeliver").redeliver is True


def test_version_is_the_installed_distributions(capsys):
    with pytest.raises(SystemExit) as exit_:
        parse("--version")
    assert exit_.value.code == 0
    from importlib.metadata import version

    assert capsys.readouterr().out == f"vykup {version('vykup')}\n"
