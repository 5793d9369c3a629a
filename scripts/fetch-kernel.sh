#!/usr/bin/env bash
# Fetches the Debian kernel package behind linux-image-amd64 into $KILN_HOME/.cache/kernel/
# (apt-get download + dpkg-deb -x: nothing is installed into /boot). The test-image factory
# boots this kernel. Leaves:
#   .cache/kernel/vmlinuz            the kernel image
#   .cache/kernel/modules/           the package's lib/modules/<version>/ tree
#   .cache/kernel/version            the kernel version string
# Idempotent: when the cached version matches the current package it returns at once.
set -euo pipefail
root=${KILN_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cache="$root/.cache/kernel"

# linux-image-amd64 is a meta package; its Depends names the real, versioned one.
package=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if [ -z "$package" ]; then
  echo "fetch-kernel: apt-cache knows no linux-image-amd64 (run apt-get update?)" >&2
  exit 1
fi
if [ -f "$cache/vmlinuz" ] && [ "$(cat "$cache/package" 2>/dev/null)" = "$package" ]; then
  exit 0
fi

echo "fetch-kernel: fetching $package into $cache" >&2
work=$(mktemp -d)
chmod 0755 "$work"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq "$package" >&2)
deb=$(ls "$work"/*.deb)
dpkg-deb -x "$deb" "$work/x"
version=$(ls "$work/x/lib/modules" | head -n1)

rm -rf "$cache.new"
mkdir -p "$cache.new"
cp "$work/x/boot/vmlinuz-$version" "$cache.new/vmlinuz"
mv "$work/x/lib/modules/$version" "$cache.new/modules"
echo "$version" >"$cache.new/version"
echo "$package" >"$cache.new/package"
rm -rf "$cache"
mv "$cache.new" "$cache"
echo "fetch-kernel: kernel $version ready" >&2
