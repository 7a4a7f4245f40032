"""``python -m desktop.cli``: the same as the ``exiftree`` console script."""

import sys

from desktop.cli.main import main

sys.exit(main())
