#!/usr/bin/env bash
# The Api tests drive Kiln with the real az CLI (Debian's azure-cli 2.45, ~700 MB, ~2 min to
# install). Only tests need it, so it is installed here rather than in ensure-deps.sh.
set -euo pipefail
if ! dpkg-query -W -f='${Status}' azure-cli 2>/dev/null | grep -q "install ok installed"; then
  echo "kiln tests: installing azure-cli (Debian package, takes a couple of minutes)…" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq >&2
  "${sudo_cmd[@]}" apt-get install -y -qq azure-cli >&2
fi
