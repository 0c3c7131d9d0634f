#!/usr/bin/env python3
"""Osprey's GCS shortest-path solver against Drake's GraphOfConvexSets on the GCS benchmark instances.

Each instance (a gcs.md problem file) is solved by Osprey (`osprey gcs solve`, its `timings_s.total`)
and by Drake 1.51 with Clarabel in this process (GraphOfConvexSets built from the file, then
`SolveShortestPath`), one after the other in the same run, with the same options: convex relaxation,
no preprocessing, 10 rounded paths, seed 0. Drake's figures are checked against reference-drake.jsonl.
Then Osprey's MICP on the 50-vertex and small random graphs, and a 50×50 maze made by `osprey gcs
maze`. Run through bench/gcs.sh, which makes the virtual environment.
"""
import argparse
import datetime
import importlib.metadata
import json
import logging
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

from benchutil import first_line, fmt_time, git_commit, machine_info, markdown_table

import numpy as np
from pydrake.geometry.optimization import (CartesianProduct, GraphOfConvexSets, GraphOfConvexSetsOptions,
                                           HPolyhedron, Hyperellipsoid, Intersection, Point, VPolytope)
from pydrake.solvers import (Binding, ClarabelSolver, Constraint, Cost, L1NormCost, L2NormCost, LinearConstraint,
                             LinearCost, LinearEqualityConstraint, LInfNormCost, QuadraticCost)

ROUNDS, SEED = 10, 0  # the default method of both solvers: relaxation + 10 rounded paths
MATCH_TOL = 1e-4  # costs within this relative difference of the reference count as matching
LARGE = 100  # instances with at least this many vertices enter the speed verdict
MICP_PATTERN = re.compile(r"^random-|-small")  # the instances of the MICP table
MAZE = {"size": 50, "knockdowns": 100, "seed": 1}

FORMULAS = f"""\
- rel diff = |a − b| / max(1, |b|) against the reference b; "match" means rel diff ≤ {MATCH_TOL:g}.
- gap = (cost − lower bound) / cost; the lower bound of relaxation + rounding is the relaxation cost.
- time ratio = t_osprey / t_drake (below 1: Osprey faster). Osprey: `timings_s.total` of the solution
  file (wall: the whole process, file reading included); Drake: `SolveShortestPath` with rounding
  (graph building from the parsed file excluded, shown apart). Median over the repeats.
- Drake's relaxation cost comes from a second `SolveShortestPath` without rounding (as the reference
  was made); "Drake vs ref" is the larger rel diff of its relaxation cost and cost against the reference."""


# --- gcs.md problem → pydrake GraphOfConvexSets ---------------------------------------------------

def make_set(s):
    """A gcs.md set as a Drake ConvexSet."""
    kind = s["type"]
    if kind == "point":
        return Point(np.asarray(s["x"], dtype=float))
    if kind == "box":
        return HPolyhedron.MakeBox(np.asarray(s["lb"], dtype=float), np.asarray(s["ub"], dtype=float))
    if kind == "hpolyhedron":
        return HPolyhedron(np.asarray(s["A"], dtype=float), np.asarray(s["b"], dtype=float))
    if kind == "vpolytope":  # gcs.md: one point per row; Drake: one per column
        return VPolytope(np.asarray(s["vertices"], dtype=float).T)
    if kind == "ellipsoid":
        return Hyperellipsoid(np.asarray(s["A"], dtype=float), np.asarray(s["center"], dtype=float))
    if kind == "intersection":
        return Intersection([make_set(t) for t in s["sets"]])
    if kind == "product":
        return CartesianProduct([make_set(t) for t in s["sets"]])
    raise ValueError(f"unknown set type {kind!r}")


