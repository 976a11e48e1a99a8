"""Reference fits for api/src/analytics/regression.rs, made once by statsmodels.

Writes cases.csv (a seeded synthetic data set of 2,000 cases with a common binary outcome) and
expected.json (statsmodels' Poisson GLM with HC0 covariance, its Logit, and Wilson intervals)
beside this script. api/tests/api/regression.rs rebuilds the design from cases.csv and must
agree with expected.json to 1e-6. Both outputs are committed; run this again only to change
them:

    python3 -m venv /tmp/sm && /tmp/sm/bin/pip install statsmodels
    /tmp/sm/bin/python make.py
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import statsmodels
import statsmodels.api as sm
from statsmodels.stats.proportion import proportion_confint

HERE = Path(__file__).resolve().parent
N = 2000
AGE_BANDS = ["18-29", "30-39", "40-49", "50+"]  # the first is the reference level

rng = np.random.default_rng(20240611)
age_band = rng.choice(len(AGE_BANDS), size=N, p=[0.2, 0.35, 0.3, 0.15])
female = rng.binomial(1, 0.6, N)
single_parent = rng.binomial(1, 0.25, N)
cssa = rng.binomial(1, 0.12 + 0.28 * single_parent)
new_arrival = rng.binomial(1, 0.12, N)
children_under_18 = 1 + np.minimum(rng.poisson(0.8, N), 4)

# A common outcome (about one case in five), so odds ratios and prevalence ratios differ.
eta = (
    -1.6
    + np.array([0.0, -0.2, -0.45, -0.7])[age_band]
    + 0.15 * female
    + 0.6 * single_parent
    + 0.5 * cssa
    + 0.4 * new_arrival
    + 0.2 * (children_under_18 - 1)
)
outcome = rng.binomial(1, 1 / (1 + np.exp(-eta)))

cases = pd.DataFrame(
    {
        "age_band": np.array(AGE_BANDS)[age_band],
        "female": female,
        "single_parent": single_parent,
        "cssa": cssa,
        "new_arrival": new_arrival,
        "children_under_18": children_under_18,
        "outcome": outcome,
    }
)
cases.to_csv(HERE / "cases.csv", index=False, lineterminator="\n")

# Dummy coding with the first band as reference, then the other columns as they are.
x = pd.DataFrame({"const": 1.0}, index=cases.index)
for band in AGE_BANDS[1:]:
    x[f"age_{band}"] = (cases["age_band"] == band).astype(float)
for column in ["female", "single_parent", "cssa", "new_arrival", "children_under_18"]:
    x[column] = cases[column].astype(float)
y = cases["outcome"].astype(float)


def summary(result):
    ci = np.asarray(result.conf_int())
    return {
        "params": list(map(float, result.params)),
        "bse": list(map(float, result.bse)),
        "pvalues": list(map(float, result.pvalues)),
        "ci_low": list(map(float, ci[:, 0])),
        "ci_high": list(map(float, ci[:, 1])),
    }


# statsmodels' default stopping rules (IRLS: deviance change 1e-8; Newton: step 1e-8); the
# script also refits to 1e-13 and records how far the defaults are from the optimum.
poisson = sm.GLM(y, x, family=sm.families.Poisson()).fit(cov_type="HC0")
logit = sm.Logit(y, x).fit(disp=0)
poisson_tight = sm.GLM(y, x, family=sm.families.Poisson()).fit(cov_type="HC0", tol=1e-13)
logit_tight = sm.Logit(y, x).fit(disp=0, tol=1e-13)


# What HC0 means for a GLM in statsmodels: the score sandwich, bread = (X' diag(mu) X)^-1 and
# meat = X' diag((y - mu)^2) X, with no small-sample factor. The Rust module computes this.
xm, mu = x.to_numpy(), poisson.mu
bread = np.linalg.inv(xm.T @ (mu[:, None] * xm))
meat = xm.T @ (((y.to_numpy() - mu) ** 2)[:, None] * xm)
assert np.allclose(bread @ meat @ bread, poisson.cov_params(), rtol=1e-9, atol=1e-15)


def gap(a, b):
    sa, sb = summary(a), summary(b)
    return max(abs(u - v) for key in sa for u, v in zip(sa[key], sb[key]))


wilson = []
for successes, n in [(0, 1), (1, 1), (0, 25), (25, 25), (1, 2000), (412, 2000), (7, 13), (3, 250)]:
    low, high = proportion_confint(successes, n, alpha=0.05, method="wilson")
    wilson.append({"successes": successes, "n": n, "low": float(low), "high": float(high)})

expected = {
    "made_by": {
        "statsmodels": statsmodels.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pandas": pd.__version__,
    },
    "n": N,
    "prevalence": float(y.mean()),
    "columns": list(x.columns),
    "poisson_hc0": summary(poisson),
    "logit": summary(logit),
    "default_vs_tight_tolerance": {"poisson": gap(poisson, poisson_tight), "logit": gap(logit, logit_tight)},
    "wilson": wilson,
}
(HERE / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
print(json.dumps({k: expected[k] for k in ["prevalence", "default_vs_tight_tolerance"]}))
