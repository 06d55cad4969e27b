"""Validation: check a report like the most careful reviewer (RULES.md §6).

``validate`` runs every registered rule, ``summarize`` turns the findings into a short chat reply and
``RULES`` is the registry (one :class:`Rule` per code). Rules live in small modules grouped by topic
(fmt, structure, t2, t3, t4, text, meta, cross_year, deadline, ingest); adding one is a decorated
function in one of them.
"""

from bot.validation.engine import RULES, Context, Hit, Rule, get_rule, load_rules, rule, validate
from bot.validation.summary import summarize, verdict_emoji

load_rules()

__all__ = [
    "RULES",
    "Context",
    "Hit",
    "Rule",
    "get_rule",
    "load_rules",
    "rule",
    "summarize",
    "validate",
    "verdict_emoji",
]
