"""The command line's progress: a bar on a terminal (rich, from the report extra), plain
lines otherwise (a pipe, a log file, CI) — ``… [5/8] 50% relatedness``."""

from __future__ import annotations

import sys

from smartspec.progress import Step

try:  # optional (the report extra): without it, plain lines
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
except ImportError:
    Progress = None


class Reporter:
    """A ``progress(message)`` callback for the command line; :meth:`close` ends its bar."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.bar = None
        self.task = None
        self.live = Progress is not None and self.stream.isatty()

    def __call__(self, message: str) -> None:
        if isinstance(message, Step) and self.live:
            self._advance(message)
        elif self.bar is not None:
            self.bar.console.print(f"… {message}", highlight=False)
        else:
            print(f"… {self._plain(message)}", file=self.stream, flush=True)

    @staticmethod
    def _plain(message: str) -> str:
        if isinstance(message, Step):
            return f"[{message.number}/{message.total}] {message.text} ({100 * message.fraction:.0f}% done)"
        return message

    def _advance(self, step: Step) -> None:
        if self.bar is None or self.bar.tasks[self.task].total != step.total:
            self.close()
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=Console(file=self.stream), transient=False)
            self.bar.start()
            self.task = self.bar.add_task("", total=step.total)
        self.bar.update(self.task, completed=step.fraction * step.total, description=step.text[:50])

    def close(self) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=self.bar.tasks[self.task].total)
            self.bar.stop()
            self.bar = None
