"""How far can any model of a customer's order history get on the churn test cut-off? Two checks beside the
trainer's RFM logistic regression, same data, same cut-offs, same labels as train_churn.py:

  1. BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): a buy-till-you-die model fitted
     by maximum likelihood on the repeat-purchase summary of each customer before the cut-off (x = active days
     - 1, t_x = days from the first to the last active day, T = days from the first active day to the cut-off),
     with no churn label at all; its P(no order in the next N days) = P(dead) + P(alive) ((alpha+T) /
     (alpha+T+N))^(r+x). It extrapolates to histories longer than the training cut-offs saw, which is where
     trained models lose here. Also as two features beside RFM in the logistic regression.
  2. An in-distribution ceiling: 5-fold cross-validation *at the test cut-off itself*, fitted on the test
     window's own labels (which a deployed model never has): logistic regression on RFM, on RFM + BG/NBD + the
     model's 84 period values, and boosted trees on the same. What these reach bounds what a model trained on
     earlier cut-offs can be expected to reach with this information.

    PY=$(onnx-models/training/setup-venv.sh)
    $PY onnx-models/training/churn_ceiling.py --datasets ../shared/datasets        # Online Retail
    $PY onnx-models/training/churn_ceiling.py --events orders.jsonl [--horizon-days 60]   # a store's orders

Prints one line per model (test ROC-AUC [95% paired bootstrap], minus RFM LR [95%]) and --json writes them.
Deterministic. About 30 s on Online Retail (2 cores).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_churn as tc  # noqa: E402

DAY_MS = tc.DAY_MS


def repeat_summary(o, c):
    """(customer, x, t_x, T) in days at cut-off c, one purchase occasion per active day (the contract has no
    order id: lines of one invoice share a day)."""
    m = o.ts < c
    key = np.unique(o.u[m] * 1_000_000 + o.ts[m] // DAY_MS)
    uu, dd = key // 1_000_000, key % 1_000_000
    first = np.full(o.n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, uu, dd)
    last = np.full(o.n, -1, dtype=np.int64)
    np.maximum.at(last, uu, dd)
    days = np.bincount(uu, minlength=o.n)
    ok = days > 0
    x = np.where(ok, days - 1, 0).astype(np.float64)
    tx = np.where(ok, last - first, 0).astype(np.float64)
    T = np.where(ok, c // DAY_MS - first, 0).astype(np.float64)
    return ok, x, tx, T


def bgnbd_nll(log_params, x, tx, T):
    """Negative log-likelihood of BG/NBD (Fader, Hardie & Lee 2005, eq. 6)."""
    r, alpha, a, b = np.exp(log_params)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-12)) - (r + x) * np.log(alpha + tx),
                      -np.inf)
    return -(a1 + a2 + np.logaddexp(a3, a4)).sum()


def fit_bgnbd(x, tx, T):
    """(r, alpha, a, b) by maximum likelihood (Nelder-Mead on the log parameters)."""
    res = minimize(bgnbd_nll, np.log([0.5, 10.0, 0.5, 1.0]), args=(x, tx, T), method="Nelder-Mead",
                   options={"maxiter": 4000, "xatol": 1e-6, "fatol": 1e-6})
    return np.exp(res.x)


def p_no_order(params, x, tx, T, horizon_days):
    """(P(no purchase in (T, T + horizon]), P(alive at T)) per customer."""
    r, alpha, a, b = params
    ratio = np.where(x > 0, a / np.maximum(b + x - 1, 1e-12) * ((alpha + T) / (alpha + tx)) ** (r + x), 0.0)
    alive = 1.0 / (1.0 + ratio)
    return (1.0 - alive) + alive * ((alpha + T) / (alpha + T + horizon_days)) ** (r + x), alive


def bgnbd_features(o, c, horizon_days):
    """BG/NBD fitted on the customers' history before c: log P(no order), log P(alive) [n, 2], and the fit."""
    ok, x, tx, T = repeat_summary(o, c)
    params = fit_bgnbd(x[ok], tx[ok], T[ok])
    pn, alive = p_no_order(params, x, tx, T, horizon_days)
    return np.log(np.clip(np.stack([pn, alive], axis=1), 1e-6, 1.0)), params


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--datasets", default=os.path.join(tc.ROOT, "..", "shared", "datasets"))
    ap.add_argument("--events", action="append", help="order events (event JSON lines); repeatable")
    ap.add_argument("--horizon-days", type=int, help="churn horizon (default: the spec's horizonDays)")
    ap.add_argument("--spec", default=tc.SHARED_SPEC)
    ap.add_argument("--step-days", type=int, default=7)
    ap.add_argument("--min-history-days", type=int, default=60)
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=tc.SEED)
    ap.add_argument("--json", help="write the results here")
    a = ap.parse_args(argv)
    t0 = time.time()
    spec = dict(tc.load_spec(a.spec)["churn"])
    if a.horizon_days:
        spec["horizonDays"] = a.horizon_days
    horizon_days = int(spec["horizonDays"])
    N = horizon_days * DAY_MS
    if not a.events:
        path = os.path.join(tc.MODELS, "work", "online_retail", "orders.jsonl")
        sys.path.insert(0, os.path.join(tc.HERE, "convert"))
        import online_retail
        online_retail.main(["--input", os.path.join(a.datasets, "online-retail-uci", "online_retail.csv.gz"),
                            "--out", path])
        a.events = [path]
    o, _, _ = tc.read_orders(a.events)
    plan = argparse.Namespace(cutoffs=None, step_days=a.step_days, min_history_days=a.min_history_days,
                              max_examples=10 ** 12)
    train_c, c_test = tc.plan_cutoffs(o, plan, N, lambda c: 0)

    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    R, B, Y = [], [], []
    for c in train_c:  # every training customer (train and validation customers of the trainer together)
        cust = np.nonzero(o.first_before(c) < c)[0]
        R.append(tc.rfm_batch(o, c)[cust])
        B.append(bgnbd_features(o, c, horizon_days)[0][cust])
        Y.append(tc.labels_at(o, c, N)[cust])
    R, B, Y = np.concatenate(R), np.concatenate(B), np.concatenate(Y)
    cust = np.nonzero(o.first_before(c_test) < c_test)[0]
    Rt = tc.rfm_batch(o, c_test)[cust]
    Bt_all, params = bgnbd_features(o, c_test, horizon_days)
    Bt = Bt_all[cust]
    Pt = tc.encode_batch(o, c_test, spec)[cust].reshape(len(cust), -1)
    yt = tc.labels_at(o, c_test, N)[cust]

    def lr():
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))

    scores = {
        "rfmLogisticRegression": lr().fit(R, Y).predict_proba(Rt)[:, 1],
        "bgnbd (no labels)": np.exp(Bt[:, 0]),
        "rfm + bgnbd logistic regression": lr().fit(np.hstack([R, B]), Y).predict_proba(np.hstack([Rt, Bt]))[:, 1],
    }
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    rich = np.hstack([Rt, Bt, Pt])
    ceiling = {
        "ceiling: LR on RFM, CV at the test cut-off": (Rt, lr()),
        "ceiling: LR on RFM + BG/NBD + periods, CV at the test cut-off":
            (rich, make_pipeline(StandardScaler(), LogisticRegression(max_iter=4000, C=0.1))),
        "ceiling: boosted trees on the same, CV at the test cut-off":
            (rich, HistGradientBoostingClassifier(learning_rate=0.05, max_iter=300, early_stopping=True,
                                                  random_state=0)),
    }
    for k, (Z, model) in ceiling.items():
        scores[k] = cross_val_predict(model, Z, yt, cv=cv, method="predict_proba")[:, 1]
    ci = tc.bootstrap(yt, scores, ref="rfmLogisticRegression", n=a.bootstrap, seed=a.seed)
    out = {"testCutoff": tc.iso(c_test)[:10], "horizonDays": horizon_days, "customers": int(len(yt)),
           "churnRate": float(yt.mean()), "trainCutoffs": len(train_c), "trainExamples": int(len(Y)),
           "bgnbdParamsAtTest": dict(zip(("r", "alpha", "a", "b"), map(float, params))), "models": {}}
    print(f"test cut-off {out['testCutoff']}, horizon {horizon_days} d, {len(yt)} customers "
          f"({yt.mean():.3f} churn); {len(train_c)} training cut-offs, {len(Y)} examples", flush=True)
    for k, s in scores.items():
        auc = tc.metrics(yt, s)["rocAuc"]
        d = ci[k].get("rocAucMinus_rfmLogisticRegression95")
        out["models"][k] = {"rocAuc": auc, "rocAuc95": ci[k]["rocAuc95"], "minusRfmLr95": d}
        print(f"  {k:64s} ROC-AUC {auc:.4f} {ci[k]['rocAuc95']}" + (f"  minus RFM LR {d}" if d else ""), flush=True)
    if a.json:
        tc.write_json(a.json, out)
    print(f"{time.time() - t0:.0f} s", flush=True)
    return out


if __name__ == "__main__":
    main()
