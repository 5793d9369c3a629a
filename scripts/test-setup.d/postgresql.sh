#!/usr/bin/env bash
# The PostgreSQL store tests start their own throwaway cluster (initdb + pg_ctl on a unix socket
# in a temp folder), so only the server binaries are needed. Test-only, hence here and not in
# ensure-deps.sh. The system service is left alone: the package may start it, the tests never use it.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "kiln tests: installing postgresql (Debian package)…" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  # policy-rc.d exit 101 keeps the package's postinst from starting the system cluster (a no-op where there is no init).
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
    "${sudo_cmd[@]}" chmod +x "$policy"
    trap '"${sudo_cmd[@]}" rm -f "$policy"' EXIT
  fi
  "${sudo_cmd[@]}" apt-get update -qq >&2
  "${sudo_cmd[@]}" apt-get install -y -qq postgresql >&2
fi
