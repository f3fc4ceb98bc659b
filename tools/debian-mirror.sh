#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# debian-mirror.sh: print the URI of the Debian mirror this machine's apt
# sources already use, from the first enabled entry that carries the
# bookworm suite (deb822 .sources files first, then one-line .list files).
# Prints nothing, and exits 1, if there is none. The project derives every
# other suite it needs (bookworm-backports, the newest kernel's suites)
# from this one, so no host name is ever written into the repository.
set -eu

sources() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
			BEGIN { en = 1 }
			/^[ \t]*$/ { if (uri != "" && bw) { print uri; exit } uri = ""; bw = 0; en = 1; next }
			/^Enabled:[ \t]*no/ { en = 0 }
			/^URIs:/ { if (en) uri = $2 }
			/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") bw = 1 }
			END { if (uri != "" && bw) print uri }
		' "$f" | head -n 1
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" {
			i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
			if ($(i + 1) == "bookworm") { print $i; exit }
		}' "$f"
	done
}

mirror=$(sources | head -n 1)
[ -n "$mirror" ] || exit 1
echo "$mirror"
