.PHONY: setup run test serve

setup:
	bash scripts/setup.sh

# The main job: check every document of the bundled corpus; reports go to outputs/check/.
# (`dccs check` exits 1 when findings reach --fail-on; the corpus holds deficient documents on purpose.)
run: setup
	.venv/bin/dccs check corpus/ --out outputs/check --fail-on never > /dev/null
	@echo "dccs: reports in outputs/check: index.html (dashboard), summary.xlsx, summary.csv, results.sarif,"
	@echo "      findings.jsonl, report.json, report.txt; per document in outputs/check/docs/ (HTML report,"
	@echo "      the DOCX with Word comments, the letter of comments)"

# The web page and JSON API for drafting officers (docs/serve.md): http://127.0.0.1:8000/
serve: setup
	.venv/bin/dccs serve

test: setup
	.venv/bin/python -m pytest -q
