"""Specifications of train_churn.py on a tiny order fixture (every 20th row of Online Retail, bundled in
deploy/demo-data), end to end: train, export, goldens, report, score-only. About 30-60 s:

  onnx-models/.venv/bin/python -m unittest discover -s onnx-models/training -p 'test_*.py'
"""
import contextlib
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import types
import unittest

import numpy as np
import onnxruntime as ort

import common
import train_churn as tc

sys.path.insert(0, os.path.join(tc.HERE, "convert"))
import online_retail  # noqa: E402

FIXTURE = os.path.join(tc.ROOT, "deploy", "demo-data", "online-retail-uci", "online_retail_every20th.csv.gz")


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class TrainChurnEndToEnd(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="churn-test-")
        cls.events = os.path.join(cls.tmp, "orders.jsonl")
        common.write_events(cls.events, online_retail.convert(FIXTURE))
        cls.out = os.path.join(cls.tmp, "models")
        cls.shared_spec_sha = sha(tc.SHARED_SPEC)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            cls.rc = tc.main(["--events", cls.events, "--out-dir", cls.out, "--seeds", "1", "--epochs", "3",
                              "--bootstrap", "50", "--max-minutes", "1", "--currency", "EUR"])
        cls.log = buf.getvalue()
        cls.part = read_json(os.path.join(cls.out, "churn", "manifest.part.json"))
        cls.golden = read_json(os.path.join(cls.out, "golden", "churn.json"))
        cls.orders, cls.raw, _ = tc.read_orders([cls.events])
        cls.spec = tc.load_spec()["churn"]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def per_customer(self):
        """(ts list, amount list) per customer index, from the raw events (not from Orders' arrays)."""
        return {i: ([e["ts"] for e in self.raw[u]], [float(e["amount"]) for e in self.raw[u]])
                for i, u in enumerate(self.orders.users)}

    def test_run_succeeds_and_prints_each_epoch_and_the_model_beside_its_baselines(self):
        self.assertEqual(self.rc, 0)
        self.assertRegex(self.log, r"epoch +1 train loss \d\.\d+ val AUC \d\.\d+ \(\d+s\)")
        for name in ("model", "rfmLogisticRegression", "gradientBoostedTrees"):
            self.assertRegex(self.log, rf"\n  {name} +ROC-AUC 0\.\d+ \[0\.\d+, 0\.\d+\]")
        self.assertIn("minus RFM LR", self.log)
        self.assertIn("rocAuc", self.part["metrics"]["test"])
        self.assertIn("rocAuc", self.part["baselines"]["rfmLogisticRegression"]["test"])
        lo, hi = self.part["metrics"]["test95"]["rocAuc95"]
        self.assertLessEqual(lo, self.part["metrics"]["test"]["rocAuc"])
        self.assertGreaterEqual(hi, self.part["metrics"]["test"]["rocAuc"])

    def test_vectorised_examples_equal_the_per_customer_reference(self):
        c = tc.day_of(self.part["split"]["testCutoff"])
        X = tc.encode_batch(self.orders, c, self.spec)
        for i, (ts, amt) in self.per_customer().items():
            np.testing.assert_allclose(X[i], tc.encode(list(zip(ts, amt)), c, self.spec), atol=1e-6)

    def test_examples_are_customers_only_with_labels_from_the_horizon_after_the_cutoff(self):
        c = tc.day_of(self.part["split"]["testCutoff"])
        N = self.spec["horizonDays"] * tc.DAY_MS
        _, _, y, who = tc.build(self.orders, [c], self.spec, N)
        want = {i: int(not any(c <= t < c + N for t in ts)) for i, (ts, _) in self.per_customer().items()
                if min(ts) < c}
        self.assertEqual(sorted(want), sorted(who[:, 0].tolist()))
        self.assertEqual([want[i] for i in who[:, 0]], y.tolist())
        self.assertEqual(self.part["split"]["counts"]["test"], len(want))

    def test_training_labels_never_see_the_test_window(self):
        N = self.spec["horizonDays"] * tc.DAY_MS
        c_test = tc.day_of(self.part["split"]["testCutoff"])
        for d in self.part["split"]["trainCutoffs"]:
            self.assertLessEqual(tc.day_of(d) + N, c_test)

    def test_exported_onnx_equals_torch_on_the_goldens_and_goldens_are_relative_to_the_data(self):
        sess = ort.InferenceSession(os.path.join(self.out, "churn", "churn.onnx"), providers=["CPUExecutionProvider"])
        c_test = tc.day_of(self.part["split"]["testCutoff"])
        self.assertGreaterEqual(len(self.golden["cases"]), 8)
        for case in self.golden["cases"]:
            evs = [(common.parse_ts(e["ts"]), float(e["amount"])) for e in case["events"]]
            x = tc.encode(evs, case["asOf"], self.spec)[None]
            np.testing.assert_allclose(x.reshape(-1), case["inputs"]["periods"]["data"], atol=1e-6)
            got = sess.run(None, {"periods": x})[0]
            np.testing.assert_allclose(got, case["outputs"]["p_churn"]["data"], atol=1e-4, err_msg=case["name"])
            self.assertTrue(all(e["currency"] == "EUR" for e in case["events"] if e["userId"].startswith("g-")))
        self.assertIn(c_test, [case["asOf"] for case in self.golden["cases"]])

    def test_at_risk_threshold_flags_the_chosen_share_of_validation_customers(self):
        v = self.part["metrics"]["validation"]
        self.assertAlmostEqual(v["atRiskRate"], 0.2, delta=0.02)
        self.assertIn("top 20%", self.part["thresholds"]["rule"])

    def test_score_only_scores_the_exported_model_next_to_rfm(self):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            rc = tc.score_shipped(["--events", self.events, "--model-dir", self.out, "--bootstrap", "30"])
        self.assertEqual(rc, 0)
        res = json.loads(buf.getvalue().strip().splitlines()[-1])
        self.assertEqual(res["testCutoff"], self.part["split"]["testCutoff"])
        self.assertAlmostEqual(res["model"]["test"]["rocAuc"], self.part["metrics"]["test"]["rocAuc"], delta=1e-3)
        self.assertIn("prAuc95", res["rfmLogisticRegression"]["test95"])

    def test_a_new_horizon_writes_a_bumped_spec_and_never_the_shared_one(self):
        doc = tc.load_spec()
        a = types.SimpleNamespace(horizon_days=doc["churn"]["horizonDays"] - 30)
        with self.assertRaises(SystemExit):
            tc.churn_section(doc, a, tc.SHARED_SPEC, tc.MODELS)
        out = os.path.join(self.tmp, "store")
        spec, version, path = tc.churn_section(doc, a, tc.SHARED_SPEC, out)
        self.assertEqual(spec["horizonDays"], a.horizon_days)
        self.assertNotEqual(version, str(doc["version"]))
        self.assertEqual(read_json(path)["version"], version)
        self.assertEqual(sha(tc.SHARED_SPEC), self.shared_spec_sha)

    def test_explicit_cutoffs_must_end_their_labels_before_the_test_cutoff(self):
        a = types.SimpleNamespace(cutoffs="2011-06-01,2011-08-01", min_history_days=0, step_days=7,
                                  max_examples=10**9)
        with self.assertRaises(SystemExit):
            tc.plan_cutoffs(self.orders, a, 90 * tc.DAY_MS, lambda c: 1)
        a.cutoffs = "2011-03-01,2011-06-01,2011-09-01"
        train, test = tc.plan_cutoffs(self.orders, a, 90 * tc.DAY_MS, lambda c: 1)
        self.assertEqual([common.iso(c)[:10] for c in train], ["2011-03-01", "2011-06-01"])
        self.assertEqual(common.iso(test)[:10], "2011-09-01")

    def test_cutoffs_are_sampled_above_max_examples_keeping_the_latest(self):
        a = types.SimpleNamespace(cutoffs=None, min_history_days=30, step_days=7, max_examples=1000)
        all_c, _ = tc.plan_cutoffs(self.orders, types.SimpleNamespace(**{**vars(a), "max_examples": 10**9}),
                                   90 * tc.DAY_MS, lambda c: 250)
        some, _ = tc.plan_cutoffs(self.orders, a, 90 * tc.DAY_MS, lambda c: 250)
        self.assertLessEqual(len(some) * 250, 1000)
        self.assertEqual(some[-1], all_c[-1])
        self.assertTrue(set(some) <= set(all_c))


class BootstrapMetrics(unittest.TestCase):

    def test_resample_metrics_equal_scikit_learn_on_the_resampled_arrays_ties_included(self):
        from sklearn.metrics import average_precision_score, roc_auc_score
        rng = np.random.default_rng(3)
        y = rng.integers(0, 2, 500).astype(np.float64)
        s = np.round(rng.random(500) + 0.3 * y, 1)  # few distinct values: many ties
        r = tc.RankedScores(s)
        for _ in range(5):
            i = rng.integers(0, len(y), len(y))
            w = np.bincount(i, minlength=len(y)).astype(np.float64)
            roc, ap = r.aucs(y, w)
            self.assertAlmostEqual(roc, roc_auc_score(y[i], s[i]), places=10)
            self.assertAlmostEqual(ap, average_precision_score(y[i], s[i]), places=10)


if __name__ == "__main__":
    unittest.main()
