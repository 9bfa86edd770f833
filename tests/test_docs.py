"""Generated documentation stays in step with the rule files, and every obligation is accounted for."""
import subprocess
import sys

from conftest import ROOT


def test_rule_pages_and_coverage_are_up_to_date():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_rule_docs.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr + "\nrun: python scripts/gen_rule_docs.py"


def test_corpus_variants_are_up_to_date():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_variants.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr + "\nrun: python scripts/build_variants.py"


def test_rules_show_prints_the_generated_page():
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "rules", "show", "CQ-CK-03"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0
    page = (ROOT / "docs" / "rules" / "CQ-CK-03.md").read_text(encoding="utf-8")
    assert r.stdout.strip() == page.split("\n\n---\n\n")[0].strip()
    assert "khoản 3 Điều 46" in r.stdout and "Ví dụ đạt" in r.stdout
