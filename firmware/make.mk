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

# Unit tests: each firmware/test/test_X.c is one binary, built with ASan + UBSan and with the
# audio-injection source compiled in, against the core compiled once into a static library.
TEST_CFLAGS := $(CORE_CFLAGS) $(SAN_FLAGS) -DSG_ENABLE_INJECT
SAN_OBJS := $(patsubst $(CORE_DIR)/src/%.c,$(BUILD)/test/obj/%.o,$(CORE_SRCS))
SAN_LIB := $(BUILD)/test/libsgcore_san.a

$(BUILD)/test/obj/%.o: $(CORE_DIR)/src/%.c $(CORE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -c $< -o $@

$(SAN_LIB): $(SAN_OBJS)
	rm -f $@ && ar rcs $@ $^

# test_wav.c includes the simulator's WAV reader, hence the posix dependency.
$(BUILD)/test/test_%: $(TEST_DIR)/test_%.c $(TEST_DIR)/sg_test.c $(TEST_DIR)/sg_test.h $(SAN_LIB) \
    $(wildcard firmware/platform/posix/sim_wav.[ch])
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -I$(TEST_DIR) $< $(TEST_DIR)/sg_test.c $(SAN_LIB) -lm -o $@

test-c:: $(C_TESTS)
	@set -e; for t in $(C_TESTS); do $$t $(VECTORS); done

# ---------------------------------------------------------------- DSP tables, cross builds, bench, fuzz
# The log-mel tables are generated from params.toml like sg_params.h; stale tables fail the tests.
test-c::
	$(PY_SYS) firmware/tools/gen_logmel_tables.py --check

.PHONY: firmware-check firmware-bench fuzz fuzz-smoke bench-vad
# Cross-compiles every core source (not platform/) for RV32IMC and Xtensa LX106, prints sizes
# per module, fails over 64 KB flash / 48 KB static RAM.
firmware-check: apt
	$(PY_SYS) firmware/tools/firmware_size.py --out $(BUILD)/firmware-check

RV_CC := riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32 -misa-spec=2.2 --specs=picolibc.specs \
  --oslib=semihost --crt0=semihost -Wl,--defsym=__flash=0x80000000 -Wl,--defsym=__flash_size=0x100000 \
  -Wl,--defsym=__ram=0x80100000 -Wl,--defsym=__ram_size=0x100000
BENCH_ELF := $(BUILD)/bench/firmware-bench.elf
# The pipeline stages the bench times; a keyword model joins through sg_bench_kws_model().
BENCH_SRCS := firmware/bench/bench_main.c \
  $(addprefix $(CORE_DIR)/src/,sg_frontend.c sg_vad.c sg_logmel.c sg_logmel_tables.c sg_fixmath.c sg_kws.c \
    sg_adpcm.c sg_msg.c sg_frame.c sg_cobs.c sg_crc16.c) \
  $(wildcard $(CORE_DIR)/src/sg_kws_model*.c $(CORE_DIR)/src/sg_nn*.c firmware/bench/model_*.c)
QEMU_RV32 := qemu-system-riscv32 -machine virt -nographic -bios none \
  -semihosting-config enable=on,target=native -icount shift=0

$(BENCH_ELF): $(BENCH_SRCS) $(CORE_HDRS) firmware/bench/bench_instret.h | apt
	@mkdir -p $(dir $@)
	$(RV_CC) -std=c99 -O2 -Wall -Wextra -Werror -I$(CORE_DIR)/include $(BENCH_SRCS) -o $@

# Instructions per 20 ms frame per stage on RV32IMC (qemu, exact instruction count).
firmware-bench: $(BENCH_ELF)
	timeout 300 $(QEMU_RV32) -kernel $(BENCH_ELF)

FUZZ_BIN := $(BUILD)/fuzz/fuzz_frame
FUZZ_SRCS := firmware/fuzz/fuzz_frame.c $(addprefix $(CORE_DIR)/src/,sg_frame.c sg_msg.c sg_cobs.c sg_crc16.c)
$(FUZZ_BIN): $(FUZZ_SRCS) $(CORE_HDRS)
	@mkdir -p $(dir $@)
	clang -std=c99 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	  -I$(CORE_DIR)/include $(FUZZ_SRCS) -o $@

$(BUILD)/fuzz/seeds/.stamp: firmware/tools/fuzz_seeds.py $(wildcard $(VECTORS)/*.hex)
	$(PY_SYS) firmware/tools/fuzz_seeds.py $(dir $@)
	@touch $@

# Frame decoder + message unpackers under libFuzzer for 60 s (new corpus in build/fuzz/corpus).
fuzz: $(FUZZ_BIN) $(BUILD)/fuzz/seeds/.stamp
	@mkdir -p $(BUILD)/fuzz/corpus
	$(FUZZ_BIN) -max_total_time=60 -print_final_stats=1 $(BUILD)/fuzz/corpus $(BUILD)/fuzz/seeds

fuzz-smoke: $(FUZZ_BIN) $(BUILD)/fuzz/seeds/.stamp
	@mkdir -p $(BUILD)/fuzz/corpus
	set -o pipefail; $(FUZZ_BIN) -max_total_time=10 $(BUILD)/fuzz/corpus $(BUILD)/fuzz/seeds 2>&1 | tail -n 3

test-c:: fuzz-smoke

# VAD recall / FPR against Silero VAD on espeak-ng speech in noise (about 30 s).
bench-vad: venv $(CORE_SO)
	$(PY) firmware/tools/vad_eval.py --lib $(CORE_SO) --markdown $(BUILD)/vad_eval.md
