#!/usr/bin/env bash
# The blob region store is tested against Azurite (Microsoft's Azure Storage emulator, an npm
# package), installed into the git-ignored .cache/azurite. Test-only, hence here and not in ensure-deps.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
version=3.37.0
prefix="$root/.cache/azurite"
if [ -x "$prefix/node_modules/.bin/azurite-blob" ] && grep -q "\"version\": \"$version\"" "$prefix/node_modules/azurite/package.json" 2>/dev/null; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "kiln tests: installing nodejs and npm (Debian packages) for Azurite…" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq >&2
  "${sudo_cmd[@]}" apt-get install -y -qq nodejs npm >&2
fi
echo "kiln tests: installing azurite $version into .cache/azurite…" >&2
mkdir -p "$prefix"
npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "azurite@$version" >&2
