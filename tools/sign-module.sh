#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sign-module.sh KERNELDIR KEY CERT MODULE: sign an installed module with
# KEY and CERT (DKMS's machine owner key, /var/lib/dkms/mok.key and
# mok.pub, which a Secure Boot user enrolls with `mokutil --import`), by the
# kernel's own scripts/sign-file and its CONFIG_MODULE_SIG_HASH, as DKMS
# signs what it builds. MODULE may be compressed the way modules_install
# leaves it (.ko.xz, .ko.gz, .ko.zst): it is uncompressed, signed and
# compressed again, since the signature covers the ELF file.
set -eu

[ "$#" -eq 4 ] || {
	echo "usage: sign-module.sh KERNELDIR KEY CERT MODULE" >&2
	exit 2
}
kdir=$1
key=$2
cert=$3
mod=$4

config=$kdir/.config
[ -f "$config" ] || config=$kdir/include/config/auto.conf
if ! grep -q '^CONFIG_MODULE_SIG=y' "$config" 2>/dev/null; then
	echo "  SIGN    skipped: $kdir's kernel does not check module signatures"
	exit 0
fi
hash=$(sed -n 's/^CONFIG_MODULE_SIG_HASH="\(.*\)"$/\1/p' "$config")
sign="$kdir/scripts/sign-file"
[ -x "$sign" ] || {
	echo "sign-module: no $sign to sign with" >&2
	exit 1
}

case $mod in
*.ko.xz) unz="xz -d" z="xz --check=crc32 --lzma2=dict=1MiB" ko=${mod%.xz} ;;
*.ko.gz) unz="gzip -d" z="gzip -9n" ko=${mod%.gz} ;;
*.ko.zst) unz="zstd -q -d --rm" z="zstd -q --rm" ko=${mod%.zst} ;;
*.ko) unz='' z='' ko=$mod ;;
*)
	echo "sign-module: $mod is not a module" >&2
	exit 1
	;;
esac
# shellcheck disable=SC2086 # the commands carry their options
[ -z "$unz" ] || $unz -f "$mod"
"$sign" "${hash:-sha512}" "$key" "$cert" "$ko"
# shellcheck disable=SC2086
[ -z "$z" ] || $z -f "$ko"
echo "  SIGN    $mod (${hash:-sha512}, $cert)"
