#!/usr/bin/env bash
# Makes sure the system libraries Qt needs are present (see ../shared/PLATFORM.md).
# Usage: scripts/system-deps.sh offscreen|window|venv
# As root it installs what is missing with apt-get; otherwise it stops with the one line to run.
set -eu
mode=${1:-offscreen}

# library file -> Debian package
offscreen_libs="libEGL.so.1:libegl1 libGL.so.1:libgl1 libfontconfig.so.1:libfontconfig1
libfreetype.so.6:libfreetype6 libglib-2.0.so.0:libglib2.0-0 libX11.so.6:libx11-6
libxkbcommon.so.0:libxkbcommon0 libdbus-1.so.3:libdbus-1-3"
window_libs="libxkbcommon-x11.so.0:libxkbcommon-x11-0 libxcb-cursor.so.0:libxcb-cursor0
libxcb-icccm.so.4:libxcb-icccm4 libxcb-image.so.0:libxcb-image0 libxcb-keysyms.so.1:libxcb-keysyms1
libxcb-randr.so.0:libxcb-randr0 libxcb-render-util.so.0:libxcb-render-util0
libxcb-shape.so.0:libxcb-shape0 libxcb-xkb.so.1:libxcb-xkb1"

missing=()
check_libs() {
  for pair in $1; do
    lib=${pair%%:*}; pkg=${pair##*:}
    ldconfig -p 2>/dev/null | grep -q "$lib" || missing+=("$pkg")
  done
}

case "$mode" in
  venv)
    python3 -c "import venv, ensurepip" 2>/dev/null || missing+=("python3-venv")
    ;;
  offscreen)
    check_libs "$offscreen_libs"
    # spelling dictionaries for the quality suggestions (review/reviewing/autoqa/spelling.py)
    for pair in en_US:hunspell-en-us en_GB:hunspell-en-gb ru_RU:hunspell-ru; do
      [ -f "/usr/share/hunspell/${pair%%:*}.dic" ] || missing+=("${pair##*:}")
    done
    ;;
  window)
    check_libs "$offscreen_libs"; check_libs "$window_libs"
    command -v xvfb-run >/dev/null || [ -n "${DISPLAY:-}" ] || missing+=("xvfb" "xauth")
    ;;
  *) echo "usage: $0 offscreen|window|venv" >&2; exit 2 ;;
esac

[ ${#missing[@]} -eq 0 ] && exit 0
line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages savedesk needs: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive $line
else
  echo "savedesk needs system packages that are missing. Run, as root:" >&2
  echo "  sudo $line" >&2
  exit 1
fi
