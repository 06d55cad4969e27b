"""The tagging bench's measuring tools: the per-group busiest window and the pacing simulation."""

from __future__ import annotations

from bench.tagging import busiest_per_group, simulate_pacing


def test_busiest_per_group_counts_each_group_apart():
    sends = [(-1, 0.0), (-1, 1.0), (-1, 1.5), (-2, 1.6), (-2, 1.7)]
    assert busiest_per_group(sends, 1.0) == 2  # (-1: 1.0, 1.5) and (-2: 1.6, 1.7); a slot exactly 1 s on is a new second
    assert busiest_per_group(sends, 60.0) == 3


def test_simulated_pacing_matches_the_limits():
    seconds, slots = simulate_pacing(40, 3, concurrency=16, per_second=25, per_minute=20)
    assert len(slots) == 120
    assert busiest_per_group(slots, 1.0) == 1  # one group: one message a second
    assert 2.0 <= seconds < 10  # 40 groups, 3 parts 1 s apart, 16 at a time: three waves of ~2 s
    one, _ = simulate_pacing(1000, 1, concurrency=16, per_second=25, per_minute=20)
    assert 39 <= one <= 41  # 1,000 single messages at 25/s
