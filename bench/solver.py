#!/usr/bin/env python3
"""Osprey's interior-point solver against Clarabel on the conic benchmark instances.

Each instance is solved by Osprey (`osprey solve --json FILE`, its `total_time_s`: setup + solve,
file reading excluded) and by Clarabel in this process (time of `DefaultSolver(...)` construction plus
`solve()`, file reading excluded), one instance after the other in the same run, so the times compare
side by side. Run through bench/solver.sh, which makes the virtual environment.
"""
import argparse
import datetime
import json
import math
import os
import platform
import re
import subprocess
import sys
import time

from benchutil import fmt_time, git_commit, machine_info, markdown_table

import clarabel
import numpy as np
import scipy.sparse as sp

FOLDERS = ["generated", "maros-meszaros", "cblib", "netlib"]
SHIFT_S = 0.01  # shift of the geometric mean of time ratios: 10 ms
MATCH_TOL = 1e-6  # objectives within this relative difference of Clarabel's count as matching
OSPREY_SOLVED = {"solved", "almost_solved"}
CLARABEL_SOLVED = {"Solved", "AlmostSolved"}

FORMULAS = f"""\
- |rel diff| = |f_osprey − f_clarabel| / max(1, |f_clarabel|); "match" means |rel diff| ≤ {MATCH_TOL:g}.
- time ratio = shifted geometric mean of (t_osprey + {SHIFT_S:g} s) / (t_clarabel + {SHIFT_S:g} s), i.e.
  exp(mean(log((t_o + 0.01) / (t_c + 0.01)))) over the instances of the group; an instance a solver did
  not solve (or almost solve) is charged the time limit for that solver. Below 1: Osprey faster.
- Objectives are in the file's own sense and include `objective_constant` (Clarabel's obj_val does not,
  so it is added here)."""


def csc(d):
    return sp.csc_matrix(
        (np.asarray(d["nzval"], dtype=float), np.asarray(d["rowval"], dtype=np.int64),
         np.asarray(d["colptr"], dtype=np.int64)),
        shape=(d["m"], d["n"]))


CONES = {
    "ZeroConeT": clarabel.ZeroConeT,
    "NonnegativeConeT": clarabel.NonnegativeConeT,
    "SecondOrderConeT": clarabel.SecondOrderConeT,
}


def read_instance(path):
    with open(path) as f:
        d = json.load(f)
    cones = []
    for cone in d["cones"]:
        (kind, dim), = cone.items()
        cones.append(CONES[kind](dim))
    meta = d.get("meta") or {}
    sense = str(meta.get("objective_sense", "min")).lower()
    return {
        "P": csc(d["P"]), "q": np.asarray(d["q"], dtype=float), "A": csc(d["A"]),
        "b": np.asarray(d["b"], dtype=float), "cones": cones,
        "constant": float(d.get("objective_constant") or 0.0),
        "maximize": sense.startswith("max"),
        "n": len(d["q"]), "m": len(d["b"]),
    }


def solve_clarabel(inst, time_limit, repeat, loader, path):
    best, out = math.inf, None
    for _ in range(repeat):
        settings = clarabel.DefaultSettings()
        settings.verbose = False
        settings.time_limit = float(time_limit)
        t0 = time.perf_counter()
        if loader == "load_from_file":  # includes Clarabel's own JSON parsing
            solver = clarabel.load_from_file(path, settings)
        else:
            solver = clarabel.DefaultSolver(inst["P"], inst["q"], inst["A"], inst["b"], inst["cones"], settings)
        sol = solver.solve()
        elapsed = time.perf_counter() - t0
        best = min(best, elapsed)
        status = str(sol.status)
        obj = None
        if status in CLARABEL_SOLVED and math.isfinite(sol.obj_val):
            obj = sol.obj_val + inst["constant"]
            if inst["maximize"]:
                obj = -obj
        out = {"status": status, "objective": obj, "iterations": sol.iterations}
    out["time"] = best
    return out


def solve_osprey(binary, path, time_limit, repeat):
    best, out = math.inf, None
    for _ in range(repeat):
        cmd = [binary, "solve", "--json", f"--time-limit={time_limit:g}", path]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=time_limit + 60)
        except subprocess.TimeoutExpired:
            return {"status": "killed_timeout", "objective": None, "iterations": None, "time": None,
                    "note": f"no answer within {time_limit + 60:g} s"}
        if proc.returncode != 0:
            lines = [l for l in proc.stderr.splitlines() if l.strip()] or [""]
            note = next((l for l in lines if "error" in l.lower()), lines[0])
            if proc.returncode == 2:
                kind = "input_error"
            elif proc.returncode < 0:
                kind = f"crash_signal_{-proc.returncode}"
            else:
                kind = f"exit_{proc.returncode}"
            return {"status": kind, "objective": None, "iterations": None, "time": None, "note": note.strip()[:200]}
        try:
            r = json.loads(proc.stdout)
        except json.JSONDecodeError as e:
            return {"status": "bad_json", "objective": None, "iterations": None, "time": None, "note": str(e)}
        t = r.get("total_time_s")
        if t is not None:
            best = min(best, t)
        out = {"status": r.get("status"), "objective": r.get("objective"), "iterations": r.get("iterations")}
    out["time"] = best if math.isfinite(best) else None
    return out


