"""Specifications of train_recommend.py that need no dataset (tiny synthetic sessions, about 10 s):

  PY=$(onnx-models/training/setup-venv.sh); "$PY" -m unittest discover -s onnx-models/training -p 'test_*.py'
"""
import contextlib
import io
import json
import math
import os
import shutil
import tempfile
import unittest

import numpy as np
import onnx
import torch

import common
import train_recommend as tr

ROOT = tr.ROOT


def write_sessions(path, sessions, start_ms):
    events = []
    for s, items in enumerate(sessions):
        for t, it in enumerate(items):
            events.append({"eventId": f"e-{s}-{t}", "userId": f"u{s}", "type": "view",
                           "ts": common.iso(start_ms + s * 60_000 + t * 1_000), "itemId": it})
    common.write_events(path, events)


class TrainRecommendTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="train-recommend-test-")
        rng = np.random.RandomState(3)
        items = [f"i{k}" for k in range(40)]
        # chains i0 -> i1 -> i2 ... with noise, so the model has something to learn
        def session():
            a = rng.randint(0, 38)
            return [items[a + j] if rng.rand() > 0.2 else items[rng.randint(0, 40)] for j in range(3)]
        cls.train = os.path.join(cls.tmp, "train.jsonl")
        cls.test = os.path.join(cls.tmp, "test.jsonl")
        write_sessions(cls.train, [session() for _ in range(300)], 1_700_000_000_000)
        write_sessions(cls.test, [session() for _ in range(60)] + [["i0", "never-seen"]], 1_700_100_000_000)
        # the spec lives in one folder, the output in another: the scratch run of the defect
        cls.spec_dir = os.path.join(cls.tmp, "spec")
        os.makedirs(cls.spec_dir)
        cls.spec = os.path.join(cls.spec_dir, "feature_spec.json")
        shutil.copyfile(os.path.join(ROOT, "onnx-models", "feature_spec.json"), cls.spec)
        cls.out = os.path.join(cls.tmp, "out", "recommend")
        tr.main(["--train-events", cls.train, "--test-events", cls.test, "--spec", cls.spec, "--out-dir", cls.out,
                 "--golden", os.path.join(cls.tmp, "golden.json"), "--val-days", "0.0001", "--max-epochs", "2",
                 "--dropouts", "0.2", "--sknn-k", "5", "--bootstrap", "20", "--min-count", "2"])
        with open(os.path.join(cls.out, "manifest.part.json"), encoding="utf-8") as f:
            cls.part = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_the_vocabulary_is_written_beside_the_model_never_next_to_the_spec(self):
        self.assertTrue(os.path.isfile(os.path.join(self.out, "items.txt")))
        self.assertFalse(os.path.exists(os.path.join(self.spec_dir, "recommend")),
                         "a run with --out-dir elsewhere wrote next to --spec")
        with open(os.path.join(self.out, "items.txt"), encoding="utf-8") as f:
            vocab = f.read().split("\n")[:-1]
        self.assertEqual(self.part["vocabularies"][0]["size"], len(vocab))
        self.assertEqual(self.part["vocabularies"][0]["sha256"], common.sha256_file(os.path.join(self.out, "items.txt")))

    def test_min_count_keeps_only_items_seen_that_often(self):
        sessions = [(0, 0, 0, ["a", "b", "a"]), (1, 0, 0, ["c", "a", "b"])]
        vocab, _ = tr.build_vocab(sessions, min_count=2)
        self.assertEqual(vocab, [tr.PAD, tr.UNK, "a", "b"])  # a 3x, b 2x, c once

    def test_the_graph_outputs_probabilities_of_the_tempered_softmax(self):
        with open(os.path.join(self.tmp, "golden.json"), encoding="utf-8") as f:
            golden = json.load(f)
        T = self.part["scores"]["temperature"]
        self.assertEqual(self.part["scores"]["kind"], "probability")
        for c in golden["cases"]:
            sc = np.array(c["outputs"]["topk_scores"]["data"])
            self.assertTrue(((sc >= 0) & (sc <= 1)).all())
            self.assertLessEqual(sc.sum(), 1.0 + 1e-5)
            self.assertTrue((np.diff(sc) <= 1e-7).all(), "best first")
        self.assertGreater(T, 0)

    def test_calibration_is_measured_on_every_next_item_event(self):
        cal = self.part["calibration"]["test"]
        # 60 sessions of 3 items + one of 2 items: 121 next item events, the unseen one included as a miss
        self.assertEqual(cal["before"]["predictions"], 60 * 2 + 1)
        self.assertEqual(cal["after"]["temperature"], self.part["scores"]["temperature"])
        self.assertLessEqual(cal["after"]["top20LogLoss"], cal["before"]["top20LogLoss"] + 0.05)

    def test_temperature_fit_recovers_a_known_temperature(self):
        # a 'model' whose logits are exactly log p_true * 3 (over-confident by 3): the fit must find T close to 3
        torch.manual_seed(0)
        V, d, n = 40, 40, 4000
        model = tr.SASRec(V, 20, d, 1, 1, 0.0)
        with torch.no_grad():
            model.item.weight.copy_(torch.eye(V, d))
        true_logits = torch.randn(n, V) * 1.5
        true_logits[:, :2] = -1e9
        S = true_logits * 3.0  # states . I = logits
        p = torch.softmax(true_logits, -1)
        y = torch.multinomial(p, 1).squeeze(1).numpy()
        T = tr.fit_temperature(model, S, y, 20)
        self.assertTrue(2.5 < T < 3.6, T)
        before = tr.calibration(model, S, y, 1.0, 20)["eceTop1"]
        after = tr.calibration(model, S, y, T, 20)["eceTop1"]
        self.assertLess(after, before)