def make_cost(c, n):
    """A gcs.md cost on z (n entries) as a Drake Cost."""
    kind = c["type"]
    if kind == "euclidean":  # ‖x_v − x_u‖ with z = (x_u, x_v)
        d = n // 2
        return L2NormCost(np.hstack([-np.eye(d), np.eye(d)]), np.zeros(d))
    norms = {"l2norm": L2NormCost, "l1norm": L1NormCost, "linfnorm": LInfNormCost}
    if kind in norms:
        return norms[kind](np.asarray(c["A"], dtype=float), np.asarray(c["b"], dtype=float))
    if kind == "linear":
        return LinearCost(np.asarray(c["a"], dtype=float), float(c["b"]))
    if kind == "quadratic":  # ½ zᵀQz + qᵀz + c, Drake's convention too
        return QuadraticCost(np.asarray(c["Q"], dtype=float), np.asarray(c["q"], dtype=float), float(c["c"]))
    raise ValueError(f"unknown cost type {kind!r}")


def make_constraint(c):
    """A gcs.md constraint as a Drake Constraint (null bounds of linear_inequality are ±∞)."""
    kind = c["type"]
    if kind == "linear_equality":
        return LinearEqualityConstraint(np.asarray(c["A"], dtype=float), np.asarray(c["b"], dtype=float))
    if kind == "linear_inequality":
        lb = np.array([-np.inf if v is None else v for v in c["lb"]], dtype=float)
        ub = np.array([np.inf if v is None else v for v in c["ub"]], dtype=float)
        return LinearConstraint(np.asarray(c["A"], dtype=float), lb, ub)
    raise ValueError(f"unknown constraint type {kind!r}")


def add_terms(owner, item, z):
    """Adds the costs and constraints of a vertex or edge of the file to its Drake counterpart."""
    for c in item.get("costs") or []:
        owner.AddCost(Binding[Cost](make_cost(c, len(z)), z))
    for c in item.get("constraints") or []:
        owner.AddConstraint(Binding[Constraint](make_constraint(c), z))


def build_drake(problem):
    """The GraphOfConvexSets of a parsed gcs.md problem, with its source and target vertices."""
    gcs = GraphOfConvexSets()
    vertices = {}
    for v in problem["vertices"]:
        vertex = gcs.AddVertex(make_set(v["set"]), v["name"])
        add_terms(vertex, v, vertex.x())
        vertices[v["name"]] = vertex
    for e in problem["edges"]:
        edge = gcs.AddEdge(vertices[e["from"]], vertices[e["to"]])
        add_terms(edge, e, np.concatenate([edge.xu(), edge.xv()]))
    return gcs, vertices[problem["source"]], vertices[problem["target"]]


def drake_options(rounds, time_limit):
    """Relaxation without preprocessing, `rounds` rounded paths, Clarabel for every conic solve."""
    options = GraphOfConvexSetsOptions()
    options.convex_relaxation = True
    options.preprocessing = False
    options.max_rounded_paths = rounds
    options.rounding_seed = SEED
    options.solver = ClarabelSolver()
    options.restriction_solver = ClarabelSolver()
    options.solver_options.SetOption(ClarabelSolver.id(), "time_limit", float(time_limit))
    return options


def solve_drake(problem, repeat, time_limit):
    """Builds and solves with Drake `repeat` times: median times, costs and path of the last run."""
    builds, relax_times, times = [], [], []
    for _ in range(repeat):
        try:
            t0 = time.perf_counter()
            gcs, source, target = build_drake(problem)
            t1 = time.perf_counter()
            relaxed = gcs.SolveShortestPath(source, target, drake_options(0, time_limit))
            t2 = time.perf_counter()
            rounded = gcs.SolveShortestPath(source, target, drake_options(ROUNDS, time_limit))
            t3 = time.perf_counter()
        except (RuntimeError, ValueError, KeyError) as e:
            return {"status": "error", "note": f"drake failed: {first_line(str(e)) or type(e).__name__}"[:200],
                    "build": None, "relaxation_time": None, "time": None, "relaxation_cost": None,
                    "cost": None, "path": None}
        builds.append(t1 - t0)
        relax_times.append(t2 - t1)
        times.append(t3 - t2)
    out = {"status": rounded.get_solution_result().name, "build": statistics.median(builds),
           "relaxation_time": statistics.median(relax_times), "time": statistics.median(times),
           "relaxation_cost": relaxed.get_optimal_cost() if relaxed.is_success() else None,
           "cost": None, "path": None, "note": None}
    if rounded.is_success():
        out["cost"] = rounded.get_optimal_cost()
        out["path"] = [source.name()] + [e.v().name() for e in gcs.GetSolutionPath(source, target, rounded)]
    return out


