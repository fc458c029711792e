"""Progress messages. Long work reports through a ``progress(message)`` callback; a
:class:`Step` is a message that also says how far the work is, so a terminal can draw a
bar while any other callback (a list's ``append``, a log) still receives plain text.

A step is numbered by the item that starts (``[5/8] relatedness``: the fifth of eight
starts, four are done).

>>> step = Step("relatedness", 5, 8)
>>> str(step), step.number, step.total, step.fraction
('[5/8] relatedness', 5, 8, 0.5)
"""

from __future__ import annotations


class Step(str):
    """A progress message ``[number/total] text``: item ``number`` of ``total`` starts
    (or, with ``finished=True``, has just finished)."""

    text: str
    number: int
    total: int
    finished: bool

    def __new__(cls, text: str, number: int, total: int, *, finished: bool = False):
        step = super().__new__(cls, f"[{number}/{total}] {text}")
        step.text, step.number, step.total, step.finished = text, int(number), int(total), finished
        return step

    @property
    def fraction(self) -> float:
        """The share of the work done."""
        done = self.number if self.finished else self.number - 1
        return done / self.total if self.total else 1.0
