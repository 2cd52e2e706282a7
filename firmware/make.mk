# Firmware core: native builds (unit tests, shared library for Python, board simulator).
# Cross-compilation and benchmarks live further down (firmware-check, firmware-bench, fuzz).

CORE_DIR := firmware/core
CORE_SRCS := $(wildcard $(CORE_DIR)/src/*.c)
CORE_HDRS := $(wildcard $(CORE_DIR)/include/*.h)
CORE_CFLAGS := -std=c99 -Wall -Wextra -Werror -pedantic -I$(CORE_DIR)/include
SAN_FLAGS := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
TEST_DIR := firmware/test
VECTORS := $(TEST_DIR)/vectors
SIM := $(BUILD)/sim/scamguard-sim
CORE_SO := $(BUILD)/lib/libsgcore.so
C_TESTS := $(patsubst $(TEST_DIR)/test_%.c,$(BUILD)/test/test_%,$(wildcard $(TEST_DIR)/test_*.c))

.PHONY: sim core-so
sim: $(SIM) $(CORE_SO)
core-so: $(CORE_SO)

$(SIM): $(CORE_SRCS) $(CORE_HDRS) $(wildcard firmware/platform/posix/*.c firmware/platform/posix/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -DSG_ENABLE_INJECT -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600 -O2 -Ifirmware/platform/posix \
	  $(CORE_SRCS) $(wildcard firmware/platform/posix/*.c) -lm -o $@

# The same C files, loaded from Python through ctypes (DSP parity, see ARCHITECTURE.md).
$(CORE_SO): $(CORE_SRCS) $(CORE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) -O2 -fPIC -shared $(CORE_SRCS) -lm -o $@

# Unit tests: each firmware/test/test_X.c is one binary, built with ASan + UBSan.
$(BUILD)/test/test_%: $(TEST_DIR)/test_%.c $(TEST_DIR)/sg_test.c $(CORE_SRCS) $(CORE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CORE_CFLAGS) $(SAN_FLAGS) -I$(TEST_DIR) $< $(TEST_DIR)/sg_test.c $(CORE_SRCS) -lm -o $@

test-c:: $(C_TESTS)
	@set -e; for t in $(C_TESTS); do $$t $(VECTORS); done
