#!/usr/bin/env bash
# Payvand's two commands on a fresh Debian 12 machine:
#   build-aux/payvand.sh run    install what is missing, build, make a demo database, start
#   build-aux/payvand.sh test   install what is missing, build, run every test
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build="${PAYVAND_BUILD_DIR:-$top/build}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

say () { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

install_packages () {
  local missing=()
  while read -r pkg; do
    case "$pkg" in ''|'#'*) continue ;; esac
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done < "$top/build-aux/debian-packages.txt"

  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
}

generate_locales () {
  local need=0
  for l in en_US.utf8 fa_IR.utf8; do
    locale -a 2>/dev/null | grep -qx "$l" || need=1
  done
  if [ $need -eq 1 ]; then
    say "Generating the en_US.UTF-8 and fa_IR.UTF-8 locales"
    for l in 'en_US.UTF-8 UTF-8' 'fa_IR.UTF-8 UTF-8'; do
      grep -qx "$l" /etc/locale.gen 2>/dev/null || echo "$l" | $sudo tee -a /etc/locale.gen >/dev/null
    done
    $sudo locale-gen >/dev/null
  fi
}

build_tree () {
  if [ ! -f "$build/build.ninja" ]; then
    say "Configuring in $build"
    meson setup "$build" "$top" -Dprofile=development >/dev/null
  fi
  say "Building"
  ninja -C "$build"
}

# Run from the build tree: its schema, its translations.
export GSETTINGS_SCHEMA_DIR="$build/data"
export PAYVAND_LOCALEDIR="$build/po"

case "${1:-}" in
  run)
    install_packages
    generate_locales
    build_tree
    db="${PAYVAND_DATABASE:-${XDG_DATA_HOME:-$HOME/.local/share}/payvand/demo.db}"
    if [ ! -s "$db" ]; then
      mkdir -p "$(dirname "$db")"
      say "Making a demo database in $db (${PAYVAND_DEMO_CUSTOMERS:-100000} customers)"
      demo_language=en
      case "${LANGUAGE:-${LANG:-}}" in fa*) demo_language=fa ;; esac
      "$build/src/cli/payvand-cli" demo --output "$db" \
        --customers "${PAYVAND_DEMO_CUSTOMERS:-100000}" --language "$demo_language"
    fi
    say "Starting Payvand on $db"
    exec "$build/src/app/payvand" --database "$db"
    ;;
  test)
    install_packages
    generate_locales
    build_tree
    say "Running every test (the UI tests in a virtual X server)"
    cd "$build"
    # dbus-run-session gives the app a session bus, as a desktop has.
    exec xvfb-run -a -s "-screen 0 1600x1000x24" \
      dbus-run-session -- meson test --print-errorlogs --num-processes 2 "${@:2}"
    ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
