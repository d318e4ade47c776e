# recipebox build. `make` builds ./recipebox (release). `make test` installs
# what is missing, builds an ASan+UBSan copy and runs every suite against it.
# See README.md and docs/operations.md.

PREFIX  ?= /usr/local
DESTDIR ?=
# quiet build: one line per step ("CC app/x.c"); V=1 shows the commands
V ?= 0
ifeq ($(V),1)
Q :=
say = @:
else
Q := @
say = @printf '  %-6s %s\n'
endif
CC      ?= cc
CLANG   ?= clang

PKGS_CFLAGS := $(shell pkg-config --cflags json-c 2>/dev/null) $(shell mariadb_config --cflags 2>/dev/null)
PKGS_LIBS   := -lfcgi -linih -lscrypt $(shell pkg-config --libs json-c 2>/dev/null) \
               $(shell mariadb_config --libs 2>/dev/null) -lcrypto -lz -lm -loath -lpng
WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wconversion -Wno-sign-conversion \
           -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wnull-dereference
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -Iinclude $(PKGS_CFLAGS) $(WARN) -MMD -MP \
               -DRB_SYSCONFDIR='"$(PREFIX)/etc/recipebox"' \
               -DRB_MIGRATIONS_DIR='"$(PREFIX)/share/recipebox/migrations"' \
               -DRB_DATA_DIR='"$(PREFIX)/share/recipebox"' -DRB_PREFIX='"$(PREFIX)"'
REL_CFLAGS  := $(BASE_CFLAGS) -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
SAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
SAN_CFLAGS  := $(BASE_CFLAGS) -O1 -g $(SAN_FLAGS)
LDFLAGS_REL := -pie -Wl,-z,relro,-z,now

# The install paths are compiled in (RB_SYSCONFDIR...): build/prefix holds
# the PREFIX of the last build and changes only when PREFIX does, and every
# object depends on it, so a new PREFIX rebuilds them all.
PREFIX_STAMP := build/prefix
$(shell mkdir -p build && { [ "$$(cat $(PREFIX_STAMP) 2>/dev/null)" = '$(PREFIX)' ] || \
  printf '%s\n' '$(PREFIX)' > $(PREFIX_STAMP); })

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

# Debian packages to build and run (`make deps`: `make`, `make run`, `make
# install`); `make test-deps` adds the test tools (DEB_TEST_PKGS) for `make
# test`. Each installs only the missing ones.
DEB_PKGS := build-essential pkg-config libfcgi-dev libfcgi-bin libmariadb-dev mariadb-server \
            mariadb-client libjson-c-dev libscrypt-dev libinih-dev libssl-dev libgd-dev \
            lighttpd curl procps libexif-dev jq zlib1g-dev libcurl4-openssl-dev \
            libpng-dev libjpeg-dev libwebp-dev liboath-dev libqrencode-dev
DEB_TEST_PKGS := libcunit1-dev clang libclang-rt-14-dev wrk nginx-light \
            apache2 libapache2-mod-fcgid libunistring-dev chromium mandoc systemd file \
            python3-aiosmtpd python3-icalendar

.PHONY: all deps test-deps uninstall man-lint run test check unit integration faults fuzz fuzz-smoke bench security install \
        clean san release format

all: recipebox

recipebox: build/rel/recipebox
	$(Q)cp build/rel/recipebox $@.tmp && mv -f $@.tmp $@

build/rel/recipebox: $(REL_OBJ) build/rel/app/main.o
	$(say) LD $@
	$(Q)$(CC) $(LDFLAGS_REL) -o $@ $^ $(PKGS_LIBS)

# the served spec: docs/openapi.json without its test-only routes
build/gen/openapi_spec.c: docs/openapi.json tests/support/embed.sh tests/support/served-spec.jq
	@mkdir -p $(dir $@)
	$(say) GEN $@
	$(Q)sh tests/support/embed.sh docs/openapi.json openapi_spec tests/support/served-spec.jq \
		> $@.tmp && mv -f $@.tmp $@

