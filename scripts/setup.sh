#!/usr/bin/env bash
# Installs what Gateway's host build and tests need on a Debian machine. Safe to run again: it installs only what
# is missing. Used by ./test.sh; run it by hand on a fresh machine if you like.
#
#   ./scripts/setup.sh            everything the tests need
#   ./scripts/setup.sh --check    only report what is missing (exit 1 if anything is)
set -euo pipefail

# Debian packages the tests start for real (no mocks where a user would have the real thing).
# Each entry: <package> <command or file that proves it is installed>.
DEBIAN_NEEDS=(
  "nodejs node"
  "postgresql /usr/lib/postgresql/15/bin/postgres"
  "mosquitto /usr/sbin/mosquitto"
  "mosquitto /usr/bin/mosquitto_passwd"
  "openssl /usr/bin/openssl"
  "libmosquitto1 /usr/lib/x86_64-linux-gnu/libmosquitto.so.1"
  "chromium /usr/bin/chromium"
  "fonts-ipafont-gothic /usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"
)

check_only=0
[ "${1:-}" = "--check" ] && check_only=1

missing=()
for entry in "${DEBIAN_NEEDS[@]}"; do
  pkg=${entry%% *}; probe=${entry#* }
  if [[ "$probe" == /* ]]; then
    [ -e "$probe" ] || [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
  else
    command -v "$probe" >/dev/null 2>&1 || [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
  fi
done

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is missing. Install dotnet-sdk-10.0 (Microsoft's Debian package feed) and run again." >&2
  exit 1
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$check_only" = 1 ]; then
  echo "setup: missing Debian packages: ${missing[*]} (install: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi

echo "setup: installing Debian packages: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  echo "setup: could not install ${missing[*]}. Install them by hand: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
