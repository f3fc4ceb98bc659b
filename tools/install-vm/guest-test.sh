#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest-test.sh: the path a user takes, inside the Debian 12 guest of
# `make check-install`. Run at boot as root by miniproc-install-test.service
# (tools/install-vm/mkroot.sh) from the payload disk mounted at
# /mnt/payload, which holds the two .debs `make deb` built and VERSION:
#
#   apt-get install ./miniproc-dkms_*.deb ./miniproc-utils_*.deb
#   (DKMS builds the module for this kernel), dkms status, modprobe
#   miniproc, udev gives /dev/miniproc to the group and mode its rule says,
#   a member of the group runs a program and reads man miniproc, a user
#   outside the group is refused.
#
# TAP on stdout (the guest's second serial port) between the markers
# tools/vm/results.sh looks for; each step's output and, at the end, the
# DKMS build log and the journal go to /mnt/payload/out/, which the host
# reads back from the disk.
set -u

payload=$(cd "$(dirname "$0")" && pwd)
out=$payload/out
rm -rf "$out"
mkdir -p "$out"
version=$(cat "$payload/VERSION")
kver=$(uname -r)
member=student
outsider=visitor

n=0
failed=0
# result STATUS DESCRIPTION [LOG]: one TAP line; LOG's tail on failure.
result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2${3:+ (log: out/${3##*/})}"
		[ -z "${3:-}" ] || tail -n 25 "$3" | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
}
# check DESCRIPTION COMMAND...: COMMAND's output to a log, one result.
check() {
	desc=$1
	shift
	log=$out/$((n + 1)).log
	if "$@" >"$log" 2>&1; then cst=0; else cst=$?; fi
	result "$cst" "$desc" "$log"
}
now() {
	cut -d. -f1 /proc/uptime
}

echo "# MINIPROC-VM-BEGIN"
# shellcheck disable=SC1091 # the guest's own
. /etc/os-release
echo "# $PRETTY_NAME, kernel $kver, $(systemctl --version | head -n 1); booted in $(now) s"

t0=$(now)
# As a user installs downloaded packages; the guest has no network, so
# everything they depend on must already be there, as on any system that
# can build modules. (A timer of apt's own may hold its lock at boot.)
check "apt-get install both packages (DKMS builds miniproc for $kver in the postinst)" \
	env DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 \
	"$payload"/miniproc-dkms_*.deb "$payload"/miniproc-utils_*.deb
echo "# apt-get install (the DKMS build included): $(($(now) - t0)) s"
sed -n 's/^\(Building for .*\)/#   \1/p' "$out/$n.log"

dkms status -m miniproc >"$out/dkms-status.out" 2>&1 || :
sed 's/^/#   dkms status: /' "$out/dkms-status.out"
check "dkms status: miniproc/$version installed for $kver" \
	grep -q "^miniproc/$version, $kver, [^:]*: installed" "$out/dkms-status.out"
check "modinfo miniproc: the module DKMS put in /lib/modules/$kver, version $version" \
	sh -c "modinfo -n miniproc && modinfo -n miniproc | grep -q '^/lib/modules/$kver/updates/dkms/' &&
		[ \"\$(modinfo -F version miniproc)\" = '$version' ]"

check "modprobe miniproc" modprobe miniproc
udevadm settle -t 120 || :

# The group and mode are what the installed rule says, not what the
# module creates the node with.
rule=
for f in /usr/lib/udev/rules.d/60-miniproc.rules /lib/udev/rules.d/60-miniproc.rules; do
	if [ -f "$f" ]; then
		rule=$f
		break
	fi
done
rule_group=$(sed -n 's/.*GROUP="\([^"]*\)".*/\1/p' "${rule:-/dev/null}")
rule_mode=$(sed -n 's/.*MODE="0*\([0-7]*\)".*/\1/p' "${rule:-/dev/null}")
echo "# udev rule: ${rule:-none}: GROUP=${rule_group:-?} MODE=${rule_mode:-?}"
echo "# $(ls -l /dev/miniproc 2>&1)"
device_ok() {
	ls -l /dev/miniproc
	[ -c /dev/miniproc ] && [ -n "$rule_group" ] && [ -n "$rule_mode" ] &&
		[ "$(stat -c '%U:%G %a' /dev/miniproc)" = "root:$rule_group $rule_mode" ]
}
check "udev: /dev/miniproc is root:${rule_group:-?}, mode ${rule_mode:-?}, as the rule says" \
	device_ok

check "useradd: $member in the miniproc group, $outsider outside it" \
	sh -c "useradd -m -G miniproc $member && useradd -m $outsider &&
		id $member && id $outsider && id -nG $member | grep -qw miniproc &&
		! id -nG $outsider | grep -qw miniproc"

runs() {
	rc=0
	runuser -u "$1" -- miniproc run 'cpu:10ms exit:3' || rc=$?
	echo "exit status $rc"
	[ "$rc" = 3 ]
}
check "$member: miniproc run 'cpu:10ms exit:3' exits with status 3" runs "$member"

man_ok() {
	page=$(runuser -u "$member" -- man -w miniproc) || return 1
	echo "man -w miniproc: $page"
	[ "$page" = /usr/share/man/man1/miniproc.1.gz ] || return 1
	runuser -u "$member" -- env MANPAGER=cat MANWIDTH=80 man miniproc >"$out/man1.txt" || return 1
	head -n 5 "$out/man1.txt"
	grep -q '^NAME' "$out/man1.txt" && grep -q 'miniproc' "$out/man1.txt"
}
check "$member: man miniproc renders the installed page" man_ok

refused() {
	rc=0
	runuser -u "$outsider" -- miniproc run 'cpu:10ms exit:3' >"$out/refused.txt" 2>&1 || rc=$?
	cat "$out/refused.txt"
	echo "exit status $rc"
	[ "$rc" != 0 ] && [ "$rc" != 3 ] && [ -s "$out/refused.txt" ]
}
check "$outsider: miniproc run is refused, with a message" refused
sed 's/^/#   '"$outsider"': /' "$out/refused.txt"

cp /var/lib/dkms/miniproc/"$version"/build/make.log "$out/dkms-make.log" 2>/dev/null || :
journalctl -b --no-pager >"$out/journal.txt" 2>&1 || :
sync
echo "# in the guest: $(($(now) - t0)) s"
echo "# MINIPROC-VM-END"
[ "$failed" -eq 0 ]
