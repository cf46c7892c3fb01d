#!/usr/bin/env bash
# Installs the Debian packages the project needs (PostgreSQL 15 + PostGIS 3, GDAL/GEOS/PROJ,
# Chromium for the browser tests, gettext for the translation catalogue checks, Pango and DejaVu
# fonts for the PDF reports),
# or, when not root, stops with the exact apt command to run.
set -euo pipefail

# KARTA_SYSTEM_PACKAGES overrides the list (the tests use it to check the message for a missing one).
read -r -a PACKAGES <<<"${KARTA_SYSTEM_PACKAGES:-postgresql-15 postgresql-15-postgis-3 gdal-bin libgdal32 libgeos-c1v5 libproj25 chromium gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core}"
missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ! python3 -c "import venv, ensurepip" 2>/dev/null; then
  missing+=(python3-venv)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts a cluster of its own on TCP 5432; the project uses its own socket-only cluster.
if command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q "^15 main .* online"; then
  pg_ctlcluster 15 main stop || true
fi
