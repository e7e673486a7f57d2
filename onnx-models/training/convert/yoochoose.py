"""YooChoose (session-rec 100k sample) -> event JSON.

Input: tab-separated `SessionId ItemId Time` (unix seconds, fractional). Each click becomes a
`view` event with itemId; userId = "yc-<SessionId>". Order within a session: by time, then file
order. Usage:
  python3 convert/yoochoose.py --datasets ../shared/datasets --out onnx-models/work/events
"""
import argparse
import os
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import iso, write_events  # noqa: E402

FOLDER = "yoochoose-sessionrec"
FILES = {"train": "yoochoose-clicks-100k_train_full.txt", "test": "yoochoose-clicks-100k_test.txt"}


def convert_file(src, prefix):
    df = pd.read_csv(src, sep="\t", dtype={"SessionId": str, "ItemId": str, "Time": float})
    df["ms"] = (df["Time"] * 1000).round().astype("int64")
    df["row"] = range(len(df))
    df = df.sort_values(["SessionId", "ms", "row"], kind="mergesort")
    events = []
    pos = {}
    for sid, item, ms in zip(df["SessionId"], df["ItemId"], df["ms"]):
        n = pos.get(sid, 0)
        pos[sid] = n + 1
        events.append({"eventId": f"{prefix}-{sid}-{n}", "userId": f"yc-{sid}", "type": "view",
                       "ts": iso(int(ms)), "itemId": item})
    return events


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--datasets", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    for split, name in FILES.items():
        ev = convert_file(os.path.join(a.datasets, FOLDER, name), f"yc{split[0:2]}")
        dst = os.path.join(a.out, f"yoochoose_{split}.jsonl")
        write_events(dst, ev)
        print(f"yoochoose {split}: {len(ev)} events, {len({e['userId'] for e in ev})} sessions -> {dst}")


if __name__ == "__main__":
    main()
