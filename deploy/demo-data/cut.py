#!/usr/bin/env python3
"""Cuts the bundled demo slices (deploy/demo-data/) from the public datasets in ../shared/datasets.

    /usr/bin/python3 deploy/demo-data/cut.py [--datasets ../shared/datasets] [--out deploy/demo-data]

Each slice is a plain subset of rows, copied byte for byte (no conversion), chosen so that the default
test tier reads exactly the input it read from the full files before (see NOTICE.md for why each cut):

  taobao-userbehavior/UserBehavior_demo.csv.gz
      the first TAOBAO_ROWS rows of UserBehavior_slice.csv (the file is in time order, so a time prefix:
      the fixtures read "the first N rows", N <= 30,000), plus the file's one row with a 1970 timestamp,
      kept last as the bad input it is.
  taobao-userbehavior/UserBehavior_later.csv.gz
      every row after the first TAOBAO_ROWS (the file's later part, 02:03:45-02:55 UTC, its 1970 row last
      as in the full file): what the local run replays by default, while the demo recommender
      (onnx-models/demo-taobao) is trained on the first part, as a store adopting ShopSense would.
  fraud-handbook-simulated/transactions_2018-07-01_to_02.csv.gz
      the header and every transaction of 2018-07-01 and 2018-07-02 (what FraudFeedbackIT replays).
  online-retail-uci/online_retail_every20th.csv.gz
      the header and every row of each invoice that has a row of a customer whose id is divisible by
      testSubset.customerIdModulo of onnx-models/segments.json (20): what SegmentsIT and segments.py's
      documented test subset read. Whole invoices, so the line position inside an invoice (part of the
      event id) is the same as in the full file.
  reviews-womens-clothing/womens_clothing_reviews_top13.csv.gz
      the header and, for each product with at least REVIEWS_EN_MIN_PER_PRODUCT reviews with text (13
      products), its first REVIEWS_EN_PER_PRODUCT reviews with text in file order: enough reviews per
      product for rolling aggregates and a negative-review surge (what the review replay and its tests read).
  reviews-zh-online-shopping/online_shopping_10_cats_every10th.csv.gz
      the header and every REVIEWS_ZH_EVERY-th review (rows 1, 11, 21, ... of the file): all ten categories.
  Review records are whole CSV records (a quoted field may span lines), copied as their raw text.

Standard library only; gzip with mtime 0, so the same input gives the same bytes (re-running it on an
unchanged checkout leaves git status clean; the heavy test tier checks the slices against the full files).
"""
import argparse
import csv
import gzip
import io
import json
import os
import sys
from datetime import datetime, timezone

TAOBAO_ROWS = 50_000
REVIEWS_EN_MIN_PER_PRODUCT = 300  # products with at least this many reviews with text ...
REVIEWS_EN_PER_PRODUCT = 250  # ... keep their first this many (file order: the set has no timestamps)
REVIEWS_ZH_EVERY = 10  # every 10th Chinese review, so all 10 categories in their proportions
FRAUD_FROM = "2018-07-01"
FRAUD_TO = "2018-07-03"  # exclusive


