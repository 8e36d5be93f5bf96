import sys

from dvarchive.cli import main

sys.exit(main())
