"""Kernel settings for batch runs of the lessons (the course runner and the benchmark).

An interactive front end needs nothing from this module; JupyterLab uses the standard kernel.
Under papermill, every cell costs the kernel a few milliseconds of fixed waiting that only
an interactive front end benefits from, and a course has some 300 cells:

* ``sys.stdout.flush()`` and ``sys.stderr.flush()`` run twice per cell, and each is a round
  trip to the kernel's output thread even when nothing was written.
  :class:`BatchOutStream` skips the round trip when no output is waiting;
* the kernel sleeps 0.5 ms before each reply, a guard for front ends that read the reply
  before the output (papermill waits for the kernel's idle message, which comes after
  every output on the same channel);
* every cell is written to IPython's history database, which a batch run never reads.

The outputs are the same; together these save about a millisecond per cell. The options
are :data:`helpers.course.BATCH_KERNEL_ARGUMENTS` (kept there so that the runner does not
import the kernel's packages).
"""

from __future__ import annotations

from ipykernel.iostream import OutStream


class BatchOutStream(OutStream):
    """``sys.stdout``/``sys.stderr`` of a batch kernel: a flush with no output waiting
    returns at once instead of waiting on a round trip to the output thread.

    ``_flush_pending`` is set by every write (and by output from a subprocess) and cleared
    when the output thread starts sending; when neither is set, everything written so far
    has been handed to the output thread, which sends messages in order, so the kernel's
    idle message still follows every output.
    """

    def flush(self) -> None:
        if not (self._flush_pending or self._subprocess_flush_pending):
            return
        super().flush()
