"""The argument parser: one subcommand per task, each with only its own options."""

from __future__ import annotations

import argparse
from importlib.metadata import PackageNotFoundError, version

from bot.cluster.roles import Role

COMMANDS = ("run", "migrate", "import", "sandbox", "webhooks", "forget", "connect")
DEFAULT_COMMAND = "run"
TOP_LEVEL_FLAGS = frozenset({"-h", "--help", "--version"})


def installed_version() -> str:
    try:
        return version("vykup")
    except PackageNotFoundError:  # a checkout that was never installed
        return "unknown (not installed)"


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Vykup: the buyout bot. Without a command it runs the bot (as 'run').",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {installed_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser(
        "run", help="run the bot (default)", description="Upgrade the database and run the bot."
    )
    run.add_argument(
        "--role",
        choices=[role.value for role in Role],
        default=Role.all.value,
        help="web (shop API and Telegram updates), worker (delivery and timers, one leads "
        "at a time) or all (default: everything in this process)",
    )

    commands.add_parser(
        "migrate",
        help="only upgrade the database schema",
        description="Upgrade the database schema (needs DATABASE_URL, no bot token).",
    )

    importer = commands.add_parser(
        "import",
        help="import past orders with their outcomes",
        description="Import past orders from a .csv or .json file (no bot token needed).",
    )
    importer.add_argument("path", nargs="?", help="the .csv or .json file of past orders")

    sandbox = commands.add_parser(
        "sandbox",
        help="try every flow in a browser, without Telegram or a token",
        description="The real bot against a built-in Telegram stand-in, in a browser page.",
    )
    sandbox.add_argument("--port", type=int, default=8090, help="the page's port (default 8090)")
    sandbox.add_argument("--no-browser", action="store_true", help="print the address only")
    sandbox.add_argument(
        "--database-url",
        help="a database of your own (default: a temporary SQLite file, deleted at exit)",
    )

    webhooks = commands.add_parser(
        "webhooks",
        help="how deliveries to the shop stand",
        description="Count waiting and failed deliveries to the shop.",
    )
    webhooks.add_argument(
        "--redeliver",
        action="store_true",
        help="queue every failed delivery again (the running bot sends it)",
    )
    forgetting = commands.add_parser(
        "forget",
        help="erase a customer's personal data",
        description="Erase a customer's personal data (name, phone, Telegram link, IBANs, "
        "photos); their orders stay, anonymised, and the shop is told (customer.erased).",
    )
    forgetting.add_argument("phone", help="the customer's phone, in any spelling")
    add_connect(commands)
    for subparser in commands.choices.values():
        subparser.set_defaults(parser=subparser)  # so that a later check prints its own usage
    return parser


CREDENTIALS = {
    "key": "WooCommerce: the REST API consumer key (ck_…), Read/Write",
    "secret": "WooCommerce: the REST API consumer secret (cs_…)",
    "token": "Shopify: the Admin API access token (shpat_…) of the shop's custom app",
    "client_secret": "Shopify: the app's API secret key (it signs Shopify's webhooks)",
    "api_key": "KeyCRM: the API key (Settings → General → API key)",
}


def add_connect(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    connect = commands.add_parser(
        "connect",
        help="connect the shop's platform or CRM (WooCommerce, Shopify, KeyCRM)",
        description="Check the credentials, register Vykup's webhooks at PUBLIC_URL through the "
        "platform's API and store the connection; run again to update it (nothing is "
        "registered twice). Needs only DATABASE_URL and PUBLIC_URL.",
    )
    connect.add_argument(
        "platform", nargs="?", choices=["woocommerce", "shopify", "keycrm"], help="the platform"
    )
    connect.add_argument(
        "--url",
        help="the platform's address: the shop's (WooCommerce), https://<shop>.myshopify.com "
        "(Shopify), default https://openapi.keycrm.app/v1 (KeyCRM); a proxy or staging works too",
    )
    for name, text in CREDENTIALS.items():
        connect.add_argument("--" + name.replace("_", "-"), dest=name, help=text)
    connect.add_argument(
        "--name", help="the connection's name (default: the platform's); for a second shop"
    )
    connect.add_argument(
        "--map",
        action="append",
        metavar="EVENT=VALUE",
        help="what the shop sees for a Vykup event: a status (WooCommerce), a tag (Shopify), a "
        "status id (KeyCRM); empty for a note only. Repeat for several.",
    )
    connect.add_argument(
        "--cancel-orders",
        action="store_true",
        help="Shopify: cancel the order in Shopify when the customer cancels (default: tag + note)",
    )
    connect.add_argument(
        "--option",
        action="append",
        metavar="NAME=VALUE",
        help="a platform's own setting (README): Shopify cod_gateways, point_attribute, "
        "api_version; KeyCRM language_field. Repeat for several.",
    )
    connect.add_argument("--list", action="store_true", help="show the connections")
    connect.add_argument("--remove", metavar="NAME", help="unregister and remove a connection")


def parse_args(argv: list[str], prog: str) -> argparse.Namespace:
    """``run`` when no command is given: ``vykup`` and ``vykup --role web`` run the bot."""
    if not argv or (argv[0].startswith("-") and argv[0] not in TOP_LEVEL_FLAGS):
        argv = [DEFAULT_COMMAND, *argv]
    parser = build_parser(prog)
    # Unknown options are refused by the subcommand, with its own usage (argparse alone would
    # print the top-level usage, which does not say what the subcommand takes).
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        args.parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command == "import" and args.path is None:
        args.parser.error("import needs the file to import")
    return args
