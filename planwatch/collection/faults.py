"""Fault injection for the kill tests (tests/hardening/test_kills.py): with
PLANWATCH_FAULT_PAUSE=<point> in its environment a process stops at that point of an import,
writes its pid to PLANWATCH_FAULT_MARKER and sleeps, so that a test can SIGKILL it there —
while it checks (no lock held) or while it stores (inside the write transaction). Without
the variable, which nothing but those tests sets, a pause point does nothing."""

import os
import time
from pathlib import Path


def pause_point(name: str) -> None:
    if os.environ.get("PLANWATCH_FAULT_PAUSE") != name:
        return
    Path(os.environ["PLANWATCH_FAULT_MARKER"]).write_text(str(os.getpid()))
    time.sleep(600)
