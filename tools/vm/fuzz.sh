#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fuzz.sh [OPTION]...: run the ioctl fuzzer in the VM, alone. `make soak`
# hands it to tools/vm/capture.sh; the options are fuzz_test's (--seed,
# --ops, --seconds, --threads, --procs). The VM's kernel log comes back in
# console.log, where the host looks for splats.
exec /usr/lib/miniproc-vm/selftests/fuzz/fuzz_test "$@"
