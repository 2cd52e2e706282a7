# Host-side checks of the ESP-IDF platform layer (no ESP-IDF toolchain needed).
# Include from the top-level Makefile:   include firmware/platform/esp32/check/esp32_syntax.mk
#
#   make esp32-syntax
#     1. compiles every firmware/platform/esp32/*.c with the host C compiler (-c -o /dev/null:
#        a full compile without linking, which also runs the warnings -fsyntax-only skips),
#        -Wall -Wextra -Werror, against hand-written declaration-only shims of the ESP-IDF
#        and NimBLE headers (check/shim, NOT the real headers), once per target (ESP32,
#        ESP32-S3, ESP32-C3) with that target's Kconfig defaults and once with the test
#        build's -DSG_ENABLE_INJECT;
#     2. checks that platformio.ini's pin flags equal Kconfig.projbuild's per-target defaults;
#     3. checks that ble_uuids.h's string and byte forms of each UUID agree;
#     4. builds and runs unit tests of the LED patterns and speaker cues (patterns.c) and of
#        the settings persistence (settings_nvs.c, against the shims and an in-memory NVS).
# A real `pio run` on a maker's machine remains the only complete check.

ESP32_DIR := firmware/platform/esp32
ESP32_CHECK := $(ESP32_DIR)/check
ESP32_SRCS := $(wildcard $(ESP32_DIR)/*.c)
ESP32_SYNTAX_CC ?= $(CC)
ESP32_SYNTAX_FLAGS := -std=gnu17 -c -o /dev/null -Wall -Wextra -Werror -Wno-unused-parameter \
	-I$(ESP32_CHECK)/shim -I$(ESP32_DIR) -Ifirmware/core/include
ESP32_BUILD := $(or $(BUILD),build)/esp32-check

.PHONY: esp32-syntax
esp32-syntax:
	@set -e; for target in ESP32 ESP32S3 ESP32C3; do \
	  for src in $(ESP32_SRCS); do \
	    $(ESP32_SYNTAX_CC) $(ESP32_SYNTAX_FLAGS) -DSHIM_TARGET_$$target $$src; \
	  done; \
	  echo "esp32-syntax: $$target: $(words $(ESP32_SRCS)) files OK"; \
	done
	@set -e; for src in $(ESP32_SRCS); do \
	  $(ESP32_SYNTAX_CC) $(ESP32_SYNTAX_FLAGS) -DSHIM_TARGET_ESP32 -DSG_ENABLE_INJECT $$src; \
	done; echo "esp32-syntax: ESP32 + SG_ENABLE_INJECT: OK"
	@python3 $(ESP32_CHECK)/check_pins.py platformio.ini $(ESP32_DIR)/Kconfig.projbuild
	@python3 $(ESP32_CHECK)/check_uuids.py $(ESP32_DIR)/ble_uuids.h
	@mkdir -p $(ESP32_BUILD)
	$(ESP32_SYNTAX_CC) -std=c99 -Wall -Wextra -Werror -I$(ESP32_DIR) -Ifirmware/core/include \
	  $(ESP32_CHECK)/test_patterns.c $(ESP32_DIR)/patterns.c -o $(ESP32_BUILD)/test_patterns
	$(ESP32_BUILD)/test_patterns
	$(ESP32_SYNTAX_CC) -std=gnu17 -Wall -Wextra -Werror -Wno-unused-parameter -DSHIM_TARGET_ESP32 \
	  -I$(ESP32_CHECK)/shim -I$(ESP32_DIR) -Ifirmware/core/include \
	  $(ESP32_CHECK)/test_settings.c $(ESP32_DIR)/settings_nvs.c -o $(ESP32_BUILD)/test_settings
	$(ESP32_BUILD)/test_settings
