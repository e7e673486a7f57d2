"""Specifications of train_review.py that need no dataset (an untrained model, a few seconds):

  onnx-models/.venv/bin/python -m unittest discover -s onnx-models/training -p 'test_train_review.py'
"""
import os
import tempfile
import unittest

import numpy as np
import torch

import train_review as tr

try:
    import onnxruntime  # noqa: F401
    HAS_ORT = True
except ImportError:  # Debian's python3 has no onnxruntime: the export check needs the trainer venv
    HAS_ORT = False

SPEC = tr.load_spec(os.path.join(tr.MODELS, "feature_spec.json"))


def model(seed=1):
    torch.manual_seed(seed)
    enc = tr.ReviewEncoder(int(SPEC["vocabSize"]), int(SPEC["maxTokens"]), 16, 16, 2, 2, 32, 8, 0.0,
                           int(SPEC["padId"])).eval()
    return tr.Serving(enc, 1.3, 0.9).eval()


class TokenIdsTest(unittest.TestCase):
    def test_cls_then_each_utf8_byte_plus_the_offset(self):
        ids = tr.token_ids("Aé好", SPEC)
        expected = [SPEC["clsId"]] + [b + SPEC["byteOffset"] for b in "Aé好".encode("utf-8")]
        self.assertEqual(ids, expected)
        self.assertEqual(len(ids), 1 + 1 + 2 + 3)

    def test_empty_text_is_the_cls_token_alone(self):
        self.assertEqual(tr.token_ids("", SPEC), [SPEC["clsId"]])

    def test_at_most_max_tokens_even_inside_a_multibyte_character(self):
        n = int(SPEC["maxTokens"])
        text = "x" * (n - 3) + "好"  # the 3-byte character starts at byte n - 3: its last byte is cut
        ids = tr.token_ids(text, SPEC)
        self.assertEqual(len(ids), n)
        self.assertEqual(ids[-2:], [b + SPEC["byteOffset"] for b in "好".encode("utf-8")[:2]])

    def test_no_normalisation(self):
        self.assertNotEqual(tr.token_ids("Not good", SPEC), tr.token_ids("not good", SPEC))
        self.assertNotEqual(tr.token_ids("\u00e9", SPEC), tr.token_ids("e\u0301", SPEC))

    def test_pad_batch_right_pads_with_pad_id_to_the_longest_row(self):
        x = tr.pad_batch([[1, 5], [1, 6, 7, 8], [1]], int(SPEC["padId"]))
        self.assertEqual(x.shape, (3, 4))
        self.assertEqual(x[2].tolist(), [1] + [SPEC["padId"]] * 3)


class PaddingInvarianceTest(unittest.TestCase):
    def test_a_rows_outputs_do_not_depend_on_the_batch_width(self):
        m = model()
        rng = np.random.default_rng(5)
        texts = ["ok", "好" * 40, "", "a" * 300] + ["".join(chr(c) for c in rng.integers(32, 127, k)) for k in (7, 9, 63)]
        rows = [tr.token_ids(t, SPEC) for t in texts]
        with torch.no_grad():
            pb, rb = m(torch.from_numpy(tr.pad_batch(rows, 0)))
            for i, r in enumerate(rows):
                p1, r1 = m(torch.tensor([r]))
                # and padded further than any batch would (to the full window)
                wide = np.zeros((1, int(SPEC["maxTokens"])), np.int64)
                wide[0, :len(r)] = r
                pw, rw = m(torch.from_numpy(wide))
                for got in (pb[i], pw[0]):
                    self.assertAlmostEqual(float(got), float(p1[0]), delta=1e-6)
                self.assertAlmostEqual(float(rb[i]), float(r1[0]), delta=1e-6)
                self.assertAlmostEqual(float(rw[0]), float(r1[0]), delta=1e-6)

    def test_rating_is_an_expected_star_count_and_p_negative_a_probability(self):
        with torch.no_grad():
            p, r = model()(torch.from_numpy(tr.pad_batch([tr.token_ids(t, SPEC) for t in ("great", "bad", "")], 0)))
        self.assertTrue(((p > 0) & (p < 1)).all())
        self.assertTrue(((r >= 1) & (r <= 5)).all())


class MetricsTest(unittest.TestCase):
    def test_threshold_maximises_macro_f1_on_separable_scores(self):
        y = np.array([0] * 50 + [1] * 50)
        p = np.concatenate([np.linspace(0.0, 0.4, 50), np.linspace(0.6, 1.0, 50)])
        thr = tr.best_threshold(y, p)
        self.assertTrue(0.4 < thr <= 0.6)
        self.assertEqual(tr.macro_f1(y, (p >= thr).astype(int)), 1.0)

    def test_ece_is_zero_when_frequencies_match_and_large_when_they_do_not(self):
        y = np.array([1, 0] * 500)
        self.assertLess(tr.ece(y, np.full(1000, 0.5)), 1e-9)
        self.assertAlmostEqual(tr.ece(y, np.full(1000, 0.9)), 0.4, places=6)

    def test_temperature_fit_recovers_an_over_confident_scale(self):
        rng = np.random.default_rng(2)
        z = rng.normal(0, 2, 20000)
        y = (rng.random(20000) < tr.sigmoid(z)).astype(int)
        t = tr.fit_temperature(lambda t: tr.neg_nll(y, 3 * z, t))
        self.assertAlmostEqual(t, 3.0, delta=0.15)


@unittest.skipUnless(HAS_ORT, "needs onnxruntime (the trainer venv, setup-venv.sh)")
class ExportTest(unittest.TestCase):
    def test_onnx_export_matches_pytorch_at_every_width(self):
        import onnxruntime as ort
        m = model()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "review.onnx")
            ex = torch.from_numpy(tr.pad_batch([tr.token_ids("abc", SPEC), tr.token_ids("de", SPEC)], 0))
            torch.onnx.export(m, (ex,), path, opset_version=17, input_names=["input_ids"],
                              output_names=["p_negative", "rating"], dynamo=False,
                              dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "p_negative": {0: "batch"},
                                            "rating": {0: "batch"}})
            s = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
            for texts in (["x"], ["hello", "好" * 30], ["a" * 400, "", "mid length text here"]):
                x = tr.pad_batch([tr.token_ids(t, SPEC) for t in texts], 0)
                with torch.no_grad():
                    tp, trr = m(torch.from_numpy(x))
                op, orr = s.run(None, {"input_ids": x})
                self.assertLess(float(np.abs(op - tp.numpy()).max()), 1e-5)
                self.assertLess(float(np.abs(orr - trr.numpy()).max()), 1e-5)


if __name__ == "__main__":
    unittest.main()