class BaselineDefinitionTest(unittest.TestCase):
    """The in-trainer baselines pinned on a toy fixture computed by hand (training/README.md, "Baselines")."""
    # fitted sessions (key, start, end, items); s2 views b twice
    SESSIONS = [(0, 0, 1, ["a", "b"]), (1, 0, 2, ["a", "c"]), (2, 0, 3, ["b", "c", "b", "d"]), (3, 0, 4, ["e"])]
    INDEX = {tr.PAD: 0, tr.UNK: 1, "a": 2, "b": 3, "c": 4, "d": 5, "e": 6}

    def scores(self, fn):
        return fn(slice(0, 1))[0]

    def rank(self, fn, item):
        return int(tr.ranks(fn, np.array([self.INDEX[item]]))[0])

    def setUp(self):
        self.b = tr.Baselines(self.SESSIONS, self.INDEX, 7)
        self.X = np.zeros((1, 20), dtype=np.int64)
        self.query = [[self.INDEX["a"], self.INDEX["b"]]]  # the prefix a, b

    def test_sknn_is_cosine_over_item_sets_summed_over_the_k_nearest(self):
        # cosine to {a, b}: s0 2/sqrt(2*2) = 1, s1 1/sqrt(2*2) = 0.5, s2 1/sqrt(2*3) (distinct items), s3 0 (no overlap)
        c2 = 1 / math.sqrt(6)
        s = self.scores(self.b.sknn(self.X, self.query, k=2))  # neighbours s0, s1
        np.testing.assert_allclose(s[2:], [1.5, 1.0, 0.5, 0.0, 0.0])
        s = self.scores(self.b.sknn(self.X, self.query, k=3))
        np.testing.assert_allclose(s[2:], [1.5, 1.0 + c2, 0.5 + c2, c2, 0.0])

    def test_sknn_samples_the_most_recent_candidate_sessions(self):
        # sample 2 of the candidates s0, s1, s2: the two whose last event is latest, s2 and s1
        c2 = 1 / math.sqrt(6)
        s = self.scores(self.b.sknn(self.X, self.query, k=3, sample=2))
        np.testing.assert_allclose(s[2:], [0.5, c2, 0.5 + c2, c2, 0.0])

    def test_ties_are_counted_pessimistically(self):
        # k 2: d and e both score 0; d ranks behind a, b, c and its tie e: 5 (no popularity tie-break)
        self.assertEqual(self.rank(self.b.sknn(self.X, self.query, k=2), "d"), 5)
        # sample 2: b ties d at 1/sqrt(6), behind c and a: 4
        self.assertEqual(self.rank(self.b.sknn(self.X, self.query, k=3, sample=2), "b"), 4)

    def test_popularity_counts_item_events(self):
        # events: a 2, b 3 (s2 views it twice), c 2, d 1, e 1 (sessions holding them would tie a, b and c at 2)
        np.testing.assert_allclose(self.scores(self.b.popularity(self.X))[2:], [2, 3, 2, 1, 1])
        self.assertEqual(self.rank(self.b.popularity(self.X), "b"), 1)
        self.assertEqual(self.rank(self.b.popularity(self.X), "a"), 3)  # behind b, tied with c
        self.assertEqual(self.rank(self.b.popularity(self.X), "e"), 5)