def rel_diff(a, b):
    if a is None or b is None or not (math.isfinite(a) and math.isfinite(b)):
        return None
    return abs(a - b) / max(1.0, abs(b))


def fmt_num(v):
    return "-" if v is None else f"{v:.10g}"


def fmt_sci(v):
    return "-" if v is None else f"{v:.1e}"


def charged_time(t, solved, time_limit):
    return t if (solved and t is not None) else float(time_limit)


def shifted_geomean_ratio(rows, time_limit):
    logs = []
    for r in rows:
        o, c = r["osprey"], r["clarabel"]
        if o is None:
            continue
        t_o = charged_time(o["time"], o["status"] in OSPREY_SOLVED, time_limit)
        t_c = charged_time(c["time"], c["status"] in CLARABEL_SOLVED, time_limit)
        logs.append(math.log((t_o + SHIFT_S) / (t_c + SHIFT_S)))
    return math.exp(sum(logs) / len(logs)) if logs else None


def ratio(o, c):
    if o is None or o["time"] is None or c["time"] is None:
        return None
    return (o["time"] + SHIFT_S) / (c["time"] + SHIFT_S)


def folder_table(rows):
    header = ["instance", "n", "m", "Osprey status", "Clarabel status", "Osprey objective",
              "Clarabel objective", "|rel diff|", "iters O", "iters C", "time O", "time C", "ratio (shifted)"]
    body = []
    for r in rows:
        o, c = r["osprey"], r["clarabel"]
        o = o or {"status": "(not run)", "objective": None, "iterations": None, "time": None}
        rat = ratio(r["osprey"], c)
        body.append([r["name"], r["n"], r["m"], o["status"], c["status"], fmt_num(o["objective"]),
                     fmt_num(c["objective"]), fmt_sci(rel_diff(o["objective"], c["objective"])),
                     "-" if o["iterations"] is None else o["iterations"], c["iterations"],
                     fmt_time(o["time"]), fmt_time(c["time"]), "-" if rat is None else f"{rat:.2f}"])
    return markdown_table(header, body)