# --- Osprey -----------------------------------------------------------------------------------------

def run_osprey(binary, path, args, time_limit, repeat, workdir):
    """`osprey gcs solve PATH ARGS -o …` `repeat` times: the solution's fields, median times, or a note."""
    solution = os.path.join(workdir, "solution.json")
    cmd = [binary, "gcs", "solve", path, *args, "--time-limit", f"{time_limit:g}", "-o", solution]
    totals, relax_totals, walls, out = [], [], [], None
    for _ in range(repeat):
        if os.path.exists(solution):  # never read a file left by an earlier run
            os.remove(solution)
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=time_limit + 60)
        except FileNotFoundError:
            return {"note": f"osprey failed: {binary} not found (run `make release`)"}
        except subprocess.TimeoutExpired:
            return {"note": f"osprey failed: no answer within {time_limit + 60:g} s"}
        walls.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            return {"note": f"osprey failed: {first_line(proc.stderr) or f'exit status {proc.returncode}'}"[:200]}
        try:
            with open(solution) as f:
                sol = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            return {"note": f"osprey failed: unreadable solution file: {e}"}
        timings = sol.get("timings_s") or {}
        if timings.get("total") is not None:
            totals.append(timings["total"])
        if timings.get("relaxation") is not None:
            relax_totals.append(timings["relaxation"])
        out = {"status": sol.get("status"), "cost": sol.get("cost"), "lower_bound": sol.get("lower_bound"),
               "relaxation_cost": sol.get("relaxation_cost"), "statistics": sol.get("statistics") or {}}
    out["time"] = statistics.median(totals) if totals else None
    out["relaxation_time"] = statistics.median(relax_totals) if relax_totals else None
    out["wall"] = statistics.median(walls)
    return out


def make_maze(binary, path):
    """Writes the 50×50 maze with `osprey gcs maze`; returns None, or a note on failure."""
    cmd = [binary, "gcs", "maze", "--size", str(MAZE["size"]), "--knockdowns", str(MAZE["knockdowns"]),
           "--seed", str(MAZE["seed"]), "-o", path]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        return f"osprey gcs maze failed: {binary} not found (run `make release`)"
    except subprocess.TimeoutExpired:
        return "osprey gcs maze failed: no answer within 120 s"
    if proc.returncode != 0:
        return f"osprey gcs maze failed: {first_line(proc.stderr) or f'exit status {proc.returncode}'}"[:200]
    return None


# --- figures and tables -----------------------------------------------------------------------------

def rel_diff(a, b):
    if a is None or b is None:
        return None
    return abs(a - b) / max(1.0, abs(b))


def gap(cost, bound):
    if cost is None or bound is None or cost == 0:
        return None
    return (cost - bound) / cost


def fmt_num(v):
    return "-" if v is None else f"{v:.8g}"


def fmt_sci(v):
    return "-" if v is None else f"{v:.1e}"


def time_ratio(o, d):
    if not o or o.get("time") is None or not d or d["time"] is None or d["time"] <= 0:
        return None
    return o["time"] / d["time"]


def notes(o, d):
    """The failure notes of a row: Osprey's, then Drake's."""
    return "; ".join(n for n in (o.get("note"), (d or {}).get("note")) if n)


def compare_table(rows):
    """Costs against the reference (Osprey without preprocessing, as the reference was made) and times:
    Osprey as users run it (with preprocessing), Osprey without preprocessing, and Drake."""
    header = ["instance", "V", "E", "cost O", "cost ref", "rel diff", "relax O", "relax ref", "rel diff",
              "gap O", "time O", "time O (no pre)", "time D", "O/D", "O no pre/D", "notes"]
    body = []
    for r in rows:
        o, d, ref, od = r["osprey"], r["drake"] or {}, r["ref"], r["osprey_default"]
        ratio = time_ratio(od, r["drake"])
        ratio_np = time_ratio(o, r["drake"])
        body.append([
            r["name"], r["V"], r["E"], fmt_num(od.get("cost")), fmt_num(ref.get("cost")),
            fmt_sci(rel_diff(od.get("cost"), ref.get("cost"))), fmt_num(o.get("relaxation_cost")),
            fmt_num(ref.get("relaxation_cost")), fmt_sci(rel_diff(o.get("relaxation_cost"), ref.get("relaxation_cost"))),
            fmt_sci(gap(od.get("cost"), od.get("lower_bound"))),
            fmt_time(od.get("time")), fmt_time(o.get("time")), fmt_time(d.get("time")),
            "-" if ratio is None else f"{ratio:.2f}", "-" if ratio_np is None else f"{ratio_np:.2f}",
            notes(od, r["drake"]) or notes(o, None)])
    return markdown_table(header, body)


