# SPDX-License-Identifier: GPL-2.0
#
# Read after a selftests Makefile (make -f Makefile -f ksft-list.mk
# ksft-list): prints the test programs it declares, one per line, in the
# order the kselftest runner runs them, as paths relative to the install
# directory. lib.mk may have prefixed them with $(OUTPUT)/, hence the
# basename. A Makefile that lists subdirectories in TARGETS, as the
# kernel's top-level selftests Makefile does, has each of them asked too.
KSFT_LIST_MK := $(abspath $(lastword $(MAKEFILE_LIST)))

ksft-list:
	@for t in $(TEST_GEN_PROGS) $(TEST_CUSTOM_PROGS) $(TEST_PROGS); do \
		echo "$${t##*/}"; \
	done
	@for d in $(TARGETS); do \
		$(MAKE) -s --no-print-directory -C $$d -f Makefile \
			-f $(KSFT_LIST_MK) ksft-list | sed "s|^|$$d/|"; \
	done

.PHONY: ksft-list
