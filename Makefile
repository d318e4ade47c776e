# recipebox build. `make` builds ./recipebox (release). `make test` installs
# what is missing, builds an ASan+UBSan copy and runs every suite against it.
# See README.md and docs/operations.md.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
CLANG   ?= clang

PKGS_CFLAGS := $(shell pkg-config --cflags json-c 2>/dev/null) $(shell mariadb_config --cflags 2>/dev/null)
PKGS_LIBS   := -lfcgi -linih -lscrypt $(shell pkg-config --libs json-c 2>/dev/null) \
               $(shell mariadb_config --libs 2>/dev/null) -lcrypto -lm -loath -lqrencode -lpng
WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wconversion -Wno-sign-conversion \
           -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wnull-dereference
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -Iinclude $(PKGS_CFLAGS) $(WARN) -MMD -MP \
               -DRB_SYSCONFDIR='"$(PREFIX)/etc/recipebox"' \
               -DRB_MIGRATIONS_DIR='"$(PREFIX)/share/recipebox/migrations"' \
               -DRB_DATA_DIR='"$(PREFIX)/share/recipebox"'
REL_CFLAGS  := $(BASE_CFLAGS) -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
SAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
SAN_CFLAGS  := $(BASE_CFLAGS) -O1 -g $(SAN_FLAGS)
LDFLAGS_REL := -pie -Wl,-z,relro,-z,now

APP_SRC  := $(sort $(wildcard app/lib/*.c app/base/*.c app/db/*.c app/http/*.c app/api/*.c \
              app/runtime/*.c app/cli/*.c))
MAIN_SRC := app/main.c
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
INT_SRC  := $(sort $(wildcard tests/integration/*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

# files compiled into the binary (the OpenAPI document it serves)
GEN_SRC  := build/gen/openapi_spec.c

REL_OBJ  := $(APP_SRC:%.c=build/rel/%.o) $(GEN_SRC:%.c=build/rel/%.o)
SAN_OBJ  := $(APP_SRC:%.c=build/san/%.o) $(GEN_SRC:%.c=build/san/%.o)
FUZZ_APP_OBJ := $(APP_SRC:%.c=build/fuzz/%.o) $(GEN_SRC:%.c=build/fuzz/%.o)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/bin/%)

# Debian packages the project needs; `make deps` installs the missing ones.
DEB_PKGS := build-essential pkg-config libfcgi-dev libfcgi-bin libmariadb-dev mariadb-server \
            mariadb-client libjson-c-dev libscrypt-dev libinih-dev libssl-dev libgd-dev \
            libcunit1-dev libcurl4-openssl-dev clang libclang-rt-14-dev wrk nginx-light \
            lighttpd apache2 libapache2-mod-fcgid curl procps libexif-dev libunistring-dev \
            chromium liboath-dev libqrencode-dev libpng-dev

.PHONY: all deps run test check unit integration faults fuzz fuzz-smoke bench security install \
        clean san release format

all: recipebox

recipebox: build/rel/recipebox
	cp build/rel/recipebox $@.tmp && mv -f $@.tmp $@

build/rel/recipebox: $(REL_OBJ) build/rel/app/main.o
	$(CC) $(LDFLAGS_REL) -o $@ $^ $(PKGS_LIBS)

build/gen/openapi_spec.c: docs/openapi.json tests/support/embed.sh
	@mkdir -p $(dir $@)
	sh tests/support/embed.sh docs/openapi.json openapi_spec > $@.tmp && mv -f $@.tmp $@

build/rel/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -c -o $@ $<

build/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) -c -o $@ $<

build/san/recipebox: $(SAN_OBJ) build/san/app/main.o
	$(CC) $(SAN_FLAGS) -o $@ $^ $(PKGS_LIBS)

build/san/unit_tests: $(SAN_OBJ) $(UNIT_SRC:%.c=build/san/%.o)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(PKGS_LIBS) -lcunit

build/san/integration_tests: $(INT_SRC:%.c=build/san/%.o)
	$(CC) $(SAN_FLAGS) -o $@ $^ -lcunit -lcurl -lpthread -lgd -loath $(shell pkg-config --libs json-c 2>/dev/null)

build/rel/hello: tests/bench/hello.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -o $@ $< -lfcgi

build/rel/recipe_ref: tests/bench/recipe_ref.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -o $@ $< $(shell pkg-config --cflags --libs libmariadb json-c) -lfcgi

build/rel/login_totp: tests/bench/login_totp.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -o $@ $< -lcurl -loath -lpthread

build/rel/scrypt_raw: tests/bench/scrypt_raw.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -o $@ $< -lscrypt

san: build/san/recipebox build/san/unit_tests build/san/integration_tests
release: recipebox

deps:
	@sh tests/support/deps.sh $(DEB_PKGS)

# The whole stack on http://127.0.0.1:8080 (private MariaDB + pool + lighttpd).
run: deps
	@$(MAKE) --no-print-directory recipebox
	@sh tests/support/run.sh

test: deps
	@$(MAKE) --no-print-directory san recipebox build/rel/hello $(FUZZ_BIN)
	@sh tests/support/test.sh

# Same as test; kept as the name the issue tracker and CI docs use.
check: test

unit: build/san/unit_tests
	./build/san/unit_tests

fuzz: $(FUZZ_BIN)
	@sh tests/support/fuzz.sh long

fuzz-smoke: $(FUZZ_BIN)
	@sh tests/support/fuzz.sh smoke

bench: deps
	@$(MAKE) --no-print-directory recipebox build/rel/hello build/rel/scrypt_raw build/rel/recipe_ref \
	  build/rel/login_totp
	@sh tests/bench/bench.sh

# sqlmap at level 5, risk 3 against a private stack (long; not part of test).
security: deps
	@$(MAKE) --no-print-directory recipebox
	@sh tests/support/security.sh

build/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(CLANG) $(BASE_CFLAGS) -Wno-unused-command-line-argument -O1 -g \
	  -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

build/fuzz/bin/%: tests/fuzz/%.c $(FUZZ_APP_OBJ)
	@mkdir -p $(dir $@)
	$(CLANG) $(filter-out -MMD -MP,$(BASE_CFLAGS)) -O1 -g -fsanitize=fuzzer,address,undefined \
	  -o $@ $^ $(PKGS_LIBS) -lunistring # libunistring: the oracle of fuzz_identity

install: recipebox
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/etc/recipebox \
	  $(DESTDIR)$(PREFIX)/share/recipebox/migrations $(DESTDIR)$(PREFIX)/share/doc/recipebox
	install -m 0755 recipebox $(DESTDIR)$(PREFIX)/bin/recipebox
	install -m 0640 conf/recipebox.conf.example $(DESTDIR)$(PREFIX)/etc/recipebox/recipebox.conf.example
	install -m 0644 conf/*.example conf/*.service lighttpd.conf.example \
	  $(DESTDIR)$(PREFIX)/share/doc/recipebox/
	install -m 0644 docs/*.md $(DESTDIR)$(PREFIX)/share/doc/recipebox/
	install -m 0644 sql/migrations/*.sql $(DESTDIR)$(PREFIX)/share/recipebox/migrations/
	install -m 0644 conf/common-passwords.txt $(DESTDIR)$(PREFIX)/share/recipebox/

format:
	clang-format -i $(APP_SRC) $(MAIN_SRC) $(wildcard include/*/*.h) $(UNIT_SRC) $(INT_SRC) $(FUZZ_SRC)

clean:
	rm -rf build recipebox

-include $(shell find build -name '*.d' 2>/dev/null)
