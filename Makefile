.PHONY: setup run test

setup:
	bash scripts/setup.sh

# The main job: check every document of the bundled corpus; reports go to outputs/check/.
# (`dccs check` exits 1 when findings reach --fail-on; the corpus holds deficient documents on purpose.)
run: setup
	.venv/bin/dccs check corpus/ --out outputs/check --fail-on never > /dev/null
	@echo "dccs: reports in outputs/check (report.txt, report.json)"

test: setup
	.venv/bin/python -m pytest -q
