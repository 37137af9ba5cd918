#!/bin/sh
# Regenerate constraints.txt from the virtual environment the tests passed in:
#   deploy/freeze-constraints.sh [VENV]   (default .venv)
# The image and the wheel test install Vykup with these exact versions (deploy/install.sh).
set -eu
venv=${1:-.venv}
cd "$(dirname "$0")/.."
{
    echo "# The versions the test suite passed with: pip freeze of the tested venv, without Vykup."
    echo "# Regenerate after changing dependencies: deploy/freeze-constraints.sh [VENV]"
    "$venv/bin/pip" freeze --exclude-editable --exclude vykup
} > constraints.txt
