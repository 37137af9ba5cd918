"""Start Vykup from a checkout: ``python run_bot.py [run|migrate|import|sandbox|webhooks] …`` does
what the installed ``vykup`` command does (see ``bot/cli``), reading ``.env`` beside this file."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.cli import invocation, main

if __name__ == "__main__":
    sys.exit(main(how=invocation.checkout(Path(__file__).resolve())))
