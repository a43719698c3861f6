"""backcoach: a guided home-exercise tracker for low back pain, in the terminal."""

__version__ = "0.1.0"
