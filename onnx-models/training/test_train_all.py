"""train_all.py: it runs under the pinned venv and merges manifest parts (no dataset, about 1 s).

  PY=$(onnx-models/training/setup-venv.sh); "$PY" -m unittest discover -s onnx-models/training -p 'test_*.py'
"""
import json
import os
import shutil
import tempfile
import unittest

import train_all


class TrainAllTest(unittest.TestCase):
    def test_the_venv_that_runs_the_tests_is_the_pinned_environment(self):
        self.assertEqual(train_all.environment_mismatches(), [])

    def test_a_python_with_other_versions_is_named_package_by_package(self):
        tmp = tempfile.mkdtemp(prefix="train-all-")
        self.addCleanup(shutil.rmtree, tmp, True)
        req = os.path.join(tmp, "requirements.txt")
        with open(req, "w", encoding="utf-8") as f:
            f.write("# comment\nnumpy==0.0.1\nno-such-package-xyz==1.0\n")
        bad = train_all.environment_mismatches(req)
        self.assertEqual(len(bad), 2)
        self.assertTrue(bad[0].startswith("numpy: want 0.0.1, have "))
        self.assertEqual(bad[1], "no-such-package-xyz: want 1.0, have None")

    def test_merge_only_merges_the_parts_on_disk_and_refuses_a_stale_export(self):
        tmp = tempfile.mkdtemp(prefix="train-all-")
        self.addCleanup(shutil.rmtree, tmp, True)
        shutil.copyfile(os.path.join(train_all.MODELS, "feature_spec.json"), os.path.join(tmp, "feature_spec.json"))
        shutil.copytree(os.path.join(train_all.MODELS, "demo-taobao", "recommend"), os.path.join(tmp, "recommend"))
        old = train_all.MODELS
        train_all.MODELS = tmp
        self.addCleanup(setattr, train_all, "MODELS", old)
        with open(os.path.join(tmp, "recommend", "manifest.part.json"), encoding="utf-8") as f:
            part = json.load(f)
        out, names = train_all.merge_manifest()
        self.assertEqual(names, ["recommend"])
        with open(out, encoding="utf-8") as f:
            self.assertEqual(json.load(f)["models"]["recommend"], part)
        with open(os.path.join(tmp, "recommend", "recommend.onnx"), "ab") as f:
            f.write(b"\0")
        with self.assertRaises(SystemExit) as e:
            train_all.merge_manifest()
        self.assertIn("sha256", str(e.exception.code))


if __name__ == "__main__":
    unittest.main()
