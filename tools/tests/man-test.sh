#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# man-test.sh [MINIPROC]: the manuals and the bash completion, kept in step
# with the code. Lint: both pages are clean for `mandoc -Tlint` and `man
# --warnings`. miniproc(1) names every command of cli/main.c's table, in the
# SYNOPSIS and as an item of COMMANDS, and in that item every option the
# command's --help lists (homework's simulators too). miniproc(4) names
# every MINIPROC_IOC_* of the uapi header, each ioctl in a subsection of its
# own with its struct, every module parameter and every tracepoint; its
# example compiles. The completion offers the same commands and, for each,
# the options its --help lists, and the right pids from a table (through
# `miniproc ps --noheadings` where that exists, else /proc/miniproc).
# `make install-doc` installs the pages and the completion under DESTDIR.
# Every check is also run once on a copy with a mistake put in, which it
# must catch. Nothing is hard-coded: the names come from the sources and
# from MINIPROC (default cli/miniproc, built) --help. TAP on stdout, then
# "# N passed, N failed"; exits 1 if any failed.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
MP=${1:-$top/cli/miniproc}
case $MP in /*) ;; *) MP=$(pwd)/$MP ;; esac
PAGE1=$top/man/miniproc.1
PAGE4=$top/man/miniproc.4
COMP=$top/completion/miniproc
HDR=$top/uapi/linux/miniproc.h
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
why=$tmp/why

. "$(dirname "$0")/tap.sh"
# result STATUS DESCRIPTION: one TAP line; on failure, $why follows.
result() {
	tap_result "$1" "$2" "$why"
}
# run DESCRIPTION CHECK ARGS...: CHECK must pass.
run() {
	desc=$1
	shift
	: >"$why"
	"$@" >>"$why" 2>&1
	rc=$?
	result $rc "$desc"
	[ "$rc" != 0 ] || sed -n 's/^note: /#   note: /p' "$why"
}
# catches DESCRIPTION CHECK ARGS...: CHECK, on a copy with a mistake, must fail.
catches() {
	desc=$1
	shift
	: >"$why"
	if "$@" >"$tmp/caught" 2>&1; then
		echo "the check passed a copy with a mistake in it" >"$why"
		result 1 "$desc"
	else
		result 0 "$desc"
		grep -v '^note: ' "$tmp/caught" | sed -n '1s/^/#   caught: /p'
	fi
}

# --- what the sources say -------------------------------------------------

# The commands of cli/main.c's dispatch table, in its order.
commands() {
	sed -n '/cli_cmds\[\] = {/,/^};/s/^[[:space:]]*{ "\([^"]*\)", cmd_.*/\1/p' \
		"$top/cli/main.c"
}

# homework's simulators, as cmd_homework.c dispatches them on argv[1]
# (the one that is not an option).
simulators() {
	sed -n 's/.*strcmp(argv\[1\], "\([^"-][^"]*\)").*/\1/p' "$top/cli/cmd_homework.c"
}

