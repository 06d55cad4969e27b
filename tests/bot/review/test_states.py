"""The 整改 state machine: 待审 → 需整改 → 已整改, or 通过; and the effective counts."""

from __future__ import annotations

from bot.review import ReviewState, VersionFindings, effective_counts, review_state

E1, E2, W1, I1 = ("a", "error"), ("b", "error"), ("c", "warning"), ("d", "info")


def test_values_are_what_users_read():
    assert [s.value for s in ReviewState] == ["待审", "需整改", "已整改", "通过"]
    assert ReviewState("需整改") is ReviewState.MUST_FIX and f"{ReviewState.FIXED}" == "已整改"


def test_states_of_one_version():
    assert review_state([]) is ReviewState.PASSED
    assert review_state([VersionFindings([I1])]) is ReviewState.PASSED  # info is never ruled
    assert review_state([VersionFindings([E1, W1])]) is ReviewState.PENDING
    assert review_state([VersionFindings([E1, W1], {"a": "dismissed"})]) is ReviewState.PENDING  # W1 unruled
    assert review_state([VersionFindings([E1, W1], {"a": "dismissed", "c": "dismissed"})]) is ReviewState.PASSED
    assert review_state([VersionFindings([E1, W1], {"a": "confirmed"})]) is ReviewState.MUST_FIX


def test_states_across_versions():
    first = VersionFindings([E1, E2], {"a": "confirmed", "b": "dismissed"})
    fixed = VersionFindings([E2], {"b": "dismissed"})  # E1 gone, E2's dismissal carried
    assert review_state([first, fixed]) is ReviewState.FIXED
    assert review_state([first, VersionFindings([])]) is ReviewState.FIXED
    still = VersionFindings([E1], {"a": "confirmed"})  # the confirmed finding recurred (carried)
    assert review_state([first, still]) is ReviewState.MUST_FIX
    new_problem = VersionFindings([W1])
    assert review_state([first, new_problem]) is ReviewState.PENDING
    never_confirmed = VersionFindings([E2], {"b": "dismissed"})
    assert review_state([never_confirmed, VersionFindings([])]) is ReviewState.PASSED


def test_effective_counts_leave_out_dismissed():
    findings = [E1, E2, W1, I1]
    assert effective_counts(findings, set()) == ("有错误", 2, 1, 1)
    assert effective_counts(findings, {"a", "b"}) == ("有警告", 0, 1, 1)
    assert effective_counts(findings, {"a", "b", "c", "d"}) == ("通过", 0, 0, 1)  # info is not ruled