def write_gz(path, lines):
    """Writes the lines (str, each with its newline) gzip-compressed, reproducibly."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            for line in lines:
                gz.write(line.encode("utf-8"))
    print(f"{path}: {len(lines):,} lines, {os.path.getsize(path):,} bytes", file=sys.stderr)


def read_lines(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        return f.readlines()


def taobao(datasets, out):
    lines = read_lines(os.path.join(datasets, "taobao-userbehavior", "UserBehavior_slice.csv"))
    head = lines[:TAOBAO_ROWS]
    # The bad row the README names (a 1970 timestamp); it is outside the prefix, so it is appended.
    bad = [l for l in lines[TAOBAO_ROWS:] if int(l.rstrip("\r\n").split(",")[4]) < 946_684_800]
    if len(bad) != 1:
        raise SystemExit(f"expected one row before 2000 after the first {TAOBAO_ROWS} rows, found {len(bad)}")
    write_gz(os.path.join(out, "taobao-userbehavior", "UserBehavior_demo.csv.gz"), head + bad)
    write_gz(os.path.join(out, "taobao-userbehavior", "UserBehavior_later.csv.gz"), lines[TAOBAO_ROWS:])


def fraud_handbook(datasets, out):
    lines = read_lines(os.path.join(datasets, "fraud-handbook-simulated", "transactions_2018-04_to_07.csv.gz"))
    # TX_DATETIME is the second column, "YYYY-MM-DD HH:MM:SS": a string compare on the date is exact.
    kept = [l for l in lines[1:] if FRAUD_FROM <= l.split(",", 2)[1][:10] < FRAUD_TO]
    write_gz(os.path.join(out, "fraud-handbook-simulated", "transactions_2018-07-01_to_02.csv.gz"), lines[:1] + kept)


def online_retail(datasets, out, modulo):
    lines = read_lines(os.path.join(datasets, "online-retail-uci", "online_retail.csv.gz"))
    rows = list(csv.reader(io.StringIO("".join(lines[1:]))))
    if len(rows) != len(lines) - 1:
        raise SystemExit("online_retail.csv: a field spans lines; the line-based cut would be wrong")
    invoices = set()
    for f in rows:
        customer = f[6]
        if customer not in ("", "NA") and int(float(customer)) % modulo == 0:
            invoices.add(f[0])
    kept = [line for line, f in zip(lines[1:], rows) if f[0] in invoices]
    write_gz(os.path.join(out, "online-retail-uci", "online_retail_every20th.csv.gz"), lines[:1] + kept)


def read_records(path):
    """The header and the records of a CSV file as (raw text, fields) pairs: a quoted field may hold newlines,
    so a record is the exact lines the csv reader consumed for it (copied as they are, never re-quoted)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        text = f.read()
    lines = text.splitlines(keepends=True)
    consumed = []

    def feed():
        for line in lines:
            consumed.append(line)
            yield line

    out = []
    for fields in csv.reader(feed()):
        out.append(("".join(consumed), fields))
        consumed.clear()
    if "".join(raw for raw, _ in out) != text:
        raise SystemExit(f"{path}: records do not add up to the file; the cut would not be byte for byte")
    return out


def reviews(datasets, out):
    en = read_records(os.path.join(datasets, "reviews-womens-clothing", "womens_clothing_ecommerce_reviews.csv.gz"))
    head, body = en[0], en[1:]
    with_text = [(raw, f) for raw, f in body if f[4].strip()]
    per_product = {}
    for raw, f in with_text:
        per_product[f[1]] = per_product.get(f[1], 0) + 1
    products = {p for p, n in per_product.items() if n >= REVIEWS_EN_MIN_PER_PRODUCT}
    taken = {}
    kept = []
    for raw, f in with_text:
        if f[1] in products and taken.get(f[1], 0) < REVIEWS_EN_PER_PRODUCT:
            taken[f[1]] = taken.get(f[1], 0) + 1
            kept.append(raw)
    write_gz(os.path.join(out, "reviews-womens-clothing", "womens_clothing_reviews_top13.csv.gz"),
             [head[0]] + kept)
    zh = read_records(os.path.join(datasets, "reviews-zh-online-shopping", "online_shopping_10_cats.csv.gz"))
    write_gz(os.path.join(out, "reviews-zh-online-shopping", "online_shopping_10_cats_every10th.csv.gz"),
             [zh[0][0]] + [raw for raw, _ in zh[1::REVIEWS_ZH_EVERY]])


def main():
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--datasets", default=os.path.join(root, "..", "shared", "datasets"))
    ap.add_argument("--out", default=os.path.join(root, "deploy", "demo-data"))
    a = ap.parse_args()
    with open(os.path.join(root, "onnx-models", "segments.json"), encoding="utf-8") as f:
        modulo = json.load(f)["testSubset"]["customerIdModulo"]
    taobao(a.datasets, a.out)
    fraud_handbook(a.datasets, a.out)
    online_retail(a.datasets, a.out, modulo)
    reviews(a.datasets, a.out)
    print(f"cut {datetime.now(timezone.utc):%Y-%m-%d} from {os.path.abspath(a.datasets)}", file=sys.stderr)


if __name__ == "__main__":
    main()
