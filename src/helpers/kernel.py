"""Kernel settings for batch runs of the lessons (the course runner and the benchmark).

An interactive front end needs nothing from this module; JupyterLab uses the standard kernel.
Under papermill, a batch kernel does work that only an interactive session benefits from,
and a course has some 300 cells:

* ``sys.stdout.flush()`` and ``sys.stderr.flush()`` run twice per cell, and each is a round
  trip to the kernel's output thread even when nothing was written.
  :class:`BatchOutStream` skips the round trip when no output is waiting;
* the kernel sleeps 0.5 ms before each reply, a guard for front ends that read the reply
  before the output (papermill waits for the kernel's idle message, which comes after
  every output on the same channel);
* every cell is written to IPython's history database, which a batch run never reads;
* the garbage collector now and then walks every long-lived object (see
  :func:`load_ipython_extension`).

The outputs are the same. The first three cost about a millisecond per cell, the last about
50 ms once or twice a lesson. The options
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


def load_ipython_extension(ip) -> None:
    """Keep the garbage collector off long-lived objects (loaded as an IPython extension by
    batch kernels).

    Python's cycle collector now and then walks every object that survived earlier
    collections: with pandas, matplotlib and the kernel loaded, one such pass takes about
    50 ms and comes once or twice a lesson. ``gc.freeze()`` moves the objects that exist now
    out of its reach; it runs when the kernel has started and after each cell that imported
    modules (the objects imports create live as long as the kernel). Objects a lesson makes
    are collected as before.
    """
    import gc
    import sys

    gc.freeze()
    modules = [len(sys.modules)]

    def after_cell(_result) -> None:
        if len(sys.modules) > modules[0]:
            gc.freeze()
            modules[0] = len(sys.modules)

    ip.events.register("post_run_cell", after_cell)
