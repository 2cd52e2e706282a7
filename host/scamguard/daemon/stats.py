"""Link-health text: the periodic status line and the `--stats` report.

Both read BoardService.stats() (decoder, link, assembler, service, board and transport
counters, flat). The status line puts the loss counters up front and always shows them,
zero or not, so a healthy link is visibly healthy rather than silently unreported.
"""
from __future__ import annotations

# (label, keys summed) in display order; the keys come from FrameDecoder.counters(),
# LinkCounters, AssemblerCounters (asm_*), ServiceCounters and the board's STATS (board_*).
STATUS_FIELDS = (
    ("frames", ("frames_ok",)),
    ("crc", ("bad_crc",)),
    ("cobs", ("bad_cobs",)),
    ("len", ("bad_length", "oversize")),
    ("ver", ("bad_version",)),
    ("gaps", ("seq_gaps",)),
    ("dups", ("seq_dups",)),
    ("late", ("seq_late",)),
    ("badmsg", ("bad_messages", "unknown_types")),
    ("noise", ("noise_bytes",)),
    ("segs", ("segments_done",)),
    ("shed", ("segments_shed",)),
    ("queue", ("queue_depth",)),
    ("missing_ms", ()),  # derived below
    ("reconnects", ("disconnects",)),
    ("board_overruns", ("board_ring_overruns",)),
    ("board_gaps", ("board_seq_gaps",)),
)

GROUPS = (
    ("decoder", ("frames_ok", "bad_cobs", "bad_crc", "bad_length", "bad_version", "oversize", "noise_bytes",
                 "text_lines", "seq_gaps", "seq_dups", "seq_late")),
    # the board-only members of the shared STATS layout, always 0 in the host's own decoder
    ("decoder (board-only fields)", ("ring_overruns", "clipped_samples", "segments_sent")),
    ("link", ("bad_messages", "unknown_types", "hellos_sent", "heartbeats_sent", "verdicts_sent", "reconnects")),
    ("service", ("connects", "disconnects", "segments_done", "segments_shed", "segments_shed_kws", "segments_lost",
                 "engine_errors", "verdicts_unsent", "alerts", "queue_depth", "board_restarts")),
)


def _sum(stats: dict, keys) -> int:
    return sum(int(stats.get(k, 0)) for k in keys)


def status_line(stats: dict, state: str | None = None) -> str:
    parts = [f"link {state}"] if state else []
    for label, keys in STATUS_FIELDS:
        if label == "missing_ms":
            parts.append(f"missing {int(stats.get('asm_missing_samples', 0)) // 16} ms")
            continue
        if label.startswith("board_") and not any(k in stats for k in keys):
            continue  # the board has not sent STATS yet
        parts.append(f"{label} {_sum(stats, keys)}")
    return " | ".join(parts)


def report(stats: dict) -> list[str]:
    """Grouped `key=value` lines for --stats; every counter appears exactly once."""
    lines, seen = [], set()
    for title, keys in GROUPS:
        present = [k for k in keys if k in stats]
        seen.update(present)
        lines.append(f"{title}: " + " ".join(f"{k}={stats[k]}" for k in present))
    for prefix, title in (("asm_", "audio"), ("board_", "board"), ("ble_", "transport")):
        keys = sorted(k for k in stats if k.startswith(prefix) and k not in seen)
        seen.update(keys)
        if keys:
            lines.append(f"{title}: " + " ".join(f"{k[len(prefix):]}={stats[k]}" for k in keys))
    rest = sorted(k for k in stats if k not in seen)
    if rest:
        lines.append("other: " + " ".join(f"{k}={stats[k]}" for k in rest))
    return lines
