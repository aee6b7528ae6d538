# census as one self-contained executable, with its man pages and shell completions (Linux).
#
#   make release                      # .build-dist/release/census: static Swift runtime, stripped
#   make install PREFIX=/usr/local    # binary, man pages, bash/zsh/fish completions
#   make uninstall PREFIX=/usr/local
#   make check-static                 # runs the binary with the Swift toolchain out of reach
#
# The binary links the Swift runtime and Foundation statically (--static-swift-stdlib), and SQLite,
# zlib and the C++ runtime from the system's static archives (libsqlite3-dev, zlib1g-dev,
# libstdc++-12-dev: a directory holding only those archives comes first on the library path, so
# `-lsqlite3`, `-lz` and `-lstdc++` find them; -static-libgcc for libgcc); it needs only glibc
# (libc, libm). Loading libstdc++.so and libgcc_s.so cost about 1.5 ms of every start (their
# relocations and symbol lookups; docs/benchmarks.md, "Seventh pass"). `events fetch` loads libcurl
# (libcurl4) with dlopen when it downloads: see docs/install.md. The commit it is built
# from is recorded by the CensusBuildInfo plug-in (CENSUS_COMMIT overrides it outside a git
# checkout). Man pages come from the command definitions, through swift-argument-parser's
# generate-manual tool run on the built binary. --no-export-dynamic undoes the driver's
# -export-dynamic: nothing looks census's own symbols up at run time, and without 16,000 exported
# symbols the dynamic loader and the Swift runtime's one dladdr at start-up take about 0.6 ms less
# (docs/benchmarks.md). The binary stays position-independent (ASLR), which costs about 1 ms of
# relocation at start-up and is kept on purpose: census reads untrusted repositories.
# --disable-local-rpath drops SwiftPM's RUNPATH $ORIGIN, useless here (no Swift library is
# shared) and unsafe: a copy of census in /tmp would first look for libc.so.6 in /tmp
# (scripts/check-static.sh checks there is no RUNPATH).

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
STRIP ?= strip
SCRATCH ?= .build-dist
# Where the generate-manual tool is built (by asking the plug-in for its help, which builds only
# the tool, not the package).
TOOLS_SCRATCH ?= .build-dist-tools

BINARY := $(SCRATCH)/release/census
GENERATED := $(SCRATCH)/share

BINDIR := $(DESTDIR)$(PREFIX)/bin
MANDIR := $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

.PHONY: release man completions install uninstall check-static clean

STATIC_LIBS := $(SCRATCH)/static-libs

release:
	@mkdir -p $(STATIC_LIBS)
	@for lib in libsqlite3.a libz.a libstdc++.a; do \
		path=$$($(CC) -print-file-name=$$lib); \
		if [ ! -f "$$path" ]; then echo "make release: $$lib not found (install libsqlite3-dev, zlib1g-dev and libstdc++-12-dev)" >&2; exit 1; fi; \
		ln -sf "$$path" $(STATIC_LIBS)/$$lib; \
	done
	$(SWIFT) build -c release --product census --scratch-path $(SCRATCH) --disable-local-rpath \
		--static-swift-stdlib -Xlinker -L$(abspath $(STATIC_LIBS)) -Xlinker --no-export-dynamic \
		-Xswiftc -Xclang-linker -Xswiftc -static-libgcc
	$(STRIP) $(BINARY)
	@echo "$(BINARY): $$(du -h $(BINARY) | cut -f1) ($$(stat -c %s $(BINARY)) bytes), stripped"
	@$(BINARY) --version

man: release
	$(SWIFT) package --scratch-path $(TOOLS_SCRATCH) plugin generate-manual --help > /dev/null
	rm -rf $(GENERATED)/man1 && mkdir -p $(GENERATED)/man1
	"$$(find $(TOOLS_SCRATCH) -type f -name generate-manual-tool -perm -u+x | head -n 1)" \
		$(BINARY) --multi-page --output-directory $(GENERATED)/man1
	@echo "$$(ls $(GENERATED)/man1 | wc -l) man pages in $(GENERATED)/man1"

completions: release
	mkdir -p $(GENERATED)/completions
	$(BINARY) --generate-completion-script bash > $(GENERATED)/completions/census.bash
	$(BINARY) --generate-completion-script zsh > $(GENERATED)/completions/_census
	$(BINARY) --generate-completion-script fish > $(GENERATED)/completions/census.fish

install: release man completions
	install -d $(BINDIR) $(MANDIR) $(BASHDIR) $(ZSHDIR) $(FISHDIR)
	install -m 755 $(BINARY) $(BINDIR)/census
	install -m 644 $(GENERATED)/man1/*.1 $(MANDIR)/
	install -m 644 $(GENERATED)/completions/census.bash $(BASHDIR)/census
	install -m 644 $(GENERATED)/completions/_census $(ZSHDIR)/_census
	install -m 644 $(GENERATED)/completions/census.fish $(FISHDIR)/census.fish
	@echo "installed $(BINDIR)/census, $$(ls $(GENERATED)/man1 | wc -l) man pages and completions for bash, zsh and fish"

uninstall:
	rm -f $(BINDIR)/census $(MANDIR)/census.1 $(MANDIR)/census.*.1
	rm -f $(BASHDIR)/census $(ZSHDIR)/_census $(FISHDIR)/census.fish

# The binary must run where no Swift toolchain is: in a mount namespace of its own, the toolchain
# (the directory holding swiftc's libraries) is hidden under an empty tmpfs and LD_LIBRARY_PATH
# is empty; then it scans a small tree.
check-static: release
	bash scripts/check-static.sh $(BINARY)

clean:
	rm -rf $(SCRATCH) $(TOOLS_SCRATCH)
