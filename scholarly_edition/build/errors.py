"""How a build ends when it does not publish: each reason its own kind, so the command line can say which."""

from __future__ import annotations

import signal


class BuildFailed(RuntimeError):
    """A builder or LaTeX failed; the message names the file and place where the problem is."""

    def __init__(self, message: str, *, latex: bool = False) -> None:
        super().__init__(message)
        self.latex = latex
        """LaTeX failed: its folder is worth keeping, for reading at the line the message names."""


class Refused(BuildFailed):
    """The destination is not one the build may replace, or another build holds it too long."""


class Stopped(BaseException):
    """A signal asked the build to stop. Not an :class:`Exception`, so that no ``except Exception`` swallows it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.published = False
        """The signal came after the new edition was published (its link renamed into place)."""

    def __str__(self) -> str:
        return f"stopped by {signal.Signals(self.signum).name}" if self.signum else "stopped"
