"""``python -m dvarchive.replica --articles N --seed S --port 0``: prints ``READY <url>``, then serves."""
import sys

from dvarchive.replica.cli import main

sys.exit(main())
