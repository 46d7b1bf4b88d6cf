"""``python driver.py ARGS``: the syncbot command line in a process of its own (for runs started together)."""

from __future__ import annotations

import os

from crash import install_write_kill
from syncbot.cli import main

install_write_kill(int(os.environ.get("CRASH_AFTER_WRITES", "0")))
main()
