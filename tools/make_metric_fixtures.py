#!/usr/bin/python3
"""Writes scikit-learn's scores for fixed label sequences (tests/Platform.Models.Tests/Fixtures/metrics/sklearn.json).

The C# ConfusionMatrix must give the same accuracy (WA), balanced accuracy (UA), weighted and
macro F1 and per-class precision/recall/F1, with every class of the label set counted and
zero_division=0, as CORPORA.md defines them. Run: /usr/bin/python3 tools/make_metric_fixtures.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support, recall_score

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Platform.Models.Tests", "Fixtures", "metrics", "sklearn.json")


def case(name, classes, y_true, y_pred):
    # labels= keeps the scores over the label set: a prediction of -1 (unparsed) is in no class.
    labels = list(range(classes))
    precision, recall, f1, support = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    return {
        "name": name, "classes": classes, "y_true": list(map(int, y_true)), "y_pred": list(map(int, y_pred)),
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        "wa": accuracy_score(y_true, y_pred),
        # balanced_accuracy_score ignores classes absent from y_true; UA over the label set is the
        # macro recall with labels= and zero_division=0, as CORPORA.md defines it.
        "ua": recall_score(y_true, y_pred, labels=labels, average="macro", zero_division=0),
        "weighted_f1": f1_score(y_true, y_pred, labels=labels, average="weighted", zero_division=0),
        "macro_f1": f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0),
        "precision": precision.tolist(), "recall": recall.tolist(), "f1": f1.tolist(), "support": support.tolist(),
    }


def main():
    rng = np.random.default_rng(20261121)
    cases = []
    # Imbalanced 7-class predictions, like MELD (neutral dominant).
    y = rng.choice(7, size=500, p=[0.47, 0.12, 0.03, 0.07, 0.17, 0.03, 0.11])
    noisy = np.where(rng.random(500) < 0.6, y, rng.choice(7, size=500))
    cases.append(case("meld_like", 7, y, noisy))
    # A class never predicted and a class absent from the truth.
    y = rng.choice([0, 1, 2], size=60)
    p = np.where(rng.random(60) < 0.7, y, 3) % 4
    p[p == 2] = 0
    cases.append(case("absent_classes", 4, y, p))
    # Perfect and all-wrong.
    y = rng.choice(4, size=40)
    cases.append(case("perfect", 4, y, y))
    cases.append(case("always_majority", 4, y, np.zeros_like(y)))
    # An LLM's unparsed answers (-1, no label): wrong for accuracy and recall, in no class's precision.
    y = rng.choice(5, size=80)
    p = np.where(rng.random(80) < 0.6, y, rng.choice(5, size=80))
    p[rng.random(80) < 0.2] = -1
    cases.append(case("unparsed_answers", 5, y, p))
    with open(OUT, "w") as f:
        json.dump({"sklearn": sklearn.__version__, "cases": cases}, f, indent=1)
    print(f"wrote {len(cases)} cases with scikit-learn {sklearn.__version__}")


if __name__ == "__main__":
    main()
