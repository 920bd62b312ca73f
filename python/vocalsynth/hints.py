"""Error hints: the name probably meant, for a misspelt field or parameter (difflib's ratio)."""
from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """' (did you mean 'jitter'?)' for 'jiter', or '' when nothing known is close."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.7)
    return f" (did you mean '{close[0]}'?)" if close else ""
