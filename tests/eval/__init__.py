"""The extraction evaluation set: saved pages, their truth, scoring and pinned floors.

See ``docs/quality.md``; regenerate with ``python benchmarks/eval_extraction.py --regenerate-set``.
"""
