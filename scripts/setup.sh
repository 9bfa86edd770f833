#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine (run as root, as CI does):
# system tools the readers and tests use, then a virtualenv with the project and its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libreoffice-writer-nogui poppler-utils fonts-dejavu fonts-liberation2 tesseract-ocr tesseract-ocr-vie chromium)
missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
[ -f /usr/share/tesseract-ocr/5/tessdata/vie.traineddata ] || missing+=(tesseract-ocr-vie)
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu)
[ -d /usr/share/fonts/truetype/liberation2 ] || missing+=(fonts-liberation2)
# Debian's chromium, driven by the pip playwright package in the HTML report and `dccs serve` browser tests
# (no `playwright install`)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
  else
    echo "setup: missing system packages (${missing[*]}); tests that need them will skip" >&2
  fi
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.dccs-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  if ! .venv/bin/pip install -q --disable-pip-version-check -e ".[test]" >.venv/pip.log 2>&1; then
    cat .venv/pip.log >&2
    exit 1
  fi
  .venv/bin/python -c "import docx, pypdfium2, spacy, underthesea, pytest, fastapi, uvicorn, playwright"
  touch "$stamp"
fi