# help_opts MINIPROC ARGS...: the options MINIPROC ARGS --help lists in its
# "Options" blocks, one a line: "-n, --name NAME  name it" gives -n, --name.
help_opts() {
	h=$1
	shift
	"$h" "$@" --help 2>/dev/null | awk '
	/^Options/ { o = 1; next }
	o && /^$/ { o = 0; next }
	o && /^ +-/ {
		sub(/^ +/, "")
		line = $0
		i = index(line, "  ")
		if (i)
			line = substr(line, 1, i - 1)
		k = split(line, part, ", ")
		for (j = 1; j <= k; j++) {
			w = part[j]
			sub(/[ =\[].*/, "", w)
			if (w ~ /^-/)
				print w
		}
	}'
}

# ioctls NAME...: the MINIPROC_IOC_* macros of the uapi header.
ioctls() {
	sed -n 's/^#define[[:space:]]\{1,\}\(MINIPROC_IOC_[A-Z0-9_]*\).*/\1/p' "$1"
}

# ioctl_struct NAME: the struct MINIPROC_IOC_NAME takes.
ioctl_struct() {
	sed -n "s/^#define[[:space:]]\{1,\}$1[[:space:]].*struct \([a-z_]*\)).*/\1/p" "$HDR"
}

module_params() {
	sed -n 's/^module_param\(_named\|_cb\)\{0,1\}(\([a-z_0-9]*\),.*/\2/p' "$top"/module/*.c
}

tracepoints() {
	sed -n 's/^TRACE_EVENT(\([a-z_0-9]*\),.*/\1/p' "$top/module/trace.h"
}

# The errnos a caller of the device can meet: those the uapi header names
# and those the module's ioctl, read and poll paths return (sched.c's are
# of module load alone). -ERESTARTSYS reaches the caller as EINTR.
errnos() {
	cd "$top/module" &&
		cat ../uapi/linux/miniproc.h dev.c events.c info.c proc.c program.c reap.c table.c |
		grep -oE -- '-E[A-Z0-9]+' | sed 's/^-//; s/^ERESTARTSYS$/EINTR/' | sort -u
}

# render PAGE: the page as plain text.
render() {
	mandoc -Tascii "$1" | col -bx
}

# item RENDERED NAME: the text of command NAME's item in COMMANDS.
item() {
	awk -v name="$2" '
	/^COMMANDS/ { c = 1; next }
	/^[A-Z]/ { c = 0 }
	!c { next }
	in_item && /^     [a-z]/ { exit }
	$0 ~ "^     " name "( |$)" { in_item = 1 }
	in_item' "$1"
}

# has TEXTFILE OPTION: OPTION appears in TEXTFILE as a word of its own.
has() {
	grep -Eq -- "(^|[^A-Za-z0-9-])$2([^A-Za-z0-9-]|$)" "$1"
}

# --- the checks -----------------------------------------------------------

have_tools() {
	ok=0
	for t in mandoc makewhatis man manpath col gcc bash; do
		command -v "$t" >/dev/null || { echo "$t is not installed (make deps)"; ok=1; }
	done
	[ -x "$MP" ] || { echo "$MP: not built (make cli)"; ok=1; }
	return $ok
}

# lint PAGE: no mandoc finding of level style or above. Cross references
# are looked up with our own two pages in a manual tree of their own, so
# that each must find the other; a reference to another program's manual
# the host lacks (trace-cmd(1) without trace-cmd) is about the host, not
# the page: said, not counted.
lint() {
	if [ ! -f "$tmp/mantree/mandoc.db" ]; then
		mkdir -p "$tmp/mantree/man1" "$tmp/mantree/man4"
		cp "$PAGE1" "$tmp/mantree/man1/"
		cp "$PAGE4" "$tmp/mantree/man4/"
		makewhatis "$tmp/mantree" || return 1
	fi
	MANPATH="$tmp/mantree:$(manpath 2>/dev/null)" mandoc -Tlint -W style "$1" \
		2>/dev/null >"$tmp/lint"
	awk '/referenced manual not found: Xr / && !/Xr miniproc / {
			print "note: " $0; next
		}
		{ print; bad = 1 }
		END { exit bad }' "$tmp/lint"
}

# man_warnings PAGE: groff, through man, warns of nothing.
man_warnings() {
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$1" >/dev/null 2>"$tmp/warn"
	rc=$?
	cat "$tmp/warn"
	[ "$rc" = 0 ] && [ ! -s "$tmp/warn" ]
}

# page1_commands PAGE: every command in the SYNOPSIS and in COMMANDS.
page1_commands() {
	render "$1" >"$tmp/p1"
	ok=0
	for c in $(commands); do
		sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' "$tmp/p1" |
			grep -Eq "^     miniproc $c( |$)" ||
			{ echo "$c: not in the SYNOPSIS"; ok=1; }
		[ -n "$(item "$tmp/p1" "$c")" ] ||
			{ echo "$c: no item of its own in COMMANDS"; ok=1; }
	done
	[ -n "$(commands)" ] || { echo "no commands found in cli/main.c"; ok=1; }
	return $ok
}

