.PHONY: setup run test

setup:
	bash scripts/setup.sh

# The main job: parse every document of the bundled corpus into outputs/.
run: setup
	.venv/bin/dccs parse corpus/ --format json --out outputs/parse

test: setup
	.venv/bin/python -m pytest -q
