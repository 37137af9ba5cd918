#!/bin/sh
# Build Vykup's wheel from SOURCE and install it, pinned by SOURCE/constraints.txt, into a new
# virtual environment VENV. The Dockerfile's build stage runs exactly this, and so does the wheel
# test (tests/deploy/test_wheel.py, outside the checkout): the image installs what the test ran.
#   usage: deploy/install.sh SOURCE VENV        (PYTHON=python3.11 to choose the interpreter)
set -eu
source_dir=$(cd "$1" && pwd)  # absolute: pip reads a bare word as a name on PyPI
venv=$2
wheels=$(mktemp -d)
trap 'rm -rf "$wheels"' EXIT
"${PYTHON:-python3}" -m venv "$venv"
"$venv/bin/pip" wheel --quiet --no-deps --wheel-dir "$wheels" "$source_dir"
"$venv/bin/pip" install --quiet --constraint "$source_dir/constraints.txt" "$wheels"/vykup-*.whl