def summary_line(label, rows, time_limit):
    n = len(rows)
    o_solved = sum(1 for r in rows if r["osprey"] and r["osprey"]["status"] == "solved")
    o_almost = sum(1 for r in rows if r["osprey"] and r["osprey"]["status"] == "almost_solved")
    c_solved = sum(1 for r in rows if r["clarabel"]["status"] == "Solved")
    c_almost = sum(1 for r in rows if r["clarabel"]["status"] == "AlmostSolved")
    matches = sum(1 for r in rows if r["osprey"]
                  and (d := rel_diff(r["osprey"]["objective"], r["clarabel"]["objective"])) is not None
                  and d <= MATCH_TOL)
    g = shifted_geomean_ratio(rows, time_limit)
    return (f"| {label} | {n} | {o_solved} + {o_almost} | {c_solved} + {c_almost} | {matches} | "
            f"{'-' if g is None else f'{g:.3f}'} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("filter", nargs="?", default="", help="regex on instance names (re.search), e.g. gcs_")
    ap.add_argument("--time-limit", type=float, default=300.0, help="seconds per instance and solver (default 300)")
    ap.add_argument("--repeat", type=int, default=1, help="solve each instance K times, keep the least time (default 1)")
    ap.add_argument("--benchmarks", default="../shared/benchmarks", help="benchmark root (holds conic/)")
    ap.add_argument("--folders", default=",".join(FOLDERS), help="comma-separated folders under conic/")
    ap.add_argument("--osprey", default=".build/release/osprey", help="the osprey executable")
    ap.add_argument("--clarabel-only", action="store_true", help="skip Osprey (checks the Clarabel half)")
    ap.add_argument("--clarabel-loader", choices=["arrays", "load_from_file"], default="arrays",
                    help="arrays (default): time DefaultSolver construction + solve; load_from_file: "
                         "also times Clarabel's own JSON parsing")
    ap.add_argument("--output", help="markdown file to write (default bench/results/solver-<date>.md)")
    args = ap.parse_args()
    if args.repeat < 1 or not args.time_limit > 0:
        ap.error("--repeat must be ≥ 1 and --time-limit > 0")
    if not args.clarabel_only and not os.access(args.osprey, os.X_OK):
        ap.error(f"{args.osprey}: not found or not executable (run `make release`, or pass --clarabel-only)")

    pattern = re.compile(args.filter)
    folders = [f for f in args.folders.split(",") if f]
    instances = []
    for folder in folders:
        base = os.path.join(args.benchmarks, "conic", folder)
        if not os.path.isdir(base):
            ap.error(f"{base}: no such folder (set OSPREY_BENCHMARKS)")
        for name in sorted(os.listdir(base)):
            if name.endswith(".json") and pattern.search(name[:-5]):
                instances.append((folder, name[:-5], os.path.join(base, name)))
    if not instances:
        ap.error(f"no instance matches {args.filter!r}")

    now = datetime.datetime.now()
    cores, cpu = machine_info()
    header = [
        f"# Osprey vs Clarabel — conic solver benchmark, {now:%Y-%m-%d %H:%M}",
        "",
        f"- machine: {cores} cores (nproc), {cpu}; {platform.system()} {platform.release()}",
        f"- Clarabel {clarabel.__version__} (Python {platform.python_version()}, loader: {args.clarabel_loader}); "
        f"Osprey {'not run (--clarabel-only)' if args.clarabel_only else args.osprey + ' at commit ' + git_commit()}",
        f"- time limit {args.time_limit:g} s per instance and solver; repeat {args.repeat} (least time kept); "
        f"filter {args.filter!r}; instances from {os.path.join(args.benchmarks, 'conic')}",
        "- times: Osprey `total_time_s` (setup + solve); Clarabel solver construction + solve; file reading excluded for both",
        FORMULAS,
    ]
    print("\n".join(header), flush=True)

    rows_by_folder = {f: [] for f in folders}
    start = time.perf_counter()
    for k, (folder, name, path) in enumerate(instances, 1):
        inst = read_instance(path)
        osprey = None if args.clarabel_only else solve_osprey(args.osprey, path, args.time_limit, args.repeat)
        clar = solve_clarabel(inst, args.time_limit, args.repeat, args.clarabel_loader, path)
        rows_by_folder[folder].append({"name": name, "n": inst["n"], "m": inst["m"], "osprey": osprey, "clarabel": clar})
        o_text = "" if osprey is None else f"osprey {osprey['status']} {fmt_time(osprey['time'])}, "
        print(f"[{k}/{len(instances)} {time.perf_counter() - start:7.1f} s] {name}: {o_text}"
              f"clarabel {clar['status']} {fmt_time(clar['time'])} obj {fmt_num(clar['objective'])}",
              file=sys.stderr, flush=True)

    sections = []
    for folder in folders:
        rows = rows_by_folder[folder]
        if rows:
            sections.append(f"## {folder}\n\n{folder_table(rows)}")
    summary = ["## Summary", "",
               "| group | instances | Osprey solved + almost | Clarabel solved + almost | objective matches (1e-6) | time ratio O/C (shifted geomean) |",
               "|---|---|---|---|---|---|"]
    all_rows = []
    for folder in folders:
        rows = rows_by_folder[folder]
        if rows:
            summary.append(summary_line(folder, rows, args.time_limit))
            all_rows += rows
    summary.append(summary_line("all", all_rows, args.time_limit))
    mm = rows_by_folder.get("maros-meszaros") or []
    if mm:
        o = sum(1 for r in mm if r["osprey"] and r["osprey"]["status"] in OSPREY_SOLVED)
        c = sum(1 for r in mm if r["clarabel"]["status"] in CLARABEL_SOLVED)
        summary += ["", f"Maros–Meszaros solved fraction (solved or almost): "
                        f"Osprey {o}/{len(mm)} ({100 * o / len(mm):.1f}%), Clarabel {c}/{len(mm)} ({100 * c / len(mm):.1f}%)"
                        + (" — Osprey not run" if args.clarabel_only else "")]
    notes = [f"- {r['name']}: Osprey {r['osprey']['status']}: {r['osprey']['note']}"
             for r in all_rows if r["osprey"] and r["osprey"].get("note")]
    if notes:
        summary += ["", "Osprey errors:", *notes]
    body = "\n\n".join(sections + ["\n".join(summary)])
    print("\n" + body)

    output = args.output or os.path.join("bench", "results", f"solver-{now:%Y-%m-%d-%H%M%S}.md")
    os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
    with open(output, "w") as f:
        f.write("\n".join(header) + "\n\n" + body + "\n")
    print(f"\nwritten to {output}", file=sys.stderr)


if __name__ == "__main__":
    main()
