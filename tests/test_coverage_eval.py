"""eval/coverage.py: the coverage set reads, and the glossary meets issue 23's targets on it."""

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent.parent / "eval" / "coverage.py"


@pytest.fixture(scope="module")
def coverage():
    spec = importlib.util.spec_from_file_location("coverage_eval", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_set_is_large_and_every_kind_meets_the_target(coverage):
    report = coverage.evaluate(coverage.MENTIONS, ["vn-gov"])
    assert report["mentions"] >= 300
    assert report["share_right"] >= 90
    assert all(k["share_right"] >= 80 for k in report["by_kind"].values()), report["by_kind"]
    assert report["signature"].startswith("COV|glossary:vn-gov@")


def test_mentions_are_found_in_order_and_judged(coverage, tmp_path):
    path = tmp_path / "m.tsv"
    path.write_text("id\tsentence\tmentions\n"
                    "x-1\tThủ tướng Chính phủ họp với Chính phủ.\ttitle|Thủ tướng Chính phủ|Prime Minister; "
                    "org|Chính phủ|Government\n"
                    "x-2\tBộ Công an và Viện Khoa học hình sự.\torg|Bộ Công an|Police Ministry; "
                    "org|Viện Khoa học hình sự|Institute of Forensic Science\n",
                    encoding="utf-8")
    report = coverage.evaluate(path, ["vn-gov"])
    assert [(o["sentence_id"], o["status"]) for o in report["not_right"]] == [("x-2", "wrong"), ("x-2", "missed")]
    assert report["by_kind"]["title"]["right"] == 1 and report["by_kind"]["org"]["right"] == 1
