"""The bundled Taobao demo slices -> event JSON for the demo recommender (onnx-models/demo-taobao).

Train: deploy/demo-data/taobao-userbehavior/UserBehavior_demo.csv.gz (the slice's first 50,000 rows, the
earlier part of the shop's history); test: UserBehavior_later.csv.gz (every later row), what the local run
replays. Same mapping as the job's replay (tools.replay.TaobaoConverter): pv and fav -> view, cart ->
add_to_cart, buy -> order; eventId "tb-<row>" with the row number of the full slice (1-based), userId
"tb-<user>". The 1970 row (bad input, the job's DLQ) is skipped. Standard library only.

  /usr/bin/python3 onnx-models/training/convert/taobao_demo.py --out onnx-models/work/events
"""
import argparse
import gzip
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import iso, write_events  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DEMO = os.path.join(ROOT, "deploy", "demo-data", "taobao-userbehavior")
FILES = [("taobao_demo_train.jsonl", "UserBehavior_demo.csv.gz", 1),
         ("taobao_demo_test.jsonl", "UserBehavior_later.csv.gz", 50_001)]
TYPES = {"pv": "view", "fav": "view", "cart": "add_to_cart", "buy": "order"}
MIN_TS = 1483228800  # 2017-01-01T00:00:00Z


def convert(path, first_row):
    out, skipped = [], 0
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for row, line in enumerate(f, start=first_row):
            user, item, cat, behavior, ts = line.rstrip("\r\n").split(",")
            if int(ts) < MIN_TS or behavior not in TYPES:
                skipped += 1
                continue
            e = {"eventId": f"tb-{row}", "userId": f"tb-{user}", "type": TYPES[behavior],
                 "ts": iso(int(ts) * 1000), "itemId": item, "categoryId": cat}
            if e["type"] == "order":
                e["quantity"] = 1
            out.append(e)
    return out, skipped


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, "onnx-models", "work", "events"))
    a = ap.parse_args(argv)
    for dst, src, first in FILES:
        ev, skipped = convert(os.path.join(DEMO, src), first)
        write_events(os.path.join(a.out, dst), ev)
        print(f"{src}: {len(ev)} events, {len({e['userId'] for e in ev})} users -> {dst}; skipped {skipped} bad row(s)")


if __name__ == "__main__":
    main()
