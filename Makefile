# Developer entry points; each target is one script or command, so CI and people run the same.
# `make help` lists them.
.DEFAULT_GOAL := help
SHELL := /usr/bin/env bash
PGPORT_CLINIC ?= 55432
IMAGE_TAG ?= dev
export PGPORT_CLINIC IMAGE_TAG

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

.PHONY: build
build: ## build every project with warnings as errors
	dotnet build Orleans.sln -warnaserror

.PHONY: format
format: ## apply dotnet format
	dotnet format Orleans.sln

.PHONY: run
run: ## a silo, the API and the dashboard on this machine (in-memory), a demo clinic and a token
	scripts/run-local.sh

.PHONY: test
test: ## every test suite (slow: 10+ minutes)
	scripts/test.sh

.PHONY: bench
bench: ## load benchmarks (scripts/bench.sh; about 4 minutes plus the build)
	scripts/bench.sh

.PHONY: db-start
db-start: ## private PostgreSQL on PGPORT_CLINIC
	scripts/postgres.sh start

.PHONY: db-stop
db-stop: ## stop it and remove its data
	scripts/postgres.sh stop

.PHONY: migrate
migrate: ## apply the schema migrations to the private PostgreSQL
	scripts/postgres.sh start
	eval "$$(scripts/postgres.sh env)" && Postgres__MigrationConnectionString="$$CLINIC_PG_OWNER" \
	  dotnet run --project src/Silo -- migrate

.PHONY: db-backup
db-backup: ## encrypted logical backup to BACKUP=file (scripts/backup/db-backup.sh logical; PG* or CLINIC_BACKUP_DATABASE_URL, CLINIC_BACKUP_AGE_RECIPIENT)
	@test -n "$(BACKUP)" || { echo "usage: make db-backup BACKUP=clinic.dump.age (docs/operations/backups.md)"; exit 64; }
	scripts/backup/db-backup.sh logical --output "$(BACKUP)"

.PHONY: db-restore
db-restore: ## restore BACKUP=file through DBNAME=conninfo (scripts/backup/db-restore.sh logical; CLINIC_BACKUP_AGE_IDENTITY_FILE)
	@test -n "$(BACKUP)" && test -n "$(DBNAME)" || { echo "usage: make db-restore BACKUP=clinic.dump.age DBNAME='host=... dbname=postgres user=clinic_owner'"; exit 64; }
	scripts/backup/db-restore.sh logical --input "$(BACKUP)" --dbname "$(DBNAME)"

.PHONY: chart-check
chart-check: ## helm lint/template, Kubernetes schemas, policies, yamllint, shellcheck, actionlint
	scripts/chart-check.sh

.PHONY: contracts
contracts: ## chart, code, scripts and operators' documents agree (scripts/check-contracts.sh)
	scripts/check-contracts.sh

.PHONY: image
image: ## build every image (silo, api, pgbouncer, backup) and run silo + API (PostgreSQL, migrate, 2 silos, API, a booking)
	scripts/image.sh

.PHONY: image-build
image-build: ## build every image only (scripts/image.sh --list names them)
	BUILD_ONLY=1 scripts/image.sh

.PHONY: up
up: ## the full local stack with the built images (compose.yaml): PostgreSQL, 2 silos, API, Prometheus
	scripts/compose.sh up

.PHONY: down
down: ## stop the compose stack and remove its volumes
	scripts/compose.sh down

.PHONY: rehearse
rehearse: ## production rehearsal: the chart's pod specs with production values on Docker, driven as users would
	scripts/rehearse.sh

.PHONY: clean
clean: ## remove build outputs and .tmp
	rm -rf .tmp src/*/bin src/*/obj tests/*/bin tests/*/obj
