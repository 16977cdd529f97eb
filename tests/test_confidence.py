"""Confidence levels (vnsum.confidence) and their measurement (vnsum.metrics.confidence)."""

from __future__ import annotations

import json
import math

import pytest

from vnsum.confidence import DEFAULT, Thresholds, load, save
from vnsum.errors import UsageError
from vnsum.metrics.confidence import auroc, fit, isotonic


def test_levels_from_the_score_and_the_flags():
    t = Thresholds(check=-0.6, doubtful=-1.1)
    assert [t.level(s) for s in (-0.2, -0.6, -0.8, -1.1, -2.0)] == ["ok", "ok", "check", "check", "doubtful"]
    assert t.level(-0.2, ['missing: "1.200"']) == "check"  # a flag never leaves a sentence ok
    assert t.level(-2.0, ['missing: "1.200"']) == "doubtful"
    assert t.level(-0.1, ["missing: everything"]) == "doubtful"
    # no score (an LLM): flags alone, and never an "ok" it cannot back
    assert t.level(None) == "unscored" and t.level(None, ["missing: clause 2"]) == "check"


def test_thresholds_are_stored_with_the_model_and_a_bad_file_is_named(tmp_path):
    assert load(tmp_path) == {}
    save(tmp_path, {"vi-en": Thresholds(-0.6, -1.1, "dev (10 lines)")})
    save(tmp_path, {"en-vi": Thresholds(-0.5, -1.2, "dev (10 lines)")})  # added, vi-en kept
    assert load(tmp_path) == {"vi-en": Thresholds(-0.6, -1.1, "dev (10 lines)"),
                              "en-vi": Thresholds(-0.5, -1.2, "dev (10 lines)")}
    (tmp_path / "confidence.json").write_text(json.dumps({"vi-en": {"check": "high"}}))
    with pytest.raises(UsageError, match="confidence.json: not a confidence calibration"):
        load(tmp_path)


def test_the_bundled_model_carries_its_fitted_thresholds():
    from pathlib import Path

    fitted = load(Path(__file__).parents[1] / "models" / "vnsum-mini")
    assert set(fitted) == {"vi-en", "en-vi"} and all(t.doubtful < t.check < 0 for t in fitted.values())
    assert DEFAULT.check == pytest.approx(fitted["vi-en"].check, abs=0.01)


def test_isotonic_regression_pools_violators():
    assert isotonic([1, 3, 2, 4]) == [1, 2.5, 2.5, 4]
    assert isotonic([5, 4, 3]) == [4, 4, 4]


def test_fit_finds_where_expected_chrf_crosses_the_level_boundaries():
    scores = [-2.0, -1.6, -1.2, -1.0, -0.8, -0.6, -0.4, -0.3, -0.2, -0.1]
    chrf = [20, 25, 30, 40, 45, 48, 55, 60, 62, 70]
    t = fit(scores, chrf, "made up")
    assert (t.doubtful, t.check) == (-1.0, -0.4)
    with pytest.raises(UsageError, match="at least 10"):
        fit(scores[:3], chrf[:3], "too few")


def test_auroc_counts_ties_half_and_needs_both_kinds():
    assert auroc([0.1, 0.2, 0.8, 0.9], [True, True, False, False]) == 1.0
    assert auroc([0.9, 0.8, 0.2, 0.1], [True, True, False, False]) == 0.0
    assert auroc([0.5, 0.5], [True, False]) == 0.5
    assert math.isnan(auroc([0.1, 0.2], [True, True]))
