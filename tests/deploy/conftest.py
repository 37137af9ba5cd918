"""One installed Vykup for the packaging tests: the wheel built and installed by deploy/install.sh,
the script the Dockerfile runs, from exactly the files the Dockerfile copies, outside the checkout.

To stay fast it installs the wheel without its dependencies (``PIP_NO_DEPS``) and lets the new
venv see this environment's packages through a ``.pth`` file; that the pinned versions the image
installs satisfy the wheel's own bounds is checked separately (test_wheel.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.deploy.dockerfile import ROOT, build_copies, build_run

IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")


@dataclass(frozen=True)
class Installed:
    venv: Path
    source: Path  # the copy the wheel was built from
    home: Path  # a working directory outside the checkout

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def site_packages(self) -> Path:
        (found,) = (self.venv / "lib").glob("python3*/site-packages")
        return found

    def run(self, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
        environment = {"PATH": f"{self.bin}:/usr/bin:/bin", "HOME": str(self.home), **env}
        return subprocess.run(
            [str(self.bin / argv[0]), *argv[1:]],
            cwd=self.home,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("installed")
    source = base / "src"
    for name in build_copies():
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=IGNORED)
        else:
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, source / name)
    venv = base / "venv"
    shell, script, _src, _venv = build_run()  # sh deploy/install.sh /src /opt/vykup
    env = {**os.environ, "PYTHON": sys.executable, "PIP_NO_DEPS": "1"}
    result = subprocess.run(
        [shell, str(source / script), str(source), str(venv)],
        env=env,
        cwd=base,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    done = Installed(venv, source, base / "home")
    done.home.mkdir()
    # The dependencies: this environment's (see the module's docstring).
    (done.site_packages() / "vykup-test-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", "utf-8"
    )
    yield done
