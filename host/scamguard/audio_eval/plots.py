"""PNG plots for the audio evaluation (matplotlib, headless)."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on a build machine
import matplotlib.pyplot as plt  # noqa: E402


def time_to_alert(records_by_window: dict[float, list[dict]], name: str, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for w, recs in sorted(records_by_window.items()):
        t = [r["time_to_alert_s"][name] for r in recs if r["label"] == "scam" and r["time_to_alert_s"][name] is not None]
        if t:
            ax.hist(t, bins=range(0, int(max(t)) + 6, 5), alpha=0.5, label=f"{w:g} s window (n={len(t)})")
    ax.set_xlabel("time to first alert from call start (s)")
    ax.set_ylabel("scam calls")
    ax.set_title(f"Time to first alert, strategy {name}")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def trajectories(curves: list[tuple[str, str, list[tuple[float, float]]]], name: str, path: Path,
                 threshold: float | None = None) -> None:
    fig, ax = plt.subplots(figsize=(7, 4))
    for call_id, label, pts in curves:
        if pts:
            xs, ys = zip(*pts)
            ax.plot(xs, ys, "-o" if label == "scam" else "--s", ms=3, label=f"{call_id} ({label})",
                    color="tab:red" if label == "scam" else "tab:blue", alpha=0.75)
    if threshold is not None:
        ax.axhline(threshold, color="k", lw=0.8, ls=":")
    ax.set_xlabel("segment end (s)")
    ax.set_ylabel("score")
    ax.set_title(f"Score trajectories, strategy {name}")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def window_tradeoff(sweep: list[dict], names: list[str], path: Path) -> None:
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
    for name in names:
        rows = [(r["window_s"], r["strategies"][name]) for r in sweep if name in r["strategies"]]
        pts = [(m["mean_time_to_alert_s"], m["f1"], w) for w, m in rows if m["mean_time_to_alert_s"] is not None]
        lat = [(m.get("mean_alert_latency_s"), m["f1"], w) for w, m in rows if m.get("mean_alert_latency_s") is not None]
        for ax, data in ((axes[0], pts), (axes[1], lat)):
            if data:
                xs, ys, ws = zip(*data)
                ax.plot(xs, ys, "-o", label=name)
                for x, y, w in data:
                    ax.annotate(f"{w:g}s", (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points")
    axes[0].set_xlabel("mean time to alert from call start (s)")
    axes[1].set_xlabel("mean latency after deciding segment (s)")
    for ax in axes:
        ax.set_ylabel("call-level F1")
        ax.legend(fontsize=7)
    fig.suptitle("Window length: F1 against latency")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
