#!/usr/bin/env bash
# Installs the Debian packages Kiln needs when any is missing (idempotent, quiet when all present).
# Used by ./kiln and ./test.sh so a fresh machine (or CI) needs no manual step.
set -euo pipefail

packages=(
  qemu-system-x86 qemu-utils ovmf          # booting images (SeaBIOS comes with qemu-system-x86)
  mtools dosfstools e2fsprogs gdisk fdisk  # building test images without mounting anything
  syslinux syslinux-common                 # Gen1 boot loader
  systemd-boot-efi binutils                # Gen2 unified kernel image (linuxx64.efi.stub + objcopy)
  ntfs-3g                                  # mkntfs/ntfscp for the Windows-like test disk
  wimtools                                 # wimcapture/wimapply: a whole folder tree onto an NTFS image, no mount
  busybox-static cpio zstd xz-utils        # initramfs for test images
  nbdkit                                   # the peer in `kiln bench boot`
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "kiln: installing missing Debian packages: ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq >&2
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