build/rel/%.o: %.c $(PREFIX_STAMP)
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(REL_CFLAGS) -c -o $@ $<

build/san/%.o: %.c $(PREFIX_STAMP)
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(SAN_CFLAGS) -c -o $@ $<

build/san/recipebox: $(SAN_OBJ) build/san/app/main.o
	$(say) LD $@
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^ $(PKGS_LIBS)

build/san/unit_tests: $(SAN_OBJ) $(UNIT_SRC:%.c=build/san/%.o)
	$(say) LD $@
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^ $(PKGS_LIBS) -lcunit

build/san/integration_tests: $(INT_SRC:%.c=build/san/%.o)
	$(say) LD $@
	$(Q)$(CC) $(SAN_FLAGS) -o $@ $^ -lcunit -lcurl -lpthread -lgd -loath $(shell pkg-config --libs json-c 2>/dev/null)

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

test-deps:
	@sh tests/support/deps.sh $(DEB_PKGS) $(DEB_TEST_PKGS)

# The whole stack on http://127.0.0.1:$(RB_PORT) (8080 by default): private
# MariaDB + pool + lighttpd. RB_T0: the "ready in" time counts the build.
# RB_MAKE_PID: run.sh stops everything when make alone gets SIGINT (make
# only waits for its children then; a terminal's Ctrl-C reaches them all).
run: export RB_T0 := $(shell date +%s)
run: deps
	@$(MAKE) -s --no-print-directory recipebox
	@RB_MAKE_PID=$$PPID exec sh tests/support/run.sh

test: test-deps
	@$(MAKE) --no-print-directory san recipebox build/rel/hello $(FUZZ_BIN) dist
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

build/fuzz/%.o: %.c $(PREFIX_STAMP)
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CLANG) $(BASE_CFLAGS) -Wno-unused-command-line-argument -O1 -g \
	  -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<

build/fuzz/bin/%: tests/fuzz/%.c $(FUZZ_APP_OBJ)
	@mkdir -p $(dir $@)
	$(say) LD $@
	$(Q)$(CLANG) $(filter-out -MMD -MP,$(BASE_CFLAGS)) -O1 -g -fsanitize=fuzzer,address,undefined \
	  -o $@ $^ $(PKGS_LIBS) -lunistring # libunistring: the oracle of fuzz_identity

# What `make install` puts under $(DESTDIR)$(PREFIX); `make uninstall`
# removes exactly these (INSTALL_DIRS too, when empty). The examples name
# /usr/local: installed copies name PREFIX. docs/operations.md has the layout.
# one version for make run, make install and the browser test (tests/support/lib.sh)
SWAGGER_VERSION := $(shell sed -n 's/^RB_SWAGGER_UI_VERSION=//p' tests/support/lib.sh)
SWAGGER_FILES := swagger-ui.css swagger-ui-bundle.js swagger-ui-standalone-preset.js \
                 favicon-16x16.png favicon-32x32.png LICENSE NOTICE
I_BIN   := $(DESTDIR)$(PREFIX)/bin
I_ETC   := $(DESTDIR)$(PREFIX)/etc/recipebox
I_SHARE := $(DESTDIR)$(PREFIX)/share/recipebox
I_DOC   := $(DESTDIR)$(PREFIX)/share/doc/recipebox
I_MAN   := $(DESTDIR)$(PREFIX)/share/man/man8
INSTALL_DIRS := $(I_SHARE)/docs/dist $(I_SHARE)/docs $(I_SHARE)/migrations $(I_SHARE)/mail $(I_SHARE) $(I_DOC) \
                $(I_ETC)
