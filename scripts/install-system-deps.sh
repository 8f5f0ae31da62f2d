#!/usr/bin/env bash
# Install the Debian packages reportgen needs. Safe to run repeatedly: it does nothing
# when everything is already there.
#
#   install-system-deps.sh          what building a report needs: python3-venv,
#                                   WeasyPrint's Pango/HarfBuzz/fontconfig and a font,
#                                   Enchant and the en_GB dictionary (spelling check)
#   install-system-deps.sh --test   also what the test suite needs: poppler-utils (PDF
#                                   text and pictures), Chromium and npm (axe-core)
set -euo pipefail

packages=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b
  libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core
  libenchant-2-2 hunspell-en-gb)  # the spelling check (pyenchant, British English)
if [ "${1:-}" = "--test" ]; then
  packages+=(poppler-utils chromium)
  # npm may come from elsewhere (e.g. a Node.js distribution); only ask Debian when absent.
  if ! command -v npm >/dev/null 2>&1; then
    packages+=(npm)
  fi
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "reportgen needs these system packages: ${missing[*]}" >&2
  echo "Install them with your system's package manager, then run make again" >&2
  echo "(Windows and macOS: see reportgen/docs/install.md)." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Run as root, or install: ${missing[*]}" >&2
    exit 1
  fi
fi
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
