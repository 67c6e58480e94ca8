#!/usr/bin/env bash
# Build the Session Console bundle for this platform with PyInstaller.
#
#   installer/build.sh            # from anywhere; uses .venv/bin/python unless PYTHON is set
#
# Linux:   dist/session-console/ (one folder) and
#          dist/session-console-<version>-linux-<arch>.tar.gz (bundle + .desktop + icon + install.sh)
# macOS:   dist/Session Console.app (and dist/session-console/)
# Windows: dist/session-console/ (run from Git Bash, or use the commands in installer/README.md)
#
# The version comes from console/__init__.py (the one place it is written).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=.venv/Scripts/python.exe
VERSION=$("$PY" -c 'import console; print(console.__version__)')
APP_ID=session-console
started=$(date +%s)

# Icons are committed; re-render only if the SVG is newer than them.
icons=resources/icons
if [ ! -f "$icons/$APP_ID.ico" ] || [ "$icons/$APP_ID.svg" -nt "$icons/$APP_ID.ico" ]; then
    "$PY" installer/render_icons.py
fi

rm -rf "dist/$APP_ID" "dist/Session Console.app"
"$PY" -m PyInstaller --noconfirm --log-level WARN \
    --distpath dist --workpath build/pyinstaller installer/session-console.spec

case "$(uname -s)" in
Linux)
    # Strip debug symbols from our own and Python's binaries (libpython, sqlcipher3,
    # cryptography: ~30 MB). Not numpy's: its wheel's libraries were edited by
    # patchelf, and strip makes them unloadable ("ELF load command ... not page-aligned").
    # Not the executable: the Python archive is appended to it.
    if command -v strip >/dev/null && command -v file >/dev/null; then
        find "dist/$APP_ID/_internal" -type f ! -path '*numpy*' -print0 \
            | xargs -0 file | grep 'ELF.*not stripped' | cut -d: -f1 \
            | xargs -r strip --strip-unneeded
    else
        echo "build: warning: 'strip' or 'file' missing (apt-get install binutils file);" \
            "the bundle stays ~30 MB larger" >&2
    fi
    arch=$(uname -m)
    stage="build/archive/$APP_ID-$VERSION"
    rm -rf build/archive && mkdir -p "$stage"
    cp -a "dist/$APP_ID" "$stage/$APP_ID"
    cp installer/linux/session-console.desktop "$stage/"
    cp "$icons/$APP_ID.png" "$stage/$APP_ID.png"
    cp installer/linux/install.sh "$stage/install.sh"
    chmod +x "$stage/install.sh"
    archive="dist/$APP_ID-$VERSION-linux-$arch.tar.gz"
    tar -C build/archive -czf "$archive" "$APP_ID-$VERSION"
    rm -rf build/archive
    echo "build: archive $archive $(du -m "$archive" | cut -f1) MB"
    ;;
esac

echo "build: bundle dist/$APP_ID $(du -sm "dist/$APP_ID" | cut -f1) MB (version $VERSION)"
echo "build: took $(($(date +%s) - started)) s"
