#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# devnode.sh [NAME]: give /dev/NAME (default miniproc) the group and mode
# that its udev rule names, as udev does on an installed system, where the
# module creates the node root's alone (0600) and udev/60-miniproc.rules
# gives it to the miniproc group, 0660.
#
# The test VM has no udev, and nothing would run it there: Debian's kernels
# have no CONFIG_UEVENT_HELPER, and the debug kernels (tinyconfig) no
# netlink for a uevent listener either. So whatever loads the module in the
# VM runs this right after the load, before anyone else may open the node:
# init, run-tests.sh, vm-bench.sh, and the tests that reload the module
# (selftests/miniproc_util.h's mp_load_module() runs $MINIPROC_SETTLE,
# which init sets to this script). devtmpfs has made the node by the time
# insmod returns, so there is nothing to wait for.
#
# The rule is read from the image's copy of udev/60-miniproc.rules
# ($MINIPROC_RULES): the lines whose KERNEL== is NAME, their GROUP= and
# MODE=. Exits 1 if there is no such rule, or the node is missing or
# cannot be changed.
set -eu

name=${1:-miniproc}
rules=${MINIPROC_RULES:-/etc/udev/rules.d/60-miniproc.rules}
node=/dev/$name
group='' mode=''

# Shell built-ins only: this runs after every load, 100 times in a row
# in lifecycle_test, under emulation.
while IFS= read -r line; do
	case $line in
	'#'*) continue ;;
	*"KERNEL==\"$name\""*) ;;
	*) continue ;;
	esac
	case $line in
	*'GROUP="'*)
		group=${line#*GROUP=\"}
		group=${group%%\"*}
		;;
	esac
	case $line in
	*'MODE="'*)
		mode=${line#*MODE=\"}
		mode=${mode%%\"*}
		;;
	esac
done <"$rules"

if [ -z "$group" ] && [ -z "$mode" ]; then
	echo "devnode.sh: $rules has no rule for KERNEL==\"$name\"" >&2
	exit 1
fi
if [ ! -c "$node" ]; then
	echo "devnode.sh: $node is not there: is the module loaded?" >&2
	exit 1
fi
if [ -n "$group" ]; then
	chgrp "$group" "$node"
fi
if [ -n "$mode" ]; then
	chmod "$mode" "$node"
fi
