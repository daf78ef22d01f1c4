# The test command of the README: formatting, vet, staticcheck, race tests.
GO ?= go
# The pinned tools run through `go run module@version` when they are not
# installed, so `make test` needs nothing installed by hand (the go command
# fetches and caches them through the module proxy).
STATICCHECK_VERSION ?= v0.8.2
GOVULNCHECK_VERSION ?= v1.9.0
STATICCHECK ?= $(shell command -v staticcheck 2>/dev/null || echo $(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION))
GOVULNCHECK ?= $(shell command -v govulncheck 2>/dev/null || echo $(GO) run golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION))

.PHONY: test lint race fuzz tools vuln demo bench

test: lint race

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(STATICCHECK) ./...

race:
	$(GO) test -race -count=1 -cover ./...

# Each fuzz target for FUZZTIME (default 20s); run with FUZZTIME=4h for a long run.
# scripts/fuzz.sh tells a failing input from go1.26's fuzzing deadline race.
FUZZTIME ?= 20s
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) bash scripts/fuzz.sh

# govulncheck reads the Go vulnerability database; it is built locally from the
# golang.org/x/vulndb module (fetched through the module proxy like any module).
VULNDB_VERSION ?= v0.0.0-20261105234957-e22db6528018
VULNDB_DIR ?= $(shell $(GO) env GOCACHE)/inlsearch-vulndb
# The standard library of go1.26.8 (this machine's Go) has known vulnerabilities
# fixed in go1.26.10: release builds and the vulnerability check use that one
# (the go command fetches it through the module proxy, once per machine).
VULN_TOOLCHAIN ?= go1.26.10
vuln:
	@if [ ! -f $(VULNDB_DIR)/index/db.json ]; then \
	  $(GO) run golang.org/x/vulndb/cmd/indexdb@$(VULNDB_VERSION) \
	    -vulns $$($(GO) env GOMODCACHE)/golang.org/x/vulndb@$(VULNDB_VERSION)/data/osv -out $(VULNDB_DIR); \
	fi
	GOTOOLCHAIN=$(VULN_TOOLCHAIN) $(GOVULNCHECK) -db file://$(VULNDB_DIR) ./...

tools:
	$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(GO) install golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION)

demo:
	$(GO) run ./cmd/inlsearch