def micp_table(rows):
    header = ["instance", "vertices", "edges", "status", "cost", "lower bound", "gap", "time", "wall", "nodes",
              "optimum (ref)", "rel diff", "notes"]
    body = []
    for r in rows:
        o, ref = r["micp"], r["ref"]
        body.append([r["name"], r["V"], r["E"], o.get("status") or "-", fmt_num(o.get("cost")),
                     fmt_num(o.get("lower_bound")), fmt_sci(gap(o.get("cost"), o.get("lower_bound"))),
                     fmt_time(o.get("time")), fmt_time(o.get("wall")),
                     (o.get("statistics") or {}).get("nodes", "-"), fmt_num(ref.get("optimum")),
                     fmt_sci(rel_diff(o.get("cost"), ref.get("optimum"))), o.get("note") or ""])
    return markdown_table(header, body)


def maze_table(maze):
    header = ["solver", "status", "cost", "relaxation cost", "gap", "time", "relax time", "wall O / build D", "notes"]
    rows = []
    for key, label in (("osprey_default", "Osprey"), ("osprey", "Osprey, no preprocessing")):
        o = maze.get(key) or {}
        rows.append([label, o.get("status") or "-", fmt_num(o.get("cost")), fmt_num(o.get("relaxation_cost")),
                     fmt_sci(gap(o.get("cost"), o.get("lower_bound"))), fmt_time(o.get("time")),
                     fmt_time(o.get("relaxation_time")), fmt_time(o.get("wall")), notes(o, None)])
    if maze["drake"]:
        d = maze["drake"]
        rows.append(["Drake", d["status"], fmt_num(d["cost"]), fmt_num(d["relaxation_cost"]),
                     fmt_sci(gap(d["cost"], d["relaxation_cost"])), fmt_time(d["time"]),
                     fmt_time(d["relaxation_time"]), fmt_time(d["build"]), d["note"] or ""])
    return markdown_table(header, rows)


def summary(rows, maze, drake_run):
    """The verdict lines: reference matches and the speed of Osprey on the large instances."""
    with_ref = [r for r in rows if r["ref"].get("cost") is not None]
    osprey = sum(1 for r in with_ref if (d := rel_diff(r["osprey"].get("cost"), r["ref"]["cost"])) is not None
                 and d <= MATCH_TOL)
    drake = sum(1 for r in with_ref if r["drake"]
                and (d := rel_diff(r["drake"]["cost"], r["ref"]["cost"])) is not None and d <= MATCH_TOL)
    drake_text = f"{drake}/{len(with_ref)}" if drake_run else "not run"
    lines = [f"- reference costs matched within {MATCH_TOL:g}: Osprey {osprey}/{len(with_ref)}, "
             f"Drake (this run) {drake_text}"]
    large = [r for r in rows if r["V"] >= LARGE]
    if maze and (maze["V"] is None or maze["V"] >= LARGE):  # a maze not generated counts as missing
        large.append(maze)
    for key, label in (("osprey_default", "with its default preprocessing"), ("osprey", "without preprocessing")):
        slower = [r["name"] for r in large if (t := time_ratio(r[key], r["drake"])) is not None and t > 1]
        missing = [r["name"] for r in large if time_ratio(r[key], r["drake"]) is None]
        if slower:
            verdict = f"no: slower on {', '.join(slower)}"
        elif missing:
            verdict = f"not decided: no time pair for {', '.join(missing)}"
        else:
            verdict = "yes" if large else "no instance"
        lines.append(f"- Osprey ({label}) relaxation + rounding time ≤ Drake's on every instance with ≥ {LARGE} "
                     f"vertices ({len(large)}): {verdict}")
    return "\n".join(lines)


