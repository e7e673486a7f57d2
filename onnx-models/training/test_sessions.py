"""common.sessionize: a store's own session ids (the optional `sessionId` event field) against the gap rule.

  PY=$(onnx-models/training/setup-venv.sh); "$PY" -m unittest discover -s onnx-models/training -p 'test_*.py'
"""
import os
import shutil
import tempfile
import unittest

import common
import train_recommend as tr

MIN = 60_000


def ev(user, minute, item, session=None):
    e = {"eventId": f"{user}-{minute}-{item}", "userId": user, "type": "view", "ts": minute * MIN, "itemId": item}
    if session is not None:
        e["sessionId"] = session
    return e


def items(sessions):
    return [[e["itemId"] for e in s] for s in sessions]


class SessionizeTest(unittest.TestCase):
    def test_without_session_ids_a_users_events_are_cut_at_gaps_longer_than_the_gap(self):
        evs = [ev("u", 0, "a"), ev("u", 30, "b"), ev("u", 61, "c"), ev("v", 5, "d")]
        self.assertEqual(items(common.sessionize(evs, 30)), [["a", "b"], ["c"], ["d"]])  # 30 min is not > 30

    def test_gap_zero_makes_the_user_id_the_session(self):
        evs = [ev("u", 0, "a"), ev("u", 600, "b")]
        self.assertEqual(items(common.sessionize(evs, 0)), [["a", "b"]])

    def test_a_session_id_keeps_its_events_together_whatever_the_gap(self):
        evs = [ev("u", 0, "a", "s1"), ev("u", 240, "b", "s1")]
        self.assertEqual(items(common.sessionize(evs, 30)), [["a", "b"]])

    def test_two_session_ids_of_one_user_are_two_sessions_even_when_interleaved(self):
        evs = [ev("u", 0, "a", "s1"), ev("u", 1, "x", "s2"), ev("u", 2, "b", "s1"), ev("u", 3, "y", "s2")]
        self.assertEqual(items(common.sessionize(evs, 30)), [["a", "b"], ["x", "y"]])

    def test_the_same_session_id_of_two_users_is_two_sessions(self):
        evs = [ev("u", 0, "a", "s"), ev("v", 1, "b", "s")]
        self.assertEqual(items(common.sessionize(evs, 30)), [["a"], ["b"]])

    def test_events_without_a_session_id_beside_ones_with_it_follow_the_gap_rule(self):
        evs = [ev("u", 0, "a", "s1"), ev("u", 1, "b"), ev("u", 100, "c"), ev("u", 101, "d", "s1")]
        self.assertEqual(items(common.sessionize(evs, 30)), [["a", "d"], ["b"], ["c"]])

    def test_events_are_ordered_by_time_within_a_session_ties_in_file_order(self):
        evs = [ev("u", 5, "b", "s"), ev("u", 1, "a", "s"), ev("u", 5, "c", "s")]
        self.assertEqual(items(common.sessionize(evs, 30)), [["a", "b", "c"]])


class RecommenderSessionsTest(unittest.TestCase):
    def test_the_recommender_reads_sessions_by_session_id(self):
        tmp = tempfile.mkdtemp(prefix="sessions-")
        self.addCleanup(shutil.rmtree, tmp, True)
        path = os.path.join(tmp, "events.jsonl")
        evs = [ev("u", 0, "a", "s1"), ev("u", 300, "b", "s1"), ev("u", 301, "c", "s2"), ev("u", 302, "d", "s2")]
        for e in evs:
            e["ts"] = common.iso(1_700_000_000_000 + e["ts"])
        common.write_events(path, evs)
        got = tr.load_sessions(path, {"view"}, 30)
        self.assertEqual([s[3] for s in got], [["a", "b"], ["c", "d"]])


if __name__ == "__main__":
    unittest.main()
