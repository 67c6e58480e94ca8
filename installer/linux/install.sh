#!/usr/bin/env sh
# Per-user install of the unpacked Session Console archive (no root needed):
#   ./install.sh            install (or upgrade) into ~/.local
#   ./install.sh --remove   remove the program; the vault in ~/.local/share/session-console stays
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix="${XDG_DATA_HOME:-$HOME/.local/share}"
opt="$HOME/.local/opt/session-console"
bin="$HOME/.local/bin"
apps="$prefix/applications"
icon="$prefix/icons/hicolor/256x256/apps"
if [ "${1:-}" = "--remove" ]; then
    rm -rf "$opt" "$bin/session-console" "$apps/session-console.desktop" "$icon/session-console.png"
    echo "Session Console removed; your records in $prefix/session-console are kept."
    exit 0
fi
mkdir -p "$opt" "$bin" "$apps" "$icon"
rm -rf "$opt.new" && cp -a "$here/session-console" "$opt.new"
rm -rf "$opt" && mv "$opt.new" "$opt"
ln -sf "$opt/session-console" "$bin/session-console"
sed "s|^Exec=.*|Exec=$opt/session-console|" "$here/session-console.desktop" >"$apps/session-console.desktop"
cp "$here/session-console.png" "$icon/session-console.png"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" || true
echo "Session Console installed in $opt (menu entry and $bin/session-console)."