# page1_options PAGE MINIPROC: every option of every --help, in its item.
page1_options() {
	render "$1" >"$tmp/p1"
	ok=0
	for o in $(help_opts "$2"); do
		has "$tmp/p1" "$o" || { echo "miniproc $o: not in the page"; ok=1; }
	done
	for c in $(commands); do
		item "$tmp/p1" "$c" >"$tmp/item"
		opts=$(help_opts "$2" "$c")
		[ -n "$opts" ] || { echo "$c --help lists no options"; ok=1; }
		# -h and --help: the page says once that every command takes
		# them (and they are miniproc's own, checked above).
		for o in $(echo "$opts" | grep -vx -e -h -e --help); do
			has "$tmp/item" "$o" || { echo "$c $o: not in the item of $c"; ok=1; }
		done
	done
	# homework's simulators: their own options in the "Options of
	# SIMULATOR:" part, those of both (homework --help's) in the item.
	item "$tmp/p1" homework >"$tmp/hw"
	both=" $(help_opts "$2" homework | tr '\n' ' ') "
	for s in $(simulators); do
		awk -v s="$s" '$0 ~ "Options of " s ":" { p = 1; next }
			/Options of / { p = 0 } p' "$tmp/hw" >"$tmp/sim"
		for o in $(help_opts "$2" homework "$s"); do
			case $both in
			*" $o "*) has "$tmp/hw" "$o" ||
				{ echo "homework $o: not in the item of homework"; ok=1; } ;;
			*) has "$tmp/sim" "$o" ||
				{ echo "homework $s $o: not under 'Options of $s'"; ok=1; } ;;
			esac
		done
	done
	return $ok
}

# page4_ioctls PAGE HEADER: every MINIPROC_IOC_* named; each ioctl in a
# subsection of its own, which shows its struct.
page4_ioctls() {
	ok=0
	render "$1" >"$tmp/p4"
	for i in $(ioctls "$2"); do
		grep -q "$i" "$tmp/p4" || { echo "$i: not in the page"; ok=1; }
		s=$(ioctl_struct "$i")
		[ -n "$s" ] || continue
		awk -v i="$i" '/^\.Ss / { p = index($0, i) > 0; next } /^\.S[hs] / { p = 0 } p' \
			"$1" >"$tmp/ss"
		[ -s "$tmp/ss" ] || { echo "$i: no subsection (.Ss) of its own"; ok=1; continue; }
		grep -q "struct $s {" "$1" || { echo "$i: struct $s is not shown"; ok=1; }
	done
	[ -n "$(ioctls "$2")" ] || { echo "no MINIPROC_IOC_* found in $2"; ok=1; }
	return $ok
}

