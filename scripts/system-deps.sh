#!/usr/bin/env bash
# Makes sure the system libraries Qt needs are present (see ../shared/PLATFORM.md).
# Usage: scripts/system-deps.sh offscreen|window|venv|postgres
# As root it installs what is missing with apt-get; otherwise it stops with the one line to run.
set -eu
mode=${1:-offscreen}

# library file, Debian package, offscreen|window: one list shared with the app
# (desktop/system_libraries.py), so `savedesk` names the same packages this script installs
list="$(dirname "$0")/../resources/qt-system-libraries.txt"

missing=()
check_libs() {  # $1: offscreen or window
  while read -r lib pkg need; do
    case "$lib" in ''|'#'*) continue ;; esac
    [ "$need" = "$1" ] || continue
    ldconfig -p 2>/dev/null | grep -q "$lib" || missing+=("$pkg")
  done < "$list"
}

case "$mode" in
  venv)
    python3 -c "import venv, ensurepip" 2>/dev/null || missing+=("python3-venv")
    ;;
  offscreen)
    check_libs offscreen
    # spelling dictionaries for the quality suggestions (review/reviewing/autoqa/spelling.py)
    for pair in en_US:hunspell-en-us en_GB:hunspell-en-gb ru_RU:hunspell-ru; do
      [ -f "/usr/share/hunspell/${pair%%:*}.dic" ] || missing+=("${pair##*:}")
    done
    ;;
  window)
    check_libs offscreen; check_libs window
    command -v xvfb-run >/dev/null || [ -n "${DISPLAY:-}" ] || missing+=("xvfb" "xauth")
    # emoji in messages (👋) need a colour emoji font; desktops have one, a bare Debian not
    fc-list 2>/dev/null | grep -qi "color emoji" || missing+=("fonts-noto-color-emoji")
    ;;
  postgres)
    # the test suite's second pass and the team-store benchmarks start a throwaway server
    # (tests/pgserver.py); Debian keeps its binaries off PATH, in /usr/lib/postgresql/15/bin
    ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=("postgresql-15")
    ;;
  *) echo "usage: $0 offscreen|window|venv|postgres" >&2; exit 2 ;;
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
