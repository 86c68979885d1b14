# uiccsim — `make test` runs every test, PC/SC and osmo-auc-gen ones included.
SHELL := /bin/bash
GO ?= go
FUZZTIME ?= 3s
SYSPKGS := pcscd vsmartcard-vpcd libpcsclite-dev libosmocore-utils opensc pcsc-tools openssl
# Commands each package must provide: command -> Debian package.
SYSCMDS := pcscd:pcscd osmo-auc-gen:libosmocore-utils opensc-tool:opensc pcsc_scan:pcsc-tools

.PHONY: test sysdeps fmt vet gotest fuzz bench build

test: sysdeps fmt vet build gotest fuzz

# Installs missing system packages with apt-get when run as root; otherwise
# says exactly what to install and fails.
sysdeps:
	@missing=""; \
	for p in $(SYSPKGS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "make: installing$$missing"; \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "make: missing system packages:$$missing"; \
	    echo "make: run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi; \
	test -f /usr/lib/pcsc/drivers/serial/libifdvpcd.so || { echo "make: vsmartcard-vpcd driver missing (apt-get install vsmartcard-vpcd)"; exit 1; }

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

build:
	$(GO) build ./...
	CGO_ENABLED=0 $(GO) build ./...

# UICCSIM_REQUIRE_SYSTEM=1 turns the loud skips of tests that need pcscd,
# vpcd, opensc-tool or osmo-auc-gen into failures.
gotest:
	UICCSIM_REQUIRE_SYSTEM=1 $(GO) test -race -count=1 ./...

# A short run of every fuzz target, FUZZTIME each.
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) ./.ci/fuzz-all

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...
