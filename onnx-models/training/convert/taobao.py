"""Taobao UserBehavior slice -> event JSON.

Input: UserBehavior_slice.csv, no header: `userId,itemId,categoryId,behavior,unixSeconds`.
pv -> view, fav -> view, cart -> add_to_cart, buy -> order (quantity 1). userId = "tb-<userId>".
Rows with a timestamp before 2017-01-01 (the slice has one 1970 row: bad input) are skipped and
counted, as are unknown behaviours.
"""
import argparse
import os
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import iso, write_events  # noqa: E402

TYPES = {"pv": "view", "fav": "view", "cart": "add_to_cart", "buy": "order"}
MIN_TS = 1483228800  # 2017-01-01T00:00:00Z


def convert(datasets):
    df = pd.read_csv(os.path.join(datasets, "taobao-userbehavior", "UserBehavior_slice.csv"), header=None,
                     names=["user", "item", "cat", "behavior", "ts"], dtype=str)
    df["ts"] = df["ts"].astype("int64")
    df["row"] = range(len(df))
    bad_ts = int((df["ts"] < MIN_TS).sum())
    bad_type = int((~df["behavior"].isin(list(TYPES))).sum())
    df = df[(df["ts"] >= MIN_TS) & df["behavior"].isin(list(TYPES))]
    df = df.sort_values(["user", "ts", "row"], kind="mergesort")
    out = []
    for r in df.itertuples(index=False):
        e = {"eventId": f"tb-{r.row}", "userId": f"tb-{r.user}", "type": TYPES[r.behavior],
             "ts": iso(int(r.ts) * 1000), "itemId": r.item, "categoryId": r.cat}
        if e["type"] == "order":
            e["quantity"] = 1
        out.append(e)
    return out, bad_ts, bad_type


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--datasets", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    ev, bad_ts, bad_type = convert(a.datasets)
    dst = os.path.join(a.out, "taobao.jsonl")
    write_events(dst, ev)
    print(f"taobao: {len(ev)} events, {len({e['userId'] for e in ev})} users -> {dst}; "
          f"skipped {bad_ts} row(s) with a pre-2017 timestamp (bad input), {bad_type} unknown behaviour(s)")


if __name__ == "__main__":
    main()
