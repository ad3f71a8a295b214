# CrisisDrill: `make run` serves the app, `make test` runs the suite. Both set themselves up.
SHELL := /bin/bash
PY := .venv/bin/python
STAMP := .venv/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-10)
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL := postgres://crisisdrill:crisisdrill@127.0.0.1:5432/crisisdrill
REDIS_LOCAL := redis://127.0.0.1:6379/0
PYTEST_ARGS ?=

.PHONY: run test services-test services-up lint format seed chromium pdf-libs messages bench collectstatic clean

# Settings default DEBUG off (production); the development targets turn it on (prerequisites inherit it).
run seed migrate test services-test messages: export DEBUG := True

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	rm -f .venv/.installed-*
	touch $(STAMP)

venv: $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed pdf-libs
	@echo "Serving CrisisDrill on http://$(HOST):$(PORT)/ (HTTP and websockets). Ctrl-C stops."
	$(PY) -m daphne -b $(HOST) -p $(PORT) config.asgi:application

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# WeasyPrint (the report's PDF) needs Pango and a font with Hebrew glyphs; the tests read PDFs with poppler-utils.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
pdf-libs:
	@dpkg -s $(PDF_PACKAGES) >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; }

test: $(STAMP) chromium pdf-libs
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

.PHONY: redis-installed postgres-up faults faults-short
services-up: redis-installed postgres-up
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no
	@echo "PostgreSQL and Redis are up on 127.0.0.1"

redis-installed:
	@command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

postgres-up:
	@test -x /usr/lib/postgresql/15/bin/postgres || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null; }
	@pg_lsclusters -h | grep -q '^15 *main .*online' || pg_ctlcluster 15 main start
	@for i in $$(seq 30); do su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1 && break; sleep 1; done
	@su postgres -c "psql -qAtc \"select 1 from pg_roles where rolname='crisisdrill'\"" | grep -q 1 || \
		su postgres -c "psql -qc \"create role crisisdrill login createdb password 'crisisdrill'\""
	@su postgres -c "psql -qAtc \"select 1 from pg_database where datname='crisisdrill'\"" | grep -q 1 || \
		su postgres -c "createdb -O crisisdrill crisisdrill"

services-test: $(STAMP) chromium pdf-libs services-up
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_LOCAL) $(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# A production deploy step (README "Operating it"): the hashed, compressed files WhiteNoise serves, written to
# STATIC_ROOT. DEBUG off selects that storage; the rest of the environment (SECRET_KEY, ...) is the operator's.
collectstatic: export DEBUG := False
collectstatic: $(STAMP)
	$(PY) manage.py collectstatic --noinput

# Benchmarks (not part of the suite): engine lateness and throughput, websocket fan-out, page and API latency;
# see bench/README.md.
bench: $(STAMP) services-up
	$(PY) -m bench.engine --profile all --driver all
	$(PY) -m bench.engine --profile all --driver all --drills 500 --no-team
	$(PY) -m bench.engine --profile all --driver all --drills 500
	$(PY) -m bench.engine --profile all --measure throughput
	$(PY) -m bench.room --profile all
	$(PY) -m bench.pages --profile all

# API fuzzing (fuzz/run.py): schemathesis from the OpenAPI document against a live server it starts, as
# instructor and participant of an organization of its own; fails on any finding. fuzz-ci is the bounded CI pass.
.PHONY: fuzz fuzz-ci
fuzz-ci: $(STAMP) pdf-libs
	$(PY) -m fuzz.run --max-examples 20

fuzz: $(STAMP) pdf-libs
	$(PY) -m fuzz.run --max-examples 200

# Fault suite (not part of the unit suite): nginx (deploy/nginx-site.conf) in front of two Daphne servers, two Celery
# workers, a beat and its own Redis on 127.0.0.1, under kill -9, nginx and rolling restarts, a Redis restart, lost
# group sends and a failing drill; see faults/README.md.
faults: $(STAMP) redis-installed postgres-up nginx-installed
	$(PY) -m faults

faults-short: $(STAMP) redis-installed postgres-up nginx-installed
	$(PY) -m faults --short

# The services topology on 127.0.0.1 (README "Operating it"): nginx on CLUSTER_PORT in front of CLUSTER_SERVERS
# Daphne processes (the next ports), CLUSTER_WORKERS Celery workers and one beat, from deploy/ (nginx-site.conf,
# processes, cluster.env); it returns once /healthz answers through nginx. `make cluster-stop` stops it all.
CLUSTER_PORT ?= 8390
CLUSTER_SERVERS ?= 2
CLUSTER_WORKERS ?= 2
CLUSTER_DATABASE_URL ?= $(PG_URL)
CLUSTER_REDIS_URL ?= $(REDIS_LOCAL)
.PHONY: cluster cluster-stop nginx-installed
cluster: $(STAMP) pdf-libs services-up nginx-installed
	$(PY) -m deploy.cluster start --listen $(CLUSTER_PORT) --servers $(CLUSTER_SERVERS) --workers $(CLUSTER_WORKERS) \
		--database-url $(CLUSTER_DATABASE_URL) --redis-url $(CLUSTER_REDIS_URL)

cluster-stop:
	$(PY) -m deploy.cluster stop

nginx-installed:
	@command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }

# After this, translate the new entries of locale/*/LC_MESSAGES/*.po, compile again, commit .po and .mo.
messages: $(STAMP)
	$(PY) manage.py makemessages -l he -l fr --ignore=.venv --ignore=tests --ignore=bench
	$(PY) manage.py makemessages -d djangojs -l he -l fr --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf .venv db.sqlite3* staticfiles .pytest_cache