def read_references(path):
    refs = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                refs[r["name"]] = r
    return refs


def load(path):
    with open(path) as f:
        return json.load(f)


def check_drake(name, d, ref):
    """Warns on stderr when Drake's costs of this run leave the reference by more than MATCH_TOL, or its path differs."""
    for key in ("relaxation_cost", "cost"):
        if ref.get(key) is None:
            continue
        diff = rel_diff(d[key], ref[key])
        if diff is None or diff > MATCH_TOL:
            print(f"warning: {name}: Drake {key} {fmt_num(d[key])} vs reference {fmt_num(ref[key])} "
                  f"(rel diff {fmt_sci(diff)})", file=sys.stderr, flush=True)
    if ref.get("path") is not None and d["path"] != ref["path"]:
        print(f"warning: {name}: Drake's path differs from the reference path", file=sys.stderr, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("filter", nargs="?", default="", help="regex on instance names (re.search), e.g. maze")
    ap.add_argument("--repeat", type=int, default=1, help="solve each instance N times, keep the median time (default 1)")
    ap.add_argument("--time-limit", type=float, default=300.0, help="seconds per solve: Osprey's whole solve, each of "
                    "Drake's Clarabel solves (default 300)")
    ap.add_argument("--skip-drake", action="store_true", help="run Osprey only")
    ap.add_argument("--skip-micp", action="store_true", help="leave out the MICP table")
    ap.add_argument("--benchmarks", default="../shared/benchmarks", help="benchmark root (holds gcs/)")
    ap.add_argument("--osprey", default=".build/release/osprey", help="the osprey executable")
    ap.add_argument("--output", help="markdown file to write (default bench/results/gcs-<date>.md)")
    args = ap.parse_args()
    if args.repeat < 1 or not args.time_limit > 0:
        ap.error("--repeat must be ≥ 1 and --time-limit > 0")
    logging.getLogger("drake").setLevel(logging.WARNING)  # no "Finished N rounding trials" lines

    base = os.path.join(args.benchmarks, "gcs")
    if not os.path.isdir(base):
        ap.error(f"{base}: no such folder (set OSPREY_BENCHMARKS)")
    refs = read_references(os.path.join(base, "reference-drake.jsonl"))
    pattern = re.compile(args.filter)
    names = [n[:-5] for n in sorted(os.listdir(base)) if n.endswith(".json") and pattern.search(n[:-5])]
    micp_names = [] if args.skip_micp else [n for n in names if MICP_PATTERN.search(n)]
    maze_name = f"maze-{MAZE['size']}-s{MAZE['seed']}-k{MAZE['knockdowns']}"
    with_maze = bool(pattern.search(maze_name))
    if not names and not with_maze:
        ap.error(f"no instance matches {args.filter!r}")

    now = datetime.datetime.now()
    cores, cpu = machine_info()
    drake_text = "not run (--skip-drake)" if args.skip_drake else \
        f"Drake {importlib.metadata.version('drake')} with Clarabel (pydrake, Python {platform.python_version()})"
    header = [
        f"# Osprey vs Drake — GCS shortest paths, {now:%Y-%m-%d %H:%M}",
        "",
        f"- machine: {cores} cores (nproc), {cpu}; {platform.system()} {platform.release()}",
        f"- {drake_text}; Osprey {args.osprey} at commit {git_commit()}",
        f"- both: convex relaxation, {ROUNDS} rounded paths, seed {SEED}; Drake without preprocessing (as the "
        f"reference); Osprey timed with its default preprocessing and without; relaxation costs compared without; "
        f"MICP: Osprey defaults",
        f"- time limit {args.time_limit:g} s per solve; repeat {args.repeat} (median time kept); filter {args.filter!r}; "
        f"instances from {base}",
        FORMULAS,
    ]
    print("\n".join(header), flush=True)

    total = len(names) + len(micp_names) + with_maze
    start, done = time.perf_counter(), 0

    def progress(name, text):
        nonlocal done
        done += 1
        elapsed = time.perf_counter() - start
        eta = elapsed / done * (total - done)
        print(f"[{done}/{total} {elapsed:7.1f} s, ETA {eta:6.0f} s] {name}: {text}", file=sys.stderr, flush=True)

    def describe(o, d):
        o_text = o.get("note") or f"osprey {o.get('status')} {fmt_num(o.get('cost'))} {fmt_time(o.get('time'))}"
        d_text = "" if d is None else f", drake {d['status']} {fmt_num(d['cost'])} {fmt_time(d['time'])}"
        return o_text + d_text

    default_opts = ["--method", "relaxation", "--rounds", str(ROUNDS), "--seed", str(SEED)]
    compare_opts = default_opts + ["--no-preprocess"]
    rows, micp_rows, maze = [], [], None
    with tempfile.TemporaryDirectory(prefix="bench-gcs-") as workdir:
        for name in names:
            path = os.path.join(base, name + ".json")
            problem = load(path)
            ref = refs.get(name, {})
            osprey = run_osprey(args.osprey, path, compare_opts, args.time_limit, args.repeat, workdir)
            osprey_default = run_osprey(args.osprey, path, default_opts, args.time_limit, args.repeat, workdir)
            drake = None if args.skip_drake else solve_drake(problem, args.repeat, args.time_limit)
            if drake:
                check_drake(name, drake, ref)
            rows.append({"name": name, "V": len(problem["vertices"]), "E": len(problem["edges"]),
                         "osprey": osprey, "osprey_default": osprey_default, "drake": drake, "ref": ref})
            progress(name, describe(osprey_default, drake))
        for name in micp_names:
            path = os.path.join(base, name + ".json")
            problem = load(path)
            micp = run_osprey(args.osprey, path, ["--method", "micp"], args.time_limit, args.repeat, workdir)
            micp_rows.append({"name": name, "V": len(problem["vertices"]), "E": len(problem["edges"]),
                              "micp": micp, "ref": refs.get(name, {})})
            progress(name + " (micp)", describe(micp, None))
        if with_maze:
            path = os.path.join(workdir, maze_name + ".json")
            maze = {"name": maze_name, "V": None, "E": None, "drake": None,
                    "osprey": {"note": make_maze(args.osprey, path)}}
            maze["osprey_default"] = maze["osprey"]
            if maze["osprey"]["note"] is None:
                problem = load(path)
                maze["V"], maze["E"] = len(problem["vertices"]), len(problem["edges"])
                maze["osprey"] = run_osprey(args.osprey, path, compare_opts, args.time_limit, args.repeat, workdir)
                maze["osprey_default"] = run_osprey(args.osprey, path, default_opts, args.time_limit, args.repeat,
                                                    workdir)
                maze["drake"] = None if args.skip_drake else solve_drake(problem, args.repeat, args.time_limit)
            progress(maze_name, describe(maze["osprey"], maze["drake"]))

    sections = []
    if rows:
        sections.append(f"## Relaxation + {ROUNDS} rounded paths, Osprey vs Drake\n\n{compare_table(rows)}")
    if micp_rows:
        sections.append(f"## Osprey MICP (`--method micp`)\n\n{micp_table(micp_rows)}")
    if maze:
        size = f"{maze['V']} vertices, {maze['E']} edges" if maze["V"] is not None else "not generated"
        sections.append(f"## Maze {MAZE['size']}×{MAZE['size']} (`osprey gcs maze --size {MAZE['size']} "
                        f"--knockdowns {MAZE['knockdowns']} --seed {MAZE['seed']}`: {size})\n\n{maze_table(maze)}")
    sections.append("## Summary\n\n" + summary(rows, maze, not args.skip_drake))
    body = "\n\n".join(sections)
    print("\n" + body)

    output = args.output or os.path.join("bench", "results", f"gcs-{now:%Y-%m-%d}.md")
    os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
    with open(output, "w") as f:
        f.write("\n".join(header) + "\n\n" + body + "\n")
    print(f"\nwritten to {output}", file=sys.stderr)


if __name__ == "__main__":
    main()
