"""Specifications of train_intent.py's retrain path, end to end on a small real fixture (about 30 s):
fixtures/diginetica_intent_small.jsonl.gz (284 DIGINETICA sessions, 46 buying; cut by fixtures/make_intent_fixture.py).

  onnx-models/.venv/bin/python -m unittest discover -s onnx-models/training -p 'test_train_intent.py'
"""
import contextlib
import gzip
import io
import json
import os
import shutil
import tempfile
import unittest

import numpy as np
import onnxruntime as ort
import torch

import common
import train_intent as ti

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "fixtures", "diginetica_intent_small.jsonl.gz")
FAST = ["--epochs", "3", "--patience", "2", "--bootstrap", "30"]


def sessions_of(path):
    """Independent of the trainer: session ids (userId here) with at least one event before their first order."""
    seen = {}
    for e in common.read_events(path):
        seen.setdefault(e["userId"], []).append(e)
    n = 0
    for evs in seen.values():
        evs.sort(key=lambda e: e["ts"])
        n += evs[0]["type"] != "order"
    return n


def train(argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        part = ti.main(argv)
    return part, out.getvalue()


class TrainIntentRetrainPathTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="train-intent-test-")
        events = [json.loads(line) for line in gzip.open(FIXTURE, "rt", encoding="utf-8")]
        start = {}
        for e in events:
            start[e["userId"]] = min(start.get(e["userId"], e["ts"]), e["ts"])
        cut = sorted(start.values())[int(len(start) * 0.75)]
        cls.all = os.path.join(cls.tmp, "all.jsonl")
        cls.history = os.path.join(cls.tmp, "history.jsonl")
        cls.later = os.path.join(cls.tmp, "later.jsonl")
        common.write_events(cls.all, events)
        common.write_events(cls.history, [e for e in events if start[e["userId"]] < cut])
        common.write_events(cls.later, [e for e in events if start[e["userId"]] >= cut])
        cls.out = os.path.join(cls.tmp, "model")
        cls.part, cls.log = train(["--events", cls.history, "--test-events", cls.later, "--out-dir", cls.out,
                                   "--golden", os.path.join(cls.tmp, "golden.json"), "--seed", "3"] + FAST)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_a_separate_test_file_is_the_test_set_and_all_of_the_history_trains_the_exported_model(self):
        n_history = sessions_of(self.history)
        n_later = sessions_of(self.later)
        self.assertEqual(n_later, self.part["split"]["test"]["sessions"])
        self.assertEqual(n_history, self.part["split"]["train"]["sessions"] + self.part["split"]["validation"]["sessions"])
        self.assertEqual(n_history, self.part["training"]["exportedModelSessions"])
        self.assertIn("refit", self.log)

    def test_the_exported_onnx_equals_the_torch_model(self):
        with open(os.path.join(ti.ROOT, "onnx-models", "feature_spec.json"), encoding="utf-8") as f:
            spec = json.load(f)["intent"]
        enc = ti.Encoder(spec)
        model = ti.IntentGRU(spec, enc.dense_size)
        model.load_state_dict(torch.load(os.path.join(self.out, "intent.pt"), weights_only=True))
        model.eval()
        sess = ort.InferenceSession(os.path.join(self.out, "intent.onnx"), providers=["CPUExecutionProvider"])
        data = ti.Data(ti.load_sessions([self.later], 0), enc)
        worst = 0.0
        for i in range(0, len(data), 7):
            steps = data.enc[i]
            with torch.no_grad():
                full = torch.sigmoid(model(torch.tensor([[s[0] for s in steps]]), torch.tensor([[s[1] for s in steps]]),
                                           torch.tensor([[s[2] for s in steps]], dtype=torch.float32)))[0].numpy()
            h = np.zeros((1, spec["hiddenSize"]), dtype=np.float32)
            for t, (ib, cb, d) in enumerate(steps):
                h, p = sess.run(["h_next", "p_purchase"], {"item_bucket": np.array([ib], dtype=np.int64),
                                                          "category_bucket": np.array([cb], dtype=np.int64),
                                                          "dense": np.array([d], dtype=np.float32), "h": h})
                worst = max(worst, abs(float(p[0]) - float(full[t])))
        self.assertLess(worst, 1e-4)

    def test_the_report_holds_the_model_and_both_baselines_with_intervals(self):
        m = self.part["metrics"]
        self.assertIsNotNone(m["test"]["prefix"]["rocAuc"])
        for name in ("lrCounts", "lrSameFeatures"):
            self.assertIsNotNone(self.part["baselineMetrics"][name]["test"]["prefix"]["rocAuc"])
            lo, hi = m["bootstrap"]["prefixRocAuc95"][name]
            self.assertLessEqual(lo, hi)
        lo, hi = m["bootstrap"]["prefixRocAuc95"]["gru"]
        self.assertTrue(lo <= m["test"]["prefix"]["rocAuc"] <= hi)
        self.assertIsNotNone(m["bootstrap"]["rocAucMinus_lrCounts95"]["gru"])
        self.assertTrue(0.0 <= self.part["thresholds"]["highIntent"] <= 1.0)

    def test_test_frac_zero_trains_without_a_test_set_and_says_so(self):
        out = os.path.join(self.tmp, "no-test")
        part, log = train(["--events", self.all, "--test-frac", "0", "--out-dir", out,
                           "--golden", os.path.join(out, "golden.json")] + FAST)
        self.assertIn("no test split", log)
        self.assertIsNone(part["metrics"]["test"])
        self.assertEqual({}, part["baselineMetrics"])
        self.assertEqual(sessions_of(self.all), part["training"]["exportedModelSessions"])

    def test_the_seed_makes_a_run_reproducible_and_another_seed_changes_it(self):
        def sha(seed, name):
            out = os.path.join(self.tmp, name)
            return train(["--events", self.history, "--test-frac", "0", "--seed", str(seed), "--out-dir", out,
                          "--golden", os.path.join(out, "golden.json"), "--epochs", "2", "--patience", "1"])[0]["sha256"]
        self.assertEqual(sha(5, "s5a"), sha(5, "s5b"))
        self.assertNotEqual(sha(5, "s5c"), sha(6, "s6"))

    def test_init_from_starts_from_the_given_models_weights(self):
        out = os.path.join(self.tmp, "warm")
        train(["--events", self.history, "--test-frac", "0", "--init-from", self.out, "--calibrate", "off",
               "--lr", "1e-12", "--dropout", "0", "--epochs", "1", "--out-dir", out, "--golden", os.path.join(out, "g.json")])
        before = torch.load(os.path.join(self.out, "intent.pt"), weights_only=True)
        after = torch.load(os.path.join(out, "intent.pt"), weights_only=True)
        for k in ("gru.weight_ih_l0", "gru.weight_hh_l0", "item.weight", "head.weight"):
            self.assertTrue(torch.allclose(before[k], after[k], atol=1e-6), k)

    def test_pretraining_reads_every_session_of_its_files_without_labels(self):
        out = os.path.join(self.tmp, "pre")
        part, log = train(["--events", self.history, "--test-frac", "0", "--pretrain-events", self.history,
                           "--pretrain-gap-minutes", "0", "--pretrain-epochs", "1", "--epochs", "1",
                           "--out-dir", out, "--golden", os.path.join(out, "g.json")])
        users = {e["userId"] for e in common.read_events(self.history)}
        self.assertEqual(len(users), part["training"]["pretraining"]["sessions"])
        self.assertIn("pretrain epoch 1/1", log)

    def test_score_model_scores_the_shipped_onnx_next_to_the_baselines(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = ti.score_shipped(["--model-dir", self.out, "--events", self.all, "--session-gap-minutes", "0",
                                   "--bootstrap", "30"])
        self.assertEqual(0, rc)
        report = json.loads(out.getvalue())
        n_all = sessions_of(self.all)
        self.assertEqual(n_all, report["split"]["baselinesFittedOn"]["sessions"] + report["split"]["scored"]["sessions"])
        for name in ("model", "lrCounts", "lrSameFeatures"):
            self.assertIsNotNone(report["prefix"][name]["rocAuc"])
            self.assertIsNotNone(report["bootstrap"]["prefixRocAuc95"][name])

    def test_score_model_refuses_a_log_with_one_class_and_says_why(self):
        path = os.path.join(self.tmp, "no-orders.jsonl")
        common.write_events(path, [e for e in common.read_events(self.all) if e["type"] != "order"])
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            rc = ti.score_shipped(["--model-dir", self.out, "--events", path, "--session-gap-minutes", "0"])
        self.assertEqual(2, rc)
        self.assertIn("need both classes", err.getvalue())


class SessionsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="intent-sessions-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def load(self, events, gap):
        path = os.path.join(self.tmp, "e.jsonl")
        common.write_events(path, events)
        return [[e["eventId"] for e in s] for s in ti.load_sessions([path], gap)]

    def test_a_gap_at_least_the_session_gap_starts_a_new_session_like_the_job(self):
        m = 60_000
        ev = [{"eventId": f"e{k}", "userId": "u", "type": "view", "ts": t} for k, t in enumerate([0, 29 * m, 59 * m, 70 * m])]
        self.assertEqual([["e0", "e1"], ["e2", "e3"]], self.load(ev, 30))
        self.assertEqual([["e0", "e1", "e2", "e3"]], self.load(ev, 0))

    def test_a_stores_own_session_id_groups_events_whatever_the_gap(self):
        m = 60_000
        ev = [{"eventId": "a1", "userId": "u", "sessionId": "A", "type": "view", "ts": 0},
              {"eventId": "b1", "userId": "u", "sessionId": "B", "type": "view", "ts": 1 * m},
              {"eventId": "a2", "userId": "u", "sessionId": "A", "type": "view", "ts": 90 * m},
              {"eventId": "x1", "userId": "u", "type": "view", "ts": 91 * m}]
        self.assertEqual([["a1", "a2"], ["b1"], ["x1"]], self.load(ev, 30))

    def test_bought_before_marks_events_after_the_users_first_order(self):
        path = os.path.join(self.tmp, "e.jsonl")
        common.write_events(path, [{"eventId": "1", "userId": "u", "type": "view", "ts": 0},
                                   {"eventId": "2", "userId": "u", "type": "order", "ts": 1000},
                                   {"eventId": "3", "userId": "u", "type": "view", "ts": 10 ** 8}])
        marks = [(e["eventId"], e[ti.BOUGHT_BEFORE]) for s in ti.load_sessions([path], 30) for e in s]
        self.assertEqual([("1", False), ("2", False), ("3", True)], marks)


if __name__ == "__main__":
    unittest.main()
