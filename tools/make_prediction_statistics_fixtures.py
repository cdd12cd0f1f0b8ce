#!/usr/bin/python3
"""Writes the prediction-level statistics of fixed cases (tests/Platform.Models.Tests/Fixtures/statistics/predictions.json):

- McNemar's exact test on paired correctness (statsmodels' mcnemar(exact=True), checked against SciPy's binomtest);
- Fisher's combination of p-values (SciPy's combine_pvalues);
- Holm-Bonferroni adjusted p-values (statsmodels' multipletests(method="holm"));
- the paired t-test's power and the seeds it needs (statsmodels' TTestPower);
- percentile bootstrap intervals of WA, UA, weighted and macro F1 (scikit-learn's scores, numpy's
  percentile) over resamples drawn with SplitMix64, the generator the C# side uses, so both draw
  the same utterances for a seed.

Run: /usr/bin/python3 tools/make_prediction_statistics_fixtures.py (Debian's python3-scipy, -sklearn, -statsmodels)
"""
import json
import math
import os

import numpy as np
import scipy
import sklearn
import statsmodels
from scipy import stats
from sklearn.metrics import accuracy_score, f1_score, recall_score
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import TTestPower

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Platform.Models.Tests", "Fixtures", "statistics", "predictions.json")
MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def mcnemar_case(name, a, b):
    a, b = np.asarray(a, bool), np.asarray(b, bool)
    table = [[int(np.sum(a & b)), int(np.sum(a & ~b))], [int(np.sum(~a & b)), int(np.sum(~a & ~b))]]
    p = float(mcnemar(table, exact=True).pvalue)
    discordant = table[0][1] + table[1][0]
    if discordant:
        assert abs(p - stats.binomtest(min(table[0][1], table[1][0]), discordant, 0.5).pvalue) < 1e-12
    return {"name": name, "a": a.astype(int).tolist(), "b": b.astype(int).tolist(), "table": table, "p": p}


def bootstrap_case(name, classes, truth, predictions, resamples, seed, level):
    labels = list(range(classes))
    n = len(truth)
    rng = SplitMix64(seed)
    truth = np.asarray(truth)
    scores = np.zeros((4, resamples))
    for r in range(resamples):
        drawn = np.array([rng.next() % n for _ in range(n)])
        for predicted in predictions:
            y, p = truth[drawn], np.asarray(predicted)[drawn]
            scores[0, r] += accuracy_score(y, p) / len(predictions)
            scores[1, r] += recall_score(y, p, labels=labels, average="macro", zero_division=0) / len(predictions)
            scores[2, r] += f1_score(y, p, labels=labels, average="weighted", zero_division=0) / len(predictions)
            scores[3, r] += f1_score(y, p, labels=labels, average="macro", zero_division=0) / len(predictions)
    q = [100 * (1 - level) / 2, 100 * (1 + level) / 2]
    return {"name": name, "classes": classes, "truth": truth.tolist(), "predictions": [list(map(int, p)) for p in predictions],
            "resamples": resamples, "seed": seed, "level": level,
            "intervals": {metric: np.percentile(scores[m], q).tolist() for m, metric in enumerate(["wa", "ua", "weighted_f1", "macro_f1"])}}


def main():
    rng = np.random.default_rng(20261203)
    truth = rng.choice(4, size=120, p=[0.5, 0.2, 0.2, 0.1])
    a = truth == np.where(rng.random(120) < 0.7, truth, rng.choice(4, size=120))
    b = truth == np.where(rng.random(120) < 0.6, truth, rng.choice(4, size=120))
    same = rng.random(60) < 0.7
    mcnemar_cases = [
        mcnemar_case("a_better_than_b", a, b),
        mcnemar_case("identical_systems", same, same),
        mcnemar_case("one_discordant_pair", [1, 1, 0, 1], [1, 1, 0, 0]),
        mcnemar_case("balanced_flips", [1] * 10 + [0] * 10 + [1] * 30, [0] * 10 + [1] * 10 + [1] * 30),
        mcnemar_case("large_gap", list(rng.random(400) < 0.8), list(rng.random(400) < 0.6)),
    ]

    p_sets = [[0.01, 0.2, 0.03], [0.5, 0.9], [1.0, 1.0, 1.0], [0.001, 0.04, 0.3, 0.02, 0.8], [2.3e-10, 1.2e-10, 3.0e-8]]
    fisher_cases = [{"p": ps, "combined": float(stats.combine_pvalues(ps, method="fisher")[1])} for ps in p_sets]
    holm_cases = [{"p": ps, "adjusted": multipletests(ps, method="holm")[1].tolist()} for ps in p_sets + [[0.04, 0.04, 0.01, 0.6]]]

    power_cases = []
    for effect in [0.3, 0.8, 1.5, 3.0, -1.2]:
        powers = {str(n): float(TTestPower().power(effect_size=abs(effect), nobs=n, alpha=0.05, alternative="two-sided")) for n in [2, 3, 5, 10, 30]}
        nobs = TTestPower().solve_power(effect_size=abs(effect), alpha=0.05, power=0.8, alternative="two-sided")
        power_cases.append({"effect": effect, "power": powers, "solved_nobs": float(nobs), "seeds_needed": max(2, math.ceil(nobs))})

    truth = rng.choice(5, size=150, p=[0.45, 0.2, 0.15, 0.15, 0.05])
    seed_predictions = [np.where(rng.random(150) < acc, truth, rng.choice(5, size=150)) for acc in (0.6, 0.55, 0.65)]
    unparsed = seed_predictions[0].copy()
    unparsed[rng.random(150) < 0.1] = -1
    bootstrap_cases = [
        bootstrap_case("one_run", 5, truth, seed_predictions[:1], 1000, 20261203, 0.95),
        bootstrap_case("mean_over_three_seeds", 5, truth, seed_predictions, 1000, 7, 0.95),
        bootstrap_case("unparsed_answers_90", 5, truth, [unparsed], 500, 11, 0.9),
    ]

    with open(OUT, "w") as f:
        json.dump({"scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "sklearn": sklearn.__version__,
                   "mcnemar": mcnemar_cases, "fisher": fisher_cases, "holm": holm_cases, "power": power_cases, "bootstrap": bootstrap_cases}, f, indent=1)
    print(f"wrote {len(mcnemar_cases)} McNemar, {len(fisher_cases)} Fisher, {len(holm_cases)} Holm, {len(power_cases)} power and {len(bootstrap_cases)} bootstrap cases")


if __name__ == "__main__":
    main()
