#!/usr/bin/env bash
# Debian packages Qt 6 (PySide6 wheels) needs at run time, including the
# offscreen and xcb platforms, Qt Multimedia (libpulse) and fonts; plus the tools
# the tests use: poppler-utils (PDF pages as images), PulseAudio (a null sink for
# real sound without a sound card), binutils and file (the installer strips the bundle),
# strace (the hostile tests kill the CLI at chosen system calls), Xvfb, x11-utils and
# xdotool (the pacer's picture measured from an X server's framebuffer); Node.js
# (the client page's own code run against the Python engine); Mosquitto and
# Chromium (the shared pacer link through a real broker to a real browser).
# Installs missing ones with apt when running as root; otherwise lists them.
set -euo pipefail
pkgs=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
      libglib2.0-0 libpulse0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
      libxcb-render-util0 libxcb-xinerama0 libxcb-xkb1 libxcb-shape0 libxcb-randr0
      fonts-dejavu-core poppler-utils pulseaudio pulseaudio-utils binutils file strace
      xvfb x11-utils xdotool mosquitto chromium)
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system libraries Qt needs: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Qt needs these system packages (install them with your package manager): ${missing[*]}" >&2
fi
