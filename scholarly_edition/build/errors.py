"""How a build ends when it does not publish: each reason its own kind, so the command line can say which."""

from __future__ import annotations


class BuildFailed(RuntimeError):
    """A builder or LaTeX failed; the message names the file and place where the problem is."""
