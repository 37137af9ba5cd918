"""``vykup sandbox``: the real bot against the built-in Telegram stand-in, in a browser page."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.cli.settings import EXIT_CONFIG
from bot.config import LogFormat, describe_error
from bot.i18n import CatalogError
from bot.logs import setup_logging


def run_sandbox(args: argparse.Namespace, env_file: Path) -> int:
    from bot.sandbox.cli import serve_sandbox  # the stand-in and the page load only here

    setup_logging("WARNING", LogFormat.text)
    try:
        asyncio.run(
            serve_sandbox(
                port=args.port,
                database_url=args.database_url,
                env_file=env_file,
                open_browser=not args.no_browser,
            )
        )
    except ValidationError as error:  # a setting of .env the sandbox uses too is wrong
        print(f"vykup: {describe_error(error)}", file=sys.stderr)
        return EXIT_CONFIG
    except CatalogError as error:
        print(f"vykup: the translations cannot be loaded: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except OSError as error:
        print(f"vykup: cannot start the sandbox page on port {args.port}: {error}", file=sys.stderr)
        return 1
    # Stopped, and its temporary files are gone: the interpreter's own teardown of the hundreds
    # of modules loaded would keep the prompt waiting for seconds more on a busy machine.
    print("vykup: the sandbox has stopped", flush=True)
    logging.shutdown()
    sys.stderr.flush()
    os._exit(0)
