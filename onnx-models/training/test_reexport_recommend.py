"""Specifications of reexport_recommend.py's weight read-back and of the probability head it exports (no dataset,
a few seconds): every graph layout the shipped models have had reads back into the same weights.

  PY=$(onnx-models/training/setup-venv.sh); "$PY" -m unittest discover -s onnx-models/training -p 'test_*.py'
"""
import json
import os
import shutil
import tempfile
import unittest

import numpy as np
import torch

import reexport_recommend as rx
import train_recommend as tr

SPEC = json.load(open(os.path.join(tr.ROOT, "onnx-models", "feature_spec.json"), encoding="utf-8"))["recommend"]
V, K, T = 60, 20, 1.7


def random_model(seed=5):
    """A SASRec of the spec's shape with every weight random (LayerNorm and biases too, so none reads back by luck)."""
    torch.manual_seed(seed)
    m = tr.SASRec(V, SPEC["windowSize"], SPEC["embeddingDim"], SPEC["layers"], SPEC["heads"], 0.0)
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.randn_like(p) * 0.3)
    return m.eval()


class ReadBackTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="reexport-recommend-test-")
        cls.model = random_model()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def export(self, name, graph, temperature):
        path = os.path.join(self.tmp, name)
        tr.export_onnx(self.model, K, SPEC["windowSize"], V, path, graph, temperature)
        return path

    def assert_same_weights(self, path):
        got = rx.load_weights(path, SPEC).state_dict()
        for k, v in self.model.state_dict().items():
            self.assertTrue(torch.equal(got[k], v), f"{k} read back from {os.path.basename(path)} differs")

    def test_the_last_query_probability_graph_reads_back_into_the_same_weights(self):
        path = self.export("last-query.onnx", "last-query", T)
        self.assertTrue(rx.last_query_graph(path, SPEC["layers"]))
        self.assert_same_weights(path)

    def test_the_full_logits_graph_reads_back_into_the_same_weights(self):
        path = self.export("full-logits.onnx", "full", None)
        self.assertFalse(rx.last_query_graph(path, SPEC["layers"]))
        self.assert_same_weights(path)

    def test_the_source_temperature_is_the_manifests_for_a_probability_graph_and_none_for_logits(self):
        part = {"scores": {"temperature": T}}
        self.assertEqual(rx.source_temperature(self.export("p.onnx", "last-query", T), part), T)
        self.assertIsNone(rx.source_temperature(self.export("l.onnx", "last-query", None), part))
        with self.assertRaises(SystemExit):
            rx.source_temperature(self.export("p2.onnx", "last-query", T), {})


class ProbabilityHeadTest(unittest.TestCase):
    def test_it_is_the_tempered_softmax_over_the_vocabulary_with_pad_and_unknown_never_listed(self):
        model = random_model(seed=8)
        x = torch.randint(0, V, (16, SPEC["windowSize"]))
        x[:, :5] = 0  # left padding
        with torch.no_grad():
            ids, p = tr.Exported(model, K, "last-query", T)(x)
            want_p, want_ids = torch.topk(torch.softmax(model.scores(x, True) / T, dim=-1), K, dim=-1)
        self.assertTrue(torch.equal(ids, want_ids))
        self.assertTrue(bool((ids > 1).all()))
        np.testing.assert_allclose(p.numpy(), want_p.numpy(), rtol=1e-5)


class SameOutputsTest(unittest.TestCase):
    def test_lists_that_differ_only_in_the_order_of_exactly_tied_scores_are_counted_as_such(self):
        ids_a = np.array([[5, 6, 7], [5, 6, 7], [5, 6, 7]])
        sc_a = np.array([[0.5, 0.2, 0.2], [0.5, 0.3, 0.2], [0.5, 0.2, 0.2]], dtype=np.float32)
        ids_b = np.array([[5, 7, 6], [5, 7, 6], [5, 6, 8]])
        sc_b = sc_a * np.float32(1 + 1e-6)
        got = rx.same_outputs(ids_a, sc_a, ids_b, sc_b)
        self.assertEqual((got["identicalTopKIds"], got["differOnlyAtExactTies"]), (0, 1))
        self.assertAlmostEqual(got["maxRelativeScoreDiff"], 1e-6, delta=2e-7)


if __name__ == "__main__":
    unittest.main()
