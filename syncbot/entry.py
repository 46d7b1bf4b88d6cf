"""The `syncbot` console script.  `syncbot inspect --json FILE`, the command scripts and editors run on
every save, is answered here without the command-line framework; everything else goes to
:func:`syncbot.cli.main`.

typer builds a pydantic validator for every parameter of the command it runs, so importing typer, click and
pydantic costs more than reading a small tracker (about 0.1 s of CPU).  The JSON path needs none of them,
nor rich.  Only the plain forms take this path (`inspect --json FILE`, `inspect FILE --json`); any other
argument, and any error (a missing file, an unreadable tracker), goes to the full command line, which reads
the file again and prints the error exactly as it always does.

After printing, the process ends without freeing what the reading built (``os._exit`` once stdout and stderr
are flushed): a 20,000-unit tracker's tokens, structure and every reader's units are a few hundred
thousand objects, and tearing them down one by one took a tenth of the command's time.  Only the console
script does this; :func:`syncbot.cli.main` (what tests call in-process) returns as before.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path


def _plain_inspect_json(args: list[str]) -> str | None:
    """The file of `inspect --json FILE` or `inspect FILE --json`; ``None`` for any other command line."""
    if len(args) != 3 or args[0] != "inspect":
        return None
    rest = [a for a in args[1:] if a != "--json"]
    if len(rest) != 1 or rest[0].startswith("-") or not rest[0]:
        return None
    return rest[0]


def main() -> None:
    file = _plain_inspect_json(sys.argv[1:])
    if file is None:
        from syncbot.cli import main as cli_main

        cli_main()
        return
    from syncbot.errors import TrackerError, UserError
    from syncbot.jsonout import dumps_indented
    from syncbot.readers import load_document
    from syncbot.report import inspect_data

    gc.disable()  # as the command line runs inspect: nothing a reading makes needs collecting
    try:
        data = inspect_data(load_document(Path(file)))[2]
    except (TrackerError, UserError):
        from syncbot.cli import main as cli_main

        gc.enable()
        cli_main()  # the same error, worded and coded as the command line words it
        return
    except KeyboardInterrupt:
        sys.stderr.write("syncbot: interrupted\n")
        sys.exit(130)
    try:
        sys.stdout.write(dumps_indented(data))
        sys.stdout.write("\n")  # (not `+ "\n"`: that copies megabytes of text once more)
        sys.stdout.flush()
    except BrokenPipeError:
        # `syncbot inspect --json big.md | head`: the reader stopped reading; no traceback, exit 1 as Python does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        os._exit(1)
    sys.stderr.flush()
    os._exit(0)