class SplitAndStoppingTest(unittest.TestCase):
    def sessions(self, hours):
        start = 1_700_000_000_000
        return [(i, start + i * 600_000, start + i * 600_000 + 60_000, ["a", "b"]) for i in range(int(hours * 6))]

    def test_less_than_a_day_of_history_with_the_default_val_days_stops_naming_the_flag(self):
        with self.assertRaises(SystemExit) as e:
            tr.validation_split(self.sessions(hours=5), 1.0)
        self.assertIn("--val-days 1 leaves 0 tuning-train", str(e.exception.code))
        self.assertIn("pass a --val-days below that span", str(e.exception.code))

    def test_a_val_days_within_the_history_splits_by_session_end(self):
        ss = self.sessions(hours=5)
        cut, tr_s, va_s = tr.validation_split(ss, 1 / 24)  # the last hour
        self.assertEqual(len(tr_s) + len(va_s), len(ss))
        self.assertTrue(all(s[2] <= cut for s in tr_s) and all(s[2] > cut for s in va_s))
        self.assertEqual(len(va_s), 6)

    def test_the_documented_command_on_hours_of_history_fails_with_that_message_not_a_zero_division(self):
        tmp = tempfile.mkdtemp(prefix="val-days-")
        self.addCleanup(shutil.rmtree, tmp, True)
        path = os.path.join(tmp, "events.jsonl")
        write_sessions(path, [["i1", "i2", "i3"]] * 30, 1_700_000_000_000)  # 30 minutes of history
        with self.assertRaises(SystemExit) as e:
            tr.main(["--train-events", path, "--test-events", path, "--out-dir", os.path.join(tmp, "out"),
                     "--golden", os.path.join(tmp, "g.json")])
        self.assertIn("--val-days", str(e.exception.code))
        self.assertFalse(os.path.exists(os.path.join(tmp, "out")))

    def test_with_events_a_test_days_that_leaves_no_earlier_part_names_the_flag(self):
        with self.assertRaises(SystemExit) as e:
            tr.time_split(self.sessions(hours=5), 1.0, "--test-days")
        self.assertIn("--test-days 1 leaves 0 earlier", str(e.exception.code))

    def test_stopping_says_patience_or_warns_at_the_cap(self):
        self.assertEqual(tr.stopping(best_epoch=5, epochs_run=9, max_epochs=60, patience=4), "patience")
        self.assertEqual(tr.stopping(best_epoch=58, epochs_run=60, max_epochs=60, patience=4), "cap")

    def test_the_help_documents_the_seed_and_the_stopping_rule(self):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), self.assertRaises(SystemExit):
            tr.main(["--help"])
        self.assertIn("--seed", buf.getvalue())
        self.assertIn("stop tuning after this many epochs without a better validation", " ".join(buf.getvalue().split()))


if __name__ == "__main__":
    unittest.main()