# page4_items PAGE SECTION NAMES...: each NAME an item (.It Cm NAME) of SECTION.
page4_items() {
	page=$1
	sec=$2
	shift 2
	ok=0
	[ $# -gt 0 ] || { echo "nothing found to look for in $sec"; return 1; }
	awk -v s="$sec" '/^\.Sh / { p = ($0 == ".Sh " s); next } p' "$page" >"$tmp/sec"
	for x in "$@"; do
		grep -qx "\.It Cm $x" "$tmp/sec" || { echo "$x: not an item of $sec"; ok=1; }
	done
	return $ok
}

# page4_errnos PAGE: every errno of errnos() is explained (.Er) somewhere.
page4_errnos() {
	ok=0
	for e in $(errnos); do
		grep -q "Er $e\( \|$\)" "$1" || { echo "$e: not explained (.Er $e)"; ok=1; }
	done
	[ -n "$(errnos)" ] || { echo "no errno found in the module"; ok=1; }
	return $ok
}

# page4_example PAGE: the program in EXAMPLES compiles against the header.
page4_example() {
	awk '/^\.Sh EXAMPLES/ { e = 1 } e && /^\.Bd -literal/ { b = 1; next }
		b && /^\.Ed/ { exit } b' "$1" | sed 's/\\e/\\/g' >"$tmp/example.c"
	[ -s "$tmp/example.c" ] || { echo "no example program"; return 1; }
	gcc -std=gnu11 -Wall -Wextra -Werror -I"$top/uapi" -o "$tmp/example" "$tmp/example.c"
}

# --- the completion -------------------------------------------------------

# complete COMPLETION WORDS...: what the completion offers for the command
# line WORDS (the last being the word under the cursor), one a line.
# MINIPROC_PROC_FILE and PATH are passed on.
complete_words() {
	f=$1
	shift
	bash -c '
		. "$1"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_miniproc
		printf "%s\n" "${COMPREPLY[@]}"
	' complete-test "$f" "$@" 2>&1
}

# comp_opts COMPLETION CMD: the options the completion knows for CMD.
comp_opts() {
	bash -c '. "$1"; _miniproc_opts "$2"' comp-opts "$1" "$2" | tr ' ' '\n' |
		sed -n 's/=$//; /^-/p' | sort -u
}

# comp_commands COMPLETION MINIPROC: the commands, and each command's (and
# simulator's) options, are those of cli/main.c and of --help.
comp_in_step() {
	ok=0
	want=$(commands | sort | tr '\n' ' ')
	got=$(bash -c '. "$1"; echo $_miniproc_cmds' c "$1" | tr ' ' '\n' | sort | tr '\n' ' ')
	[ "$want" = "$got" ] || { echo "commands: completion has '$got', cli/main.c '$want'"; ok=1; }
	for c in $(commands) $(simulators); do
		case " $(simulators | tr '\n' ' ') " in
		*" $c "*) h=$(help_opts "$2" homework "$c" | sort -u) ;;
		*) h=$(help_opts "$2" "$c" | sort -u) ;;
		esac
		[ "$c" = homework ] && h=$(printf '%s\n' -h --help | sort -u)
		g=$(comp_opts "$1" "$c")
		[ "$h" = "$g" ] || {
			echo "$c: completion offers '$(echo "$g" | tr '\n' ' ')'," \
				"--help lists '$(echo "$h" | tr '\n' ' ')'"
			ok=1
		}
	done
	want=$(simulators | sort | tr '\n' ' ')
	got=$(bash -c '. "$1"; _miniproc_opts homework' c "$1" | tr ' ' '\n' | grep -v '^-' | sort | tr '\n' ' ')
	[ "$want" = "$got" ] || { echo "homework: completion has '$got', cmd_homework.c '$want'"; ok=1; }
	return $ok
}

# expect WANT COMPLETION WORDS...: the completion offers exactly WANT
# (space-separated, in any order).
expect() {
	# shellcheck disable=SC2086 # a list, one word each
	want=$(printf '%s\n' $1 | sed '/^$/d' | sort | tr '\n' ' ')
	f=$2
	shift 2
	got=$(complete_words "$f" "$@" | sed '/^$/d' | sort | tr '\n' ' ')
	[ "$want" = "$got" ] && return 0
	echo "'$*': offered '$got', wanted '$want'"
	return 1
}

# A table as /proc/miniproc shows it: init, one running, one suspended, a
# zombie.
cat >"$tmp/procdump" <<'EOF'
PID     PPID    UID    STATE     CHAN       CPU  RUNTIME_NS     NAME
1       0       0      SLEEPING  wait       0    0              init
5       0       1000   RUNNING   -          1    120000         spin
6       0       1000   SLEEPING  suspended  0    100            stopped
7       0       1000   ZOMBIE    -          0    100            done
EOF

# A miniproc whose ps has --noheadings: the table above, its own way, with
# other pids so that the test can tell which source was read.
mkdir -p "$tmp/fakebin"
cat >"$tmp/fakebin/miniproc" <<'EOF'
#!/bin/sh
[ "$*" = "ps --noheadings -o pid,state,chan" ] || exit 2
printf '%s\n' '  1 SLEEPING wait' ' 15 RUNNING  -' ' 16 SLEEPING suspended' ' 17 ZOMBIE   -'
EOF
chmod +x "$tmp/fakebin/miniproc"
mkdir -p "$tmp/realbin"
ln -s "$MP" "$tmp/realbin/miniproc"

comp_cases() {
	f=$1
	ok=0
	cmds=$(commands | tr '\n' ' ')
	expect "$cmds help" "$f" miniproc "" || ok=1
	expect "-h --help -V --version" "$f" miniproc - || ok=1
	for c in $(commands); do
		[ "$c" = homework ] && continue
		expect "$(comp_opts "$f" "$c" | grep -- '^--' | tr '\n' ' ')" "$f" miniproc "$c" -- || ok=1
	done
	expect "$(simulators | tr '\n' ' ') -h --help" "$f" miniproc homework "" || ok=1
	expect "$cmds" "$f" miniproc help "" || ok=1
	return $ok
}

