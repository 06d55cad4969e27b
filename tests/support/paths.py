"""Where the test fixtures live. The real-report corpus is vendored from ``../shared/corpus`` into
``tests/fixtures/corpus`` so the suite runs the same on any clone, whether or not ``shared/`` is beside it."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
