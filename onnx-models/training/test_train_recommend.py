"""Specifications of train_recommend.py that need no dataset (tiny synthetic sessions, about 10 s):

  /usr/bin/python3 -m unittest discover -s onnx-models/training -p 'test_*.py'
"""
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
        cls.part = json.load(open(os.path.join(cls.out, "manifest.part.json")))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_the_vocabulary_is_written_beside_the_model_never_next_to_the_spec(self):
        self.assertTrue(os.path.isfile(os.path.join(self.out, "items.txt")))
        self.assertFalse(os.path.exists(os.path.join(self.spec_dir, "recommend")),
                         "a run with --out-dir elsewhere wrote next to --spec")
        vocab = open(os.path.join(self.out, "items.txt"), encoding="utf-8").read().split("\n")[:-1]
        self.assertEqual(self.part["vocabularies"][0]["size"], len(vocab))
        self.assertEqual(self.part["vocabularies"][0]["sha256"], common.sha256_file(os.path.join(self.out, "items.txt")))

    def test_min_count_keeps_only_items_seen_that_often(self):
        sessions = [(0, 0, 0, ["a", "b", "a"]), (1, 0, 0, ["c", "a", "b"])]
        vocab, _ = tr.build_vocab(sessions, min_count=2)
        self.assertEqual(vocab, [tr.PAD, tr.UNK, "a", "b"])  # a 3x, b 2x, c once

    def test_the_graph_outputs_probabilities_of_the_tempered_softmax(self):
        golden = json.load(open(os.path.join(self.tmp, "golden.json")))
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


if __name__ == "__main__":
    unittest.main()
