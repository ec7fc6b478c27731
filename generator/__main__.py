"""`python -m generator` runs the nutgraf command."""

import sys

from .cli import main

sys.exit(main())
