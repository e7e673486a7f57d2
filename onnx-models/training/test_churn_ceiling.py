"""Specifications of churn_ceiling.py: the BG/NBD fit recovers the parameters of customers simulated from it,
its P(no order in the horizon) matches a simulation of the same customers, and the script runs end to end on
the bundled order fixture (every 20th row of Online Retail).

  onnx-models/.venv/bin/python -m unittest discover -s onnx-models/training -p 'test_*.py'
"""
import contextlib
import io
import json
import os
import tempfile
import unittest

import numpy as np

import churn_ceiling as cc
import common
import test_train_churn as ttc

TRUE = (0.6, 8.0, 0.8, 2.5)  # r, alpha, a, b


def simulate(params, T, horizon, rng):
    """Customers of a BG/NBD world observed for T days (the first purchase at 0) and then for `horizon` more:
    (x, t_x, T, bought in the horizon). After each repeat purchase a customer drops out with probability p."""
    r, alpha, a, b = params
    n = len(T)
    lam = rng.gamma(r, 1.0 / alpha, n)
    p = rng.beta(a, b, n)
    x, tx, later = np.zeros(n), np.zeros(n), np.zeros(n, dtype=bool)
    for i in range(n):
        t, alive = 0.0, True
        while alive:
            t += rng.exponential(1.0 / lam[i])
            if t > T[i] + horizon:
                break
            if t <= T[i]:
                x[i] += 1
                tx[i] = t
            else:
                later[i] = True
                break
            alive = rng.random() >= p[i]
    return x, tx, T, later


class BgNbd(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        rng = np.random.default_rng(7)
        cls.T = rng.uniform(30, 300, 6000)
        cls.x, cls.tx, _, cls.later = simulate(TRUE, cls.T, 90.0, rng)

    def test_maximum_likelihood_recovers_the_simulated_parameters(self):
        fit = cc.fit_bgnbd(self.x, self.tx, self.T)
        for got, want, name in zip(fit, TRUE, ("r", "alpha", "a", "b")):
            self.assertAlmostEqual(np.log(got), np.log(want), delta=0.25, msg=f"{name}: {got} vs {want}")

    def test_the_fit_is_more_likely_than_parameters_away_from_it(self):
        fit = cc.fit_bgnbd(self.x, self.tx, self.T)
        best = cc.bgnbd_nll(np.log(fit), self.x, self.tx, self.T)
        for k in range(4):
            off = np.log(fit).copy()
            off[k] += 0.3
            self.assertLess(best, cc.bgnbd_nll(off, self.x, self.tx, self.T))

    def test_p_no_order_matches_the_simulated_share_without_an_order_in_the_horizon(self):
        pn, alive = cc.p_no_order(TRUE, self.x, self.tx, self.T, 90.0)
        self.assertTrue(np.all((pn >= 0) & (pn <= 1) & (alive >= 0) & (alive <= 1)))
        # customers without a repeat purchase are alive for sure in BG/NBD (dropout follows a purchase)
        self.assertTrue(np.allclose(alive[self.x == 0], 1.0))
        for lo, hi in ((0.0, 0.5), (0.5, 0.8), (0.8, 1.0)):
            m = (pn >= lo) & (pn < hi)
            self.assertGreater(m.sum(), 200)
            self.assertAlmostEqual(pn[m].mean(), 1.0 - self.later[m].mean(), delta=0.03)


class CeilingOnTheFixture(unittest.TestCase):

    def test_runs_end_to_end_and_reports_every_row_with_its_interval(self):
        with tempfile.TemporaryDirectory() as tmp:
            events = os.path.join(tmp, "orders.jsonl")
            common.write_events(events, ttc.online_retail.convert(ttc.FIXTURE))
            out_path = os.path.join(tmp, "ceiling.json")
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                out = cc.main(["--events", events, "--bootstrap", "50", "--json", out_path])
            with open(out_path, encoding="utf-8") as f:
                self.assertEqual(json.load(f)["models"].keys(), out["models"].keys())
        self.assertEqual(len(out["models"]), 6)
        self.assertIsNone(out["models"]["rfmLogisticRegression"]["minusRfmLr95"])
        for name, m in out["models"].items():
            lo, hi = m["rocAuc95"]
            self.assertTrue(0.0 <= lo <= m["rocAuc"] <= hi <= 1.0, name)
            self.assertIn(f"  {name}", buf.getvalue())
        self.assertGreater(out["customers"], 50)
