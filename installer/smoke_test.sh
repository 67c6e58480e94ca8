#!/usr/bin/env bash
# Smoke test of a built bundle, as a clinic laptop would run it: no venv, no Python on
# PATH, an empty HOME, offscreen Qt.
#
#   installer/smoke_test.sh [BUNDLE_DIR]      # default dist/session-console
#
# Fails unless
#   1. `session-console --version` prints the version of console/__init__.py;
#   2. `session-console self-test` prints `self-test: ok` (the whole product, headless);
#   3. a vault created without --data-dir lands in the platform's user data folder under
#      the empty HOME, and opens again (`verify`);
#   4. nothing was written inside the bundle folder.
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE=${1:-dist/session-console}
case "$(uname -s)" in
MINGW* | MSYS* | CYGWIN*) EXE="$BUNDLE/session-console-cli.exe" ;;
*) EXE="$BUNDLE/session-console" ;;
esac
[ -x "$EXE" ] || { echo "smoke: no bundle at $EXE (run make installer)" >&2; exit 1; }
EXE=$(cd "$(dirname "$EXE")" && pwd)/$(basename "$EXE")
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' console/__init__.py)

HOME_DIR=$(mktemp -d)
trap 'rm -rf "$HOME_DIR"' EXIT
marker="$HOME_DIR/.marker"
touch "$marker"
clean() {  # a clean environment: nothing of the build machine's Python or venv
    env -i HOME="$HOME_DIR" PATH=/usr/bin:/bin LANG=C.UTF-8 TMPDIR="$HOME_DIR" \
        QT_QPA_PLATFORM=offscreen PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring \
        "$@"
}
fail() { echo "smoke: FAIL: $*" >&2; exit 1; }

out=$(clean "$EXE" --version 2>&1) || fail "--version exited non-zero: $out"
[ "$out" = "session-console $VERSION" ] || fail "--version printed '$out', expected $VERSION"
echo "smoke: $out"

t0=$(date +%s.%N)
set +e
out=$(clean timeout 300 "$EXE" self-test 2>&1)
status=$?
set -e
t1=$(date +%s.%N)
echo "$out" | sed 's/^/  /'
grep -qx 'self-test: ok' <<<"$out" || fail "self-test did not print 'self-test: ok' (exit $status)"
[ "$status" -eq 0 ] || fail "self-test exited $status"
echo "smoke: self-test ok in $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s"

pass="smoke test passphrase, not for real use"
printf '%s\n' "$pass" | clean "$EXE" init --passphrase-stdin --clinician "Smoke Test" >/dev/null \
    || fail "init in the default data folder failed"
case "$(uname -s)" in
Darwin) data="$HOME_DIR/Library/Application Support/session-console" ;;
Linux) data="$HOME_DIR/.local/share/session-console" ;;
*) data="" ;;
esac
if [ -n "$data" ]; then
    [ -f "$data/vault.json" ] || fail "the vault is not in the user data folder ($data)"
    echo "smoke: default data folder is ${data#"$HOME_DIR"/} under HOME"
fi
printf '%s\n' "$pass" | clean "$EXE" verify --passphrase-stdin >/dev/null \
    || fail "verify of the new vault failed"

written=$(find "$BUNDLE" -newer "$marker" -print | head -5)
[ -z "$written" ] || fail "the bundle wrote into its own folder: $written"
echo "smoke: nothing written next to the executable"
echo "smoke: ok"