# comp_pids COMPLETION: which pids go where, from /proc/miniproc (today's
# CLI has no ps --noheadings) and from ps --noheadings (a CLI that has it).
comp_pids() {
	f=$1
	ok=0
	export MINIPROC_PROC_FILE="$tmp/procdump"
	PATH="$tmp/realbin:$PATH"
	export PATH
	expect "5 6" "$f" miniproc kill "" || ok=1
	expect "5 6" "$f" miniproc suspend "" || ok=1
	expect "6" "$f" miniproc resume "" || ok=1
	expect "5 6 7" "$f" miniproc wait "" || ok=1
	expect "1 5 6 7" "$f" miniproc status "" || ok=1
	expect "5 6" "$f" miniproc kill --wait "" || ok=1
	expect "" "$f" miniproc wait --timeout "" || ok=1
	expect "5 6 7" "$f" miniproc wait --timeout = 2s "" || ok=1
	expect "" "$f" miniproc wait -t 2s 5 "" || ok=1
	expect "" "$f" miniproc status 5 "" || ok=1
	expect "5 6" "$f" miniproc kill 5 "" || ok=1
	PATH="$tmp/fakebin:${PATH#"$tmp/realbin:"}"
	expect "15 16" "$f" miniproc kill "" || ok=1
	expect "16" "$f" miniproc resume "" || ok=1
	expect "1 15 16 17" "$f" miniproc trace "" || ok=1
	PATH=${PATH#"$tmp/fakebin:"}
	unset MINIPROC_PROC_FILE
	return $ok
}

comp_values() {
	f=$1
	ok=0
	expect "SJF FIFO RR" "$f" miniproc homework scheduler -p "" || ok=1
	expect "SJF FIFO RR" "$f" miniproc homework scheduler --policy = "" || ok=1
	expect "SWITCH_ON_IO SWITCH_ON_END" "$f" miniproc homework process-run -S "" || ok=1
	expect "--seed=" "$f" miniproc homework process-run --se || ok=1
	expect "$(seq 0 $(($(getconf _NPROCESSORS_ONLN) - 1)) | tr '\n' ' ')" \
		"$f" miniproc create --cpu "" || ok=1
	return $ok
}

install_doc() {
	d=$tmp/dest
	make -s --no-print-directory -C "$top" install-doc DESTDIR="$d" PREFIX=/usr >"$tmp/inst" 2>&1 ||
		{ cat "$tmp/inst"; return 1; }
	ok=0
	for f in /usr/share/man/man1/miniproc.1 /usr/share/man/man4/miniproc.4 \
		/usr/share/bash-completion/completions/miniproc; do
		[ -f "$d$f" ] || { echo "$f: not installed under DESTDIR"; ok=1; }
	done
	cmp -s "$d/usr/share/man/man1/miniproc.1" "$PAGE1" || { echo "man1 differs"; ok=1; }
	return $ok
}

# --- the run --------------------------------------------------------------

run "the tools are there: mandoc, man, gcc, bash, a built $MP" have_tools
run "miniproc(1): mandoc -Tlint clean" lint "$PAGE1"
run "miniproc(4): mandoc -Tlint clean" lint "$PAGE4"
run "miniproc(1): man --warnings clean" man_warnings "$PAGE1"
run "miniproc(4): man --warnings clean" man_warnings "$PAGE4"
run "miniproc(1): every command of cli/main.c, in SYNOPSIS and COMMANDS" page1_commands "$PAGE1"
run "miniproc(1): every option of every --help, in its command's item" page1_options "$PAGE1" "$MP"
run "miniproc(4): every MINIPROC_IOC_*, each ioctl with a subsection and its struct" \
	page4_ioctls "$PAGE4" "$HDR"
# shellcheck disable=SC2046 # one name a word
run "miniproc(4): every module parameter under MODULE PARAMETERS" \
	page4_items "$PAGE4" "MODULE PARAMETERS" $(module_params)
# shellcheck disable=SC2046
run "miniproc(4): every tracepoint under TRACEPOINTS" \
	page4_items "$PAGE4" TRACEPOINTS $(tracepoints)
run "miniproc(4): every errno the header and the ioctl paths return is explained" \
	page4_errnos "$PAGE4"
run "miniproc(4): the example program compiles against the uapi header" page4_example "$PAGE4"
run "completion: commands and options are cli/main.c's and --help's" comp_in_step "$COMP" "$MP"
run "completion: commands, options, simulators complete" comp_cases "$COMP"
run "completion: pids where a pid goes (/proc/miniproc, ps --noheadings)" comp_pids "$COMP"
run "completion: option values (policies, switch, --seed=, CPUs)" comp_values "$COMP"
run "make install-doc installs both pages and the completion under DESTDIR" install_doc

# Each check catches the mistake it is there for.
sed 's/suspend/suspnd/g' "$PAGE1" >"$tmp/no-suspend.1"
catches "catches: a command missing from miniproc(1)" page1_commands "$tmp/no-suspend.1"
sed 's/dry\\-run/dry\\-rn/g' "$PAGE1" >"$tmp/no-dry-run.1"
catches "catches: an option missing from its command's item" page1_options "$tmp/no-dry-run.1" "$MP"
cat >"$tmp/fakebin/help" <<'EOF'
#!/bin/sh
printf 'Usage: miniproc\n\nOptions:\n  -h, --help   show this help\n  --frob       frob\n\n'
EOF
chmod +x "$tmp/fakebin/help"
catches "catches: an option a --help gained and the page lacks" page1_options "$PAGE1" "$tmp/fakebin/help"
sed 's/MINIPROC_IOC_LIST/MINIPROC_IOC_LST/g' "$PAGE4" >"$tmp/no-list.4"
catches "catches: an ioctl missing from miniproc(4)" page4_ioctls "$tmp/no-list.4" "$HDR"
sed '/^struct miniproc_list {/s/list/lst/' "$PAGE4" >"$tmp/no-struct.4"
catches "catches: an ioctl whose struct is not shown" page4_ioctls "$tmp/no-struct.4" "$HDR"
sed 's/^\.Er EMLINK$/EMLINK/' "$PAGE4" >"$tmp/no-emlink.4"
catches "catches: an errno the module returns and the page does not explain" \
	page4_errnos "$tmp/no-emlink.4"
sed 's/restrict_create/restrict/g' "$PAGE4" >"$tmp/no-param.4"
# shellcheck disable=SC2046
catches "catches: a module parameter missing" \
	page4_items "$tmp/no-param.4" "MODULE PARAMETERS" $(module_params)
{ cat "$PAGE1"; printf '.Bl -tag -width Ds\n.It Fl x\nnever closed\n'; } >"$tmp/unclosed.1"
catches "catches: a page mandoc finds fault with" lint "$tmp/unclosed.1"
sed 's/^\.Xr miniproc 4$/.Xr miniproc 5/' "$PAGE1" >"$tmp/xr.1"
catches "catches: a cross reference to a page of ours that does not exist" lint "$tmp/xr.1"
{ cat "$PAGE1"; printf '.Sh BUGS\n.Xyz an unknown macro\n'; } >"$tmp/unknown.1"
catches "catches: a page groff warns of" man_warnings "$tmp/unknown.1"
sed 's/ --dry-run / /' "$COMP" >"$tmp/no-dry-run.comp"
catches "catches: an option the completion lacks" comp_in_step "$tmp/no-dry-run.comp" "$MP"
# shellcheck disable=SC2016 # the completion's own text
sed 's/\$state != ZOMBIE/1/' "$COMP" >"$tmp/zombies.comp"
catches "catches: a completion offering zombies to kill" comp_pids "$tmp/zombies.comp"

sed 's/w\.exit\.exit_status/w.exit.status/' "$PAGE4" >"$tmp/bad-example.4"
catches "catches: an example program that does not compile" page4_example "$tmp/bad-example.4"
sed "/^_miniproc_cmds=/s/ trace / /" "$COMP" >"$tmp/no-trace.comp"
catches "catches: a command the completion does not offer" comp_cases "$tmp/no-trace.comp"
sed "s/'SJF FIFO RR'/'SJF FIFO'/" "$COMP" >"$tmp/no-rr.comp"
catches "catches: a policy the completion does not offer" comp_values "$tmp/no-rr.comp"

tap_plan
tap_done
