#!/usr/bin/python3
"""Writes SciPy's seed statistics for fixed score lists (tests/Platform.Models.Tests/Fixtures/statistics/scipy.json):
mean, sample std (ddof=1), standard error of the mean, the 95% Student-t confidence interval of the mean,
Welch's t-test and the paired t-test, two-sided.
Run: /usr/bin/python3 tools/make_statistics_fixtures.py
"""
import json
import os

import numpy as np
import scipy
from scipy import stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Platform.Models.Tests", "Fixtures", "statistics", "scipy.json")


def main():
    rng = np.random.default_rng(7)
    pairs = [
        ("three_seeds_clear_gap", [0.612, 0.598, 0.605], [0.571, 0.566, 0.580]),
        ("three_seeds_overlap", [0.612, 0.598, 0.605], [0.607, 0.590, 0.611]),
        ("five_seeds", list(rng.normal(0.65, 0.01, 5)), list(rng.normal(0.64, 0.02, 5))),
        ("unequal_sizes", list(rng.normal(0.55, 0.015, 6)), list(rng.normal(0.53, 0.03, 3))),
        ("ten_seeds_tiny_difference", list(rng.normal(0.70, 0.01, 10)), list(rng.normal(0.699, 0.01, 10))),
    ]
    cases = []
    for name, a, b in pairs:
        welch = stats.ttest_ind(a, b, equal_var=False)
        case = {"name": name, "a": a, "b": b, "mean_a": float(np.mean(a)), "std_a": float(np.std(a, ddof=1)),
                "mean_b": float(np.mean(b)), "std_b": float(np.std(b, ddof=1)),
                "sem_a": float(stats.sem(a)),
                "ci95_a": [float(x) for x in stats.t.interval(0.95, len(a) - 1, loc=np.mean(a), scale=stats.sem(a))],
                "welch_t": float(welch.statistic), "welch_p": float(welch.pvalue)}
        if len(a) == len(b):
            paired = stats.ttest_rel(a, b)
            case.update({"paired_t": float(paired.statistic), "paired_p": float(paired.pvalue)})
        cases.append(case)
    with open(OUT, "w") as f:
        json.dump({"scipy": scipy.__version__, "cases": cases}, f, indent=1)
    print(f"wrote {len(cases)} cases with SciPy {scipy.__version__}")


if __name__ == "__main__":
    main()
