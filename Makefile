# The few commands a person types. `make run` and `make test` install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# IMP-CORE v1, v2, then v3: all published, v3 last, so it is the version new quarters use and
# the one scoring method 3 reads (the demo's older quarters are answered on v1, its latest on v2).
QUESTIONNAIRE_V1 := questionnaires/data/imp-core-v1.yaml
QUESTIONNAIRE_V2 := questionnaires/data/imp-core-v2.yaml
QUESTIONNAIRE_V3 := questionnaires/data/imp-core-v3.yaml
# The embedded default (SQLite, eager Celery) unless DATABASE_URL/REDIS_URL are set.
DEV_ENV := DEBUG=$${DEBUG:-1}

.PHONY: run test lint format worker beat demo clean messages compilemessages

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# The compiled catalogues (locale/*/LC_MESSAGES/*.mo, not committed), remade when a .po changes.
# Needs GNU gettext (msgfmt): apt-get install gettext.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
locale/%.mo: locale/%.po
	msgfmt --check-format -o $@ $<
compilemessages: $(MO_FILES)

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

## make run: install, migrate, load the questionnaires and demo data, serve on :8000
run: $(VENV)/.runtime-installed compilemessages demo
	@$(DEV_ENV) $(BIN)/python manage.py exports_browser_check
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

demo: $(VENV)/.runtime-installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py questionnaire_load $(QUESTIONNAIRE_V1) --publish
	$(DEV_ENV) $(BIN)/python manage.py questionnaire_load $(QUESTIONNAIRE_V2) --publish
	$(DEV_ENV) $(BIN)/python manage.py questionnaire_load $(QUESTIONNAIRE_V3) --publish
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

## make test: install with test extras, lint, check formatting, layers and types, run every test
test: $(VENV)/.dev-installed compilemessages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(DEV_ENV) $(BIN)/mypy
	$(BIN)/pytest

## make messages: extract every marked string into locale/fr (both domains), list what is left
## to translate, compile. Then translate the listed entries in the .po files and run it again.
messages: $(VENV)/.dev-installed
	-$(DEV_ENV) $(BIN)/python -m imp_assess.messages update
	$(MAKE) compilemessages

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## A Celery worker and beat by hand (set DATABASE_URL and REDIS_URL first)
worker: $(VENV)/.runtime-installed
	$(BIN)/celery -A imp_assess worker --loglevel=INFO

beat: $(VENV)/.runtime-installed
	$(BIN)/celery -A imp_assess beat --loglevel=INFO

clean:
	rm -f $(MO_FILES)
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts .pytest_cache .ruff_cache
