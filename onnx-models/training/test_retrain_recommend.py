"""The recommender's retrain path as a store follows it, end to end on a committed fixture (about 15 s):
fixtures/taobao_recommend.jsonl, cut from the bundled Taobao demo slice by fixtures/make_recommend_fixture.py.

  PY=$(onnx-models/training/setup-venv.sh); "$PY" -m unittest discover -s onnx-models/training -p 'test_*.py'
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnxruntime as ort

import common
import train_recommend as tr

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "fixtures", "taobao_recommend.jsonl")
# The command of training/README.md "Retraining on your own store's history", scaled to the fixture's two hours
# (--test-days / --val-days of about half an hour each) and with a small bootstrap.
RETRAIN = ["--events", FIXTURE, "--session-gap-minutes", "30", "--test-days", "0.02", "--val-days", "0.02",
           "--sknn-k", "20", "50", "--bootstrap", "100", "--seed", "7", "--training-data", "fixture"]


def run(script, args):
    p = subprocess.run([sys.executable, os.path.join(HERE, script)] + args, capture_output=True, text=True,
                       cwd=tr.ROOT, timeout=300)
    return p.returncode, p.stdout, p.stderr


def report_rows(stdout):
    """name -> (HitRate@20, MRR@20) of the report table the command prints."""
    rows = {}
    for line in stdout.splitlines():
        f = line.split()
        if len(f) >= 4 and (f[0] in ("sasrec", "model", "popularity") or f[0].startswith("sknn(k=")):
            try:
                rows[f[0]] = (float(f[1]), float(line.split("]")[1].split()[0]))
            except (IndexError, ValueError):
                pass
    return rows


class RetrainRecommendOnAStoreLogTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="retrain-recommend-")
        cls.out = os.path.join(cls.tmp, "recommend")
        cls.golden = os.path.join(cls.tmp, "golden", "recommend.json")
        cls.rc, cls.stdout, cls.stderr = run("train_recommend.py", RETRAIN + [
            "--out-dir", cls.out, "--golden", cls.golden, "--manifest", os.path.join(cls.tmp, "manifest.json")])
        if cls.rc != 0:
            raise AssertionError(f"retrain failed ({cls.rc}):\n{cls.stdout[-3000:]}\n{cls.stderr[-3000:]}")
        with open(os.path.join(cls.out, "manifest.part.json"), encoding="utf-8") as f:
            cls.part = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_it_writes_the_model_its_vocabulary_manifest_part_and_golden_into_the_out_dir(self):
        onnx_path = os.path.join(self.out, "recommend.onnx")
        self.assertEqual(common.sha256_file(onnx_path), self.part["sha256"])
        self.assertEqual(common.sha256_file(os.path.join(self.out, "items.txt")), self.part["vocabularies"][0]["sha256"])
        self.assertTrue(os.path.isfile(self.golden))
        with open(os.path.join(self.tmp, "manifest.json"), encoding="utf-8") as f:
            self.assertEqual(json.load(f)["models"]["recommend"]["sha256"], self.part["sha256"])
        self.assertIn("onnx-models/training/train_recommend.py --events", self.part["command"])
        self.assertEqual(self.part["training"]["seed"], 7)

    def test_the_exported_onnx_scores_in_onnx_runtime_as_torch_does(self):
        sess = ort.InferenceSession(os.path.join(self.out, "recommend.onnx"), providers=["CPUExecutionProvider"])
        with open(self.golden, encoding="utf-8") as f:
            golden = json.load(f)
        cases = golden["cases"] + golden["trimmedCases"]
        self.assertGreaterEqual(len(cases), 13)
        for c in cases:
            x = np.array(c["inputs"]["items"]["data"], dtype=np.int64).reshape(c["inputs"]["items"]["shape"])
            ids, sc = sess.run(["topk_ids", "topk_scores"], {"items": x})
            want_sc = np.array(c["outputs"]["topk_scores"]["data"]).reshape(sc.shape)
            want_ids = np.array(c["outputs"]["topk_ids"]["data"]).reshape(ids.shape)
            self.assertLess(float(np.abs(sc - want_sc).max()), 1e-4, c["note"])
            # ids must agree wherever the scores are not (near) ties
            gap = np.abs(np.diff(want_sc, axis=1, prepend=np.inf)) > 1e-5
            gap &= np.abs(np.diff(want_sc, axis=1, append=-np.inf)) > 1e-5
            np.testing.assert_array_equal(ids[gap], want_ids[gap], c["note"])

    def test_the_best_epoch_is_not_the_cap_and_the_run_says_how_it_stopped(self):
        t = self.part["training"]
        self.assertEqual(t["stoppedBy"], "patience")
        self.assertLess(t["bestEpoch"], t["maxEpochs"])
        self.assertEqual(t["epochsRun"], t["bestEpoch"] + t["patience"])
        self.assertEqual(len(self.part["tuning"]["sasrec"][str(t["dropout"])]["history"]), t["epochsRun"])

    def test_the_printed_report_has_the_model_next_to_its_baselines(self):
        rows = report_rows(self.stdout)
        self.assertEqual({"sasrec", "popularity"}, {n for n in rows if not n.startswith("sknn")})
        self.assertTrue(any(n.startswith("sknn(k=") for n in rows), self.stdout[-2000:])
        got = self.part["metrics"]["testAllNextItems"]
        self.assertEqual(rows["sasrec"], (got["sasrec"]["hitRate@20"], got["sasrec"]["mrr@20"]))
        self.assertEqual(rows["popularity"], (got["popularity"]["hitRate@20"], got["popularity"]["mrr@20"]))

    def test_the_popularity_baseline_is_the_hand_count_of_item_events(self):
        # independent of Baselines: count item events in the training part, rank pessimistically, over every next
        # item event of the test part (outside the vocabulary: a miss)
        types = {"view", "add_to_cart", "remove_from_cart", "reco_click"}
        sessions = tr.load_sessions(FIXTURE, types, 30)
        cut = max(s[2] for s in sessions) - int(0.02 * 86_400_000)
        train = [s for s in sessions if s[2] <= cut and len(s[3]) >= 2]
        test = [s for s in sessions if s[1] > cut and len(s[3]) >= 2]
        with open(os.path.join(self.out, "items.txt"), encoding="utf-8") as f:
            vocab = set(f.read().split("\n")[2:-1])
        count = {}
        for s in train:
            for it in s[3]:
                count[it] = count.get(it, 0) + 1
        hits = rr = n = 0
        for s in test:
            for target in s[3][1:]:
                n += 1
                if target in vocab:
                    rank = sum(1 for c in count.values() if c >= count[target])
                    if rank <= 20:
                        hits, rr = hits + 1, rr + 1 / rank
        got = self.part["metrics"]["testAllNextItems"]["popularity"]
        self.assertEqual(self.part["metrics"]["testAllNextItems"]["predictions"], n)
        self.assertAlmostEqual(got["hitRate@20"], round(hits / n, 4))
        self.assertAlmostEqual(got["mrr@20"], round(rr / n, 4))

    def test_the_same_seed_gives_the_same_metrics(self):
        out = os.path.join(self.tmp, "again")
        rc, stdout, stderr = run("train_recommend.py", RETRAIN + [
            "--out-dir", out, "--golden", os.path.join(self.tmp, "golden-again.json")])
        self.assertEqual(rc, 0, stderr[-2000:])
        with open(os.path.join(out, "manifest.part.json"), encoding="utf-8") as f:
            again = json.load(f)
        self.assertEqual(again["metrics"], self.part["metrics"])
        untimed = lambda h: [{k: v for k, v in e.items() if k != "seconds"} for e in h]  # noqa: E731
        self.assertEqual(untimed(again["training"]["history"]), untimed(self.part["training"]["history"]))

    def test_score_model_scores_the_exported_model_on_the_store_log_next_to_the_baselines(self):
        js = os.path.join(self.tmp, "score.json")
        rc, stdout, stderr = run("score_model.py", ["recommend", "--model-dir", self.out, "--events", FIXTURE,
                                                     "--test-days", "0.02", "--bootstrap", "100", "--json", js])
        self.assertEqual(rc, 0, stderr[-2000:])
        with open(js, encoding="utf-8") as f:
            res = json.load(f)["allNextItems"]
        rows = report_rows(stdout)
        self.assertEqual(set(rows), {"model", "popularity", "sknn(k=100)"})
        # the same later sessions, the same vocabulary, baselines fitted on the same earlier part: the ONNX model
        # in ORT must score what the trainer measured with torch, and popularity exactly as in the trainer
        trained = self.part["metrics"]["testAllNextItems"]
        self.assertEqual(res["predictions"], trained["predictions"])
        self.assertAlmostEqual(res["model"]["hitRate@20"], trained["sasrec"]["hitRate@20"], delta=0.02)
        self.assertEqual(res["popularity"]["hitRate@20"], trained["popularity"]["hitRate@20"])
        for n in ("popularity", "sknn(k=100)"):
            lo, hi = res[n]["modelMinusThis.hitRate@2095"]
            self.assertLessEqual(lo, hi)
            lo, hi = res[n]["modelMinusThis.mrr@2095"]
            self.assertLessEqual(lo, hi)

    def test_score_model_refuses_a_vocabulary_that_is_not_the_models(self):
        bad = os.path.join(self.tmp, "bad", "recommend")
        shutil.copytree(self.out, bad)
        with open(os.path.join(bad, "items.txt"), "a", encoding="utf-8") as f:
            f.write("an-extra-item\n")
        rc, _, stderr = run("score_model.py", ["recommend", "--model-dir", bad, "--events", FIXTURE])
        self.assertNotEqual(rc, 0)
        self.assertIn("sha256", stderr)

    def test_intent_and_churn_dispatch_to_their_trainers_score_shipped(self):
        import contextlib
        import io
        import score_model
        self.assertEqual(set(score_model.DELEGATED), {"intent", "churn"})
        for model, module in score_model.DELEGATED.items():
            with self.subTest(model=model):
                self.assertTrue(hasattr(__import__(module), "score_shipped"), f"{module}.score_shipped is missing")
                out = io.StringIO()
                # --help reaches the trainer's own parser: the dispatcher passes the remaining arguments through
                with contextlib.redirect_stdout(out), self.assertRaises(SystemExit) as done:
                    score_model.main([model, "--help"])
                self.assertEqual(done.exception.code, 0)
                self.assertIn("--events", out.getvalue())
                self.assertIn("--model-dir", out.getvalue())

if __name__ == "__main__":
    unittest.main()
