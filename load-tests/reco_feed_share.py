"""Share of a replay's item events that the sessionizer sends to the recommendation attribution (RecoFeedbackFeed).

Replays the Taobao slice of the load test in time order with the job's defaults: sessions cut at a 30 min gap,
a refresh due at a session's second item event or later and at least reco.min-interval (10 s) after the user's last
refresh; an item event (pv, fav, cart: view, add_to_cart) is sent when a refresh of its user came before it within
redis.reco-ttl (7 d); an order (buy) is always sent. Standard library only.

  python3 load-tests/reco_feed_share.py [--datasets ../shared/datasets]
"""
import argparse
import csv
import os

GAP_MS, MIN_INTERVAL_MS, TTL_MS, MIN_SESSION_EVENTS = 30 * 60_000, 10_000, 7 * 86_400_000, 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", default="../shared/datasets")
    a = ap.parse_args()
    path = os.path.join(a.datasets, "taobao-userbehavior", "UserBehavior_slice.csv")
    rows = [r for r in csv.reader(open(path)) if int(r[4]) > 1_483_228_800]  # the job dead-letters 1970 rows
    rows.sort(key=lambda r: int(r[4]))
    last_reco, session, sent, items, orders, refreshes = {}, {}, 0, 0, 0, 0
    for user, _item, _cat, kind, ts in rows:
        ts = int(ts) * 1000
        s = session.get(user)
        if s is None or ts >= s[1] + GAP_MS:
            s = [0, ts]
        last = last_reco.get(user, -1)
        if kind == "buy":
            orders += 1
            s[0] += 1
            s[1] = ts
            session[user] = s
            continue
        items += 1
        if last >= 0 and ts - last < TTL_MS:
            sent += 1
        if s[0] + 1 >= MIN_SESSION_EVENTS and (last < 0 or ts - last >= MIN_INTERVAL_MS):
            last_reco[user] = ts
            refreshes += 1
        s[0] += 1
        s[1] = ts
        session[user] = s
    print(f"{len(rows):,} events: {items:,} item events, {orders:,} orders, {refreshes:,} refreshes "
          f"({refreshes / len(rows):.3f} per event); item events sent to attribution: {sent:,} ({sent / items:.1%}); "
          f"events sent with the orders: {sent + orders:,} ({(sent + orders) / len(rows):.1%}, before: "
          f"{(items + orders) / len(rows):.0%})")


if __name__ == "__main__":
    main()
