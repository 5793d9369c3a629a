#!/usr/bin/env bash
# Runs every test of the solution. Installs what the tests need first (Debian packages, the
# test kernel), so it works on a fresh machine and in CI. Extra arguments go to `dotnet test`
# (e.g. ./test.sh --filter FullyQualifiedName~Vhd).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$root"

scripts/ensure-deps.sh
for hook in scripts/test-setup.d/*.sh; do
  [ -e "$hook" ] && bash "$hook"
done

export KILN_HOME="$root"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# A test that hangs fails after 20 minutes with a small dump in TestResults/, instead of eating CI's 90.
dotnet test Kiln.slnx -c Debug -nologo --blame-hang-timeout 20m --blame-hang-dump-type mini "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# One closing line in the plain 'N passed, N failed' form, summed over the test assemblies.
awk '/(Passed|Failed)!.*Failed:/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:")  f += $(i+1) + 0
         if ($i == "Passed:")  p += $(i+1) + 0
         if ($i == "Skipped:") s += $(i+1) + 0
       }
     }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$rc"
