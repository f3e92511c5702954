# Paceline: `make run` serves the demo on http://127.0.0.1:8080; `make test` runs every test.
SWIFT       ?= swift
DB          ?= data/paceline.sqlite
PORT        ?= 8080
VENV        ?= .venv
SUDO        := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
APT_BUILD   := libsqlite3-dev libcmark-dev pkg-config
APT_TEST    := chromium chromium-driver python3-venv msmtp openssl postgresql
APT_DEPLOY  := nginx

.PHONY: run test unit-test pg-test e2e bench build deps test-deps deploy-check clean lint screenshots openapi

# Installs Debian packages only when missing (apt-get update once, first).
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi
endef

deps:
	$(call apt_install,$(APT_BUILD))

build: deps
	$(SWIFT) build -c release --product paceline

run: build
	.build/release/paceline migrate --db $(DB)
	.build/release/paceline demo --db $(DB)
	.build/release/paceline serve --db $(DB) --port $(PORT)

test-deps: deps
	$(call apt_install,$(APT_TEST))
	@[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV)
	@# The pinned versions, installed again whenever the list changes.
	@cmp -s Tests/e2e/requirements.txt $(VENV)/requirements.installed || \
	  { $(VENV)/bin/pip install -q -r Tests/e2e/requirements.txt && cp Tests/e2e/requirements.txt $(VENV)/requirements.installed; }

# Swift tests (unit, store, router), then the browser tests against a real server.
# Layout rules (lines ≤ 120 characters, small controllers): also part of the unit tests.
lint: deps
	swift test --filter SourceLayoutTests

# Every Swift test on SQLite, and the store's and web's suites again on PostgreSQL, side by side: the
# route fuzz keeps one core busy for minutes on its own, the PostgreSQL run takes the other.
test: test-deps
	$(SWIFT) build --build-tests
	@url=$$(scripts/pg-test-cluster.sh start) || exit 2; \
	  ( PACELINE_TEST_DATABASE_URL=$$url $(PG_TESTS) > .build/pg-test.log 2>&1; echo $$? > .build/pg-test.status ) & \
	  $(SWIFT) test --skip-build; sqlite=$$?; wait; pg=$$(cat .build/pg-test.status); \
	  echo "--- the same suites on PostgreSQL (full log: .build/pg-test.log):"; \
	  grep -E "✘|Test run with|error:" .build/pg-test.log | tail -n 40; \
	  scripts/pg-test-cluster.sh stop; [ $$sqlite -eq 0 ] && [ $$pg -eq 0 ]
	$(MAKE) e2e

unit-test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The store's tests again on PostgreSQL, in a throwaway cluster under .build/ (scripts/pg-test-cluster.sh,
# no Docker): the store suite and the web suite through it — not the route fuzz (the same routes) nor
# SQLite's query plans. PACELINE_TEST_DATABASE_URL gives each test a schema of its own.
PG_TESTS = .build/debug/pacelinePackageTests.xctest --testing-library swift-testing \
	--filter PacelineStoreTests --filter PacelineWebTests --skip RouteFuzzTests --skip QueryPlanTests
pg-test: test-deps
	$(SWIFT) build --build-tests
	@url=$$(scripts/pg-test-cluster.sh start) && PACELINE_TEST_DATABASE_URL=$$url $(PG_TESTS); \
	  status=$$?; scripts/pg-test-cluster.sh stop; exit $$status

# The test build also builds the executable (same flags, so nothing is compiled twice).
e2e: test-deps
	$(SWIFT) build --build-tests
	$(VENV)/bin/python -m pytest -q Tests/e2e

bench: SHELL := /bin/bash
bench: test-deps
	$(call apt_install,wrk curl)
	# One --product per build: swift build keeps only the last one given.
	$(SWIFT) build -c release --product paceline-bench
	$(SWIFT) build -c release --product paceline
	@# Every figure is printed and kept in bench-output.txt, then written into docs/BENCHMARKS.md.
	set -o pipefail; export PACELINE_BENCH_GPX=$$(mktemp --suffix=.gpx); \
	  { .build/release/paceline-bench && bash scripts/bench-parse.sh && bash scripts/bench-http.sh && \
	    PACELINE_PAGE_CACHE_MB=0 LABEL="1000 athletes, page cache off" bash scripts/bench-http.sh && \
	    BENCH_DATABASE_URL="$$(scripts/pg-test-cluster.sh start)?schema=bench_$$$$" \
	      LABEL="1000 athletes, PostgreSQL on this machine" bash scripts/bench-http.sh && \
	    bash scripts/bench-scale.sh; } \
	  | tee .build/bench-output.txt; status=$$?; rm -f $$PACELINE_BENCH_GPX; exit $$status
	python3 scripts/bench-record.py .build/bench-output.txt

# Screenshots of the coach dashboard and board, an athlete's form page and the phone calendar (docs/screenshots/).
screenshots: test-deps
	$(SWIFT) build --build-tests
	$(VENV)/bin/python scripts/screenshots.py

# The JSON API's Swift types and routes, from its one description (Public/api/v1/openapi.json): run after
# editing the document (a test fails until you do). Builds swift-openapi-generator once, in .build/.
openapi:
	bash scripts/openapi-generate.sh

deploy-check:
	$(call apt_install,$(APT_DEPLOY))
	bash deploy/check.sh

clean:
	rm -rf .build
