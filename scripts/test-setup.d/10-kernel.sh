#!/usr/bin/env bash
# The test images boot the Debian kernel; fetch it once into .cache/kernel/.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/../fetch-kernel.sh"