DOC_FILES := $(notdir $(wildcard conf/*.example conf/*.service docs/*.md)) lighttpd.conf.example
SED_PREFIX = sed -e 's|/usr/local|$(PREFIX)|g'

install: recipebox man/recipebox.8
	@swagger=$$(sh tests/support/node.sh swagger-ui-dist $(SWAGGER_VERSION)) || { swagger=; \
	  echo "make install: warning: no swagger-ui-dist@$(SWAGGER_VERSION) (npm or the network" \
	    "failed); /docs/ will lack its dist/ files until make install runs again" >&2; }; \
	set -e; \
	install -d $(I_BIN) $(I_ETC) $(I_SHARE)/migrations $(I_SHARE)/mail $(I_SHARE)/docs/dist $(I_DOC) $(I_MAN); \
	install -m 0755 recipebox $(I_BIN)/recipebox; \
	$(SED_PREFIX) conf/recipebox.conf.example > $(I_ETC)/recipebox.conf.example.tmp; \
	install -m 0644 $(I_ETC)/recipebox.conf.example.tmp $(I_ETC)/recipebox.conf.example; \
	rm -f $(I_ETC)/recipebox.conf.example.tmp; \
	if [ -e $(I_ETC)/recipebox.conf ]; then \
	  echo "make install: keeping $(I_ETC)/recipebox.conf"; \
	else \
	  install -m 0640 $(I_ETC)/recipebox.conf.example $(I_ETC)/recipebox.conf; \
	  echo "make install: made $(I_ETC)/recipebox.conf (edit it; see recipebox(8))"; \
	fi; \
	for f in conf/*.example conf/*.service lighttpd.conf.example docs/*.md; do \
	  $(SED_PREFIX) $$f > $(I_DOC)/$${f##*/}; chmod 0644 $(I_DOC)/$${f##*/}; done; \
	install -m 0644 sql/migrations/*.sql $(I_SHARE)/migrations/; \
	install -m 0644 conf/common-passwords.txt $(I_SHARE)/; \
	install -m 0644 conf/mail/* $(I_SHARE)/mail/; \
	install -m 0755 sql/backup.sh sql/restore.sh $(I_SHARE)/; \
	install -m 0644 sql/dbconf.sh $(I_SHARE)/; \
	install -m 0644 docs/swagger/* $(I_SHARE)/docs/; \
	[ -z "$$swagger" ] || for f in $(SWAGGER_FILES); do \
	  install -m 0644 $$swagger/$$f $(I_SHARE)/docs/dist/; done; \
	$(SED_PREFIX) man/recipebox.8 > $(I_MAN)/recipebox.8; chmod 0644 $(I_MAN)/recipebox.8; \
	echo "make install: installed under $(DESTDIR)$(PREFIX)"

# Keeps an edited recipebox.conf (one that differs from the example).
uninstall:
	@if [ -f $(I_ETC)/recipebox.conf ] && ! cmp -s $(I_ETC)/recipebox.conf \
	  $(I_ETC)/recipebox.conf.example; then \
	  echo "make uninstall: keeping the edited $(I_ETC)/recipebox.conf"; \
	else rm -f $(I_ETC)/recipebox.conf; fi
	@rm -f $(I_BIN)/recipebox $(I_ETC)/recipebox.conf.example $(I_MAN)/recipebox.8 \
	  $(addprefix $(I_DOC)/,$(DOC_FILES)) \
	  $(addprefix $(I_SHARE)/migrations/,$(notdir $(wildcard sql/migrations/*.sql))) \
	  $(addprefix $(I_SHARE)/mail/,$(notdir $(wildcard conf/mail/*))) \
	  $(addprefix $(I_SHARE)/,common-passwords.txt backup.sh restore.sh dbconf.sh) \
	  $(addprefix $(I_SHARE)/docs/,$(notdir $(wildcard docs/swagger/*))) \
	  $(addprefix $(I_SHARE)/docs/dist/,$(SWAGGER_FILES))
	@for d in $(INSTALL_DIRS); do [ ! -d $$d ] || rmdir $$d 2>/dev/null || \
	  echo "make uninstall: $$d is not empty; left in place"; done
	@echo "make uninstall: removed recipebox from $(DESTDIR)$(PREFIX)"

# man page check: mandoc -Tlint (package mandoc), else groff's warnings
man-lint: man/recipebox.8
	@if command -v mandoc > /dev/null; then mandoc -Tlint -W warning man/recipebox.8; \
	else groff -mdoc -ww -z man/recipebox.8; fi

# `make dist`: build/dist/recipebox-VERSION-linux-x86_64.tar.gz, one static
# binary (glibc and Debian's .a archives; no shared library needed; a static
# PIE, so ASLR and full RELRO as the release build has them) with the
# migrations, configs, docs and Swagger UI. Same sources, same bytes: paths
# mapped to ".", times from the last commit. See docs/operations.md, "The
# self-contained binary (make dist)". `make dist-check` builds it twice and
# compares.
DIST_VERSION := $(shell sed -n 's/^\#define RB_VERSION "\(.*\)"$$/\1/p' app/main.c)
DIST_NAME    := recipebox-$(DIST_VERSION)
DIST_TARBALL := build/dist/$(DIST_NAME)-linux-x86_64.tar.gz
DIST_EPOCH   := $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct 2>/dev/null),0)
DIST_OBJDIR  ?= build/static
STATIC_CFLAGS := $(REL_CFLAGS:-g=) -DRB_LINK_STATIC \
                 -ffunction-sections -fdata-sections -ffile-prefix-map=$(CURDIR)=.
# each archive once, users before what they use: the smallest set that
# resolves (libpthread is in glibc's libc.a since 2.34). Of libgd.a only the
# core, PNG, JPEG and WebP objects are pulled in; its AVIF, HEIF, TIFF, XPM,
# FreeType and fontconfig objects are never referenced, so those libraries
# are not needed. Linker warnings: tests/support/dist.sh link-warnings.
STATIC_LIBS := -lfcgi -linih -lscrypt -ljson-c -lmariadb -loath -lssl -lcrypto -lgd -lpng16 -ljpeg \
               -lwebp -lexif -lunistring -lz -lm
# dist/: what only this binary links (getrandom's fallback for kernels < 3.17)
STATIC_OBJ  := $(APP_SRC:%.c=$(DIST_OBJDIR)/%.o) $(GEN_SRC:%.c=$(DIST_OBJDIR)/%.o) \
               $(DIST_OBJDIR)/app/main.o $(DIST_OBJDIR)/dist/getrandom_fallback.o

.PHONY: dist dist-check static

# the Makefile too: the flags are part of what must be reproduced
$(DIST_OBJDIR)/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(say) CC-STATIC $<
	$(Q)$(CC) $(STATIC_CFLAGS) -c -o $@ $<

$(DIST_OBJDIR)/recipebox: $(STATIC_OBJ) Makefile
	$(say) LD $@
	$(Q)$(CC) -static-pie -Wl,-z,relro,-z,now -Wl,--gc-sections -Wl,--build-id=sha1 \
	  -Wl,--wrap=getrandom -s -o $@ $(STATIC_OBJ) $(STATIC_LIBS) \
	  2> $@.link.log || { cat $@.link.log >&2; exit 1; }
	@sh tests/support/dist.sh link-warnings $@.link.log

static: $(DIST_OBJDIR)/recipebox

dist: $(DIST_OBJDIR)/recipebox
	@sh tests/support/dist.sh package $(DIST_OBJDIR)/recipebox $(DIST_VERSION) $(DIST_EPOCH) \
	  $(SWAGGER_VERSION) "$(SWAGGER_FILES)" $(DIST_TARBALL)

# two builds from scratch in separate directories must give the same bytes
dist-check: dist
	@sh tests/support/dist.sh reproducible

format:
	clang-format -i $(APP_SRC) $(MAIN_SRC) $(wildcard include/*/*.h) $(UNIT_SRC) $(INT_SRC) $(FUZZ_SRC)

clean:
	rm -rf build recipebox

-include $(shell find build -name '*.d' 2>/dev/null)
