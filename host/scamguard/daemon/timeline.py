"""Human-readable output of the daemon: one line per segment, plus status and board logs.

Transcripts are private: they are printed only when the user asked (--log-transcripts);
otherwise the line shows what matched in the phrase library, which is our own text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rich.console import Console
from rich.markup import escape

from .service import SegmentReport

STYLE = {"safe": "green", "suspicious": "yellow", "scam": "bold red"}


@dataclass
class Timeline:
    console: Console = field(default_factory=lambda: Console(highlight=False))
    show_transcripts: bool = False
    show_board_log: bool = True
    board_log_filter: str | None = None  # regex; only matching board lines are shown

    def segment(self, r: SegmentReport) -> None:
        v, s = r.verdict, r.segment
        level = v.level
        what = f'"{escape(v.transcript)}"' if self.show_transcripts else escape(_evidence(v))
        kind = f" {v.fraud_type}" if level != "safe" and v.fraud_type else ""
        self.console.print(
            f"[dim]{r.board}[/] call {r.call_index} seg {s.segment_id:3d} "
            f"{s.start_ms / 1000:6.1f}-{s.end_ms / 1000:6.1f}s  score {v.score:.2f}  "
            f"[{STYLE[level]}]{level.upper():10s}[/]{kind}  {what}  [dim]({r.latency_s:.2f} s)[/]")

    def status(self, board: str, msg: str) -> None:
        self.console.print(f"[cyan]{board}[/] {escape(msg)}")

    def board_log(self, board: str, line: str) -> None:
        if self.show_board_log and (self.board_log_filter is None or re.match(self.board_log_filter, line)):
            self.console.print(f"[dim]{board} | {escape(line)}[/]")


def _evidence(v) -> str:
    matches = getattr(v, "matches", None) or []
    if not matches:
        return "(no match)"
    top = matches[0]
    ident = top.get("id") if isinstance(top, dict) else getattr(top, "id", "?")
    sim = top.get("similarity") if isinstance(top, dict) else getattr(top, "similarity", 0.0)
    return f"nearest {ident} ({sim:.2f})"
