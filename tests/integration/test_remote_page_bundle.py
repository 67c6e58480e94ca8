"""The client page's script is what its sources build to, so a reviewer can trust `src/`.

`resources/remote/site/pacer.js` is committed (a clinic copies `site/` to its
broker as it is); this rebuilds it from `resources/remote/src` with the
esbuild pinned in `resources/remote/tools/package-lock.json` and compares.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

from console.resources import resource_path

SITE = resource_path("remote/site/pacer.js").parent
BUILD = SITE.parent / "tools"
SCRIPT = "../site/pacer.js"


def test_the_committed_page_script_is_built_from_its_sources(tmp_path: Path) -> None:
    npm = shutil.which("npm")
    assert npm is not None, "npm comes with Node.js (.ci/system-deps.sh)"
    esbuild = BUILD / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=BUILD,
            check=True,
            timeout=300,
        )
    command = json.loads((BUILD / "package.json").read_text())["scripts"]["build"]
    fresh = tmp_path / "pacer.js"
    args = [str(esbuild), *shlex.split(command)[1:]]
    args = [f"--outfile={fresh}" if a == f"--outfile={SCRIPT}" else a for a in args]
    assert f"--outfile={fresh}" in args
    subprocess.run(args, cwd=BUILD, check=True, timeout=120, capture_output=True)
    assert fresh.read_bytes() == (SITE / "pacer.js").read_bytes(), "run `make page` and commit"
