"""`python -m backcoach` runs the command line."""

from backcoach.cli import main

raise SystemExit(main())
