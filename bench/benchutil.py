"""Helpers shared by the benchmark scripts (bench/solver.py, bench/gcs.py, bench/plan.py)."""

import os
import statistics
import subprocess


def fmt_time(t):
    """Seconds as µs, ms or s (None: "-")."""
    if t is None:
        return "-"
    if t < 1e-3:
        return f"{t * 1e6:.0f} µs"
    if t < 1:
        return f"{t * 1e3:.2f} ms"
    return f"{t:.2f} s"


def markdown_table(header, rows):
    """A markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def machine_info():
    """(cores, CPU model) of this machine."""
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return os.cpu_count(), model


def git_commit():
    """The short commit of the checkout, or "unknown"."""
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def first_line(text):
    """The first non-blank line of text, stripped ("" when none)."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def fmt_mean_sd(values, fmt=lambda v: f"{v:.3f}"):
    """"mean ± sd" of the values (None entries dropped) with `fmt` for both; "-" when none, no ± for one."""
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    if len(values) == 1:
        return fmt(values[0])
    return f"{fmt(statistics.fmean(values))} ± {fmt(statistics.stdev(values))}"
