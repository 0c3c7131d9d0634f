#!/usr/bin/env python3
"""GCS motion planning (Osprey, and Drake on the same regions) against sampling-based planners (OMPL PRM and
RRT*) on planning scenes: the claim of Marcucci et al., Science Robotics 2023 (arXiv:2205.04422).

Per scene, in one run: Osprey grows IRIS regions (`osprey plan regions`) and optimizes a trajectory through
them (`osprey plan trajectory`); Drake 1.51 runs GcsTrajectoryOptimization on the same regions with Osprey's
default settings and, for task-space scenes, grows its own IRIS regions from the same seeds; OMPL's PRM
(a roadmap grown for the planning time, then one query) and RRT* (the planning time) run with a few fixed
seeds, each path shortcut and smoothed by OMPL's PathSimplifier. Every path is checked with the scene's own
collision test (bench/planscene.py); 2-D box scenes also get the exact shortest path (visibility graph).
Run through bench/plan.sh, which makes the virtual environment.
"""
import argparse
import datetime
import importlib.metadata
import json
import logging
import multiprocessing
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from pydrake.geometry.optimization import GraphOfConvexSetsOptions, HPolyhedron, Iris, IrisOptions, Point
from pydrake.planning import GcsTrajectoryOptimization
from pydrake.solvers import ClarabelSolver

from benchutil import first_line, fmt_mean_sd, fmt_time, git_commit, machine_info, markdown_table
from gcs import make_set
from planscene import (Scene, densify, polyline_duration, polyline_length,
                       visibility_shortest_path)

ORDER, CONTINUITY, TIME_WEIGHT, LENGTH_WEIGHT = 3, 1, 1.0, 1.0  # Osprey's defaults (docs/cli/plan.md)
DEFAULT_SPEED = 1.0  # Osprey's --default-speed: ±1 on every coordinate when a scene has no velocity bounds
SAMPLE_DT = 0.01  # seconds between trajectory samples (length and collision fraction)
RESOLUTION = 0.01  # OMPL's motion validation step and the collision-check step along paths (config units)
COMPARABLE = 2.0  # "comparable time": GCS's total time at most this many times PRM's
OSPREY_TIMEOUT = 600  # seconds per osprey command

NOTES = f"""\
- offline: Osprey's `plan regions` (`timings_s.total` of the file, wall time of the process in brackets),
  Drake's `Iris` from each of Osprey's seeds in turn, PRM's roadmap (`growRoadmap` for the planning time).
  online: Osprey's `plan trajectory` (the time it reports, wall in brackets), Drake's
  GcsTrajectoryOptimization build (AddRegions, edges, costs) + SolvePath, PRM's query + simplification,
  RRT*'s planning time + simplification. Osprey and Drake: median over the repeats.
- length: Σ ‖Δq‖ over trajectory samples every {SAMPLE_DT:g} s (GCS) or over the path's vertices (OMPL; raw:
  before PathSimplifier.simplifyMax). For arm scenes: joint space (radians). length/opt: against the
  visibility-graph shortest path (2-D box scenes only).
- duration: GCS: the trajectory's duration (at rest at both ends, velocity bounds from the scene, else
  ±{DEFAULT_SPEED:g}). OMPL: Σ over the path's straight segments of maxᵢ |Δqᵢ| / vmaxᵢ (each segment at the bound,
  no acceleration limit: a lower bound for any trajectory along that path).
- in collision: the fraction of samples (GCS: every {SAMPLE_DT:g} s; OMPL: the path every {RESOLUTION:g} in
  configuration space) that the scene's own collision test rejects.
- OMPL: mean ± standard deviation over the seeds that solved; "k/K" solved with an exact solution. The
  state validity checker and the motion validator (step {RESOLUTION:g}) are Python (NumPy) calls into the
  scene's collision test, much slower than a compiled checker: OMPL's roadmap and tree are smaller for
  the same time than they would be in C++.
- "Osprey GCS, cost = length": the same regions, `plan trajectory --time-weight 0` (path length alone,
  the quantity the paper's "shorter paths" claim is about); its duration is then arbitrary (slow).
  The summary's claim uses this row's length and the default row's times."""


# --- Osprey -----------------------------------------------------------------------------------------

def parse_seconds(text):
    """Seconds from "12.3 ms" / "45 µs" / "1.2 s" (the last such figure after "time" in text), or None."""
    found = re.findall(r"time\s+([0-9.]+)\s*(µs|us|ms|s)\b", text)
    if not found:
        return None
    value, unit = found[-1]
    return float(value) * {"µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]


def run_osprey(cmd, output, repeat):
    """Runs an osprey command `repeat` times: (parsed output file, [wall s], [reported s], note or None)."""
    walls, reported, data = [], [], None
    for _ in range(repeat):
        if os.path.exists(output):  # never read a file left by an earlier run
            os.remove(output)
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=OSPREY_TIMEOUT)
        except FileNotFoundError:
            return None, walls, reported, f"{cmd[0]} not found (run `make release`)"
        except subprocess.TimeoutExpired:
            return None, walls, reported, f"no answer within {OSPREY_TIMEOUT} s"
        walls.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            return None, walls, reported, (first_line(proc.stderr) or f"exit status {proc.returncode}")[:200]
        reported.append(parse_seconds(proc.stderr))
        try:
            with open(output) as f:
                data = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            return None, walls, reported, f"unreadable output file: {e}"[:200]
    return data, walls, reported, None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def osprey_plan(binary, scene_path, scene, repeat, workdir):
    """Osprey's regions and trajectory: a row for each, and the regions file (or None)."""
    regions_path, traj_path = os.path.join(workdir, "R.json"), os.path.join(workdir, "T.json")
    regions, walls, _, note = run_osprey([binary, "plan", "regions", scene_path, "-o", regions_path],
                                         regions_path, repeat)
    row = {"status": "error" if note else "solved", "note": note and f"osprey plan regions: {note}"}
    if note:
        return row, None
    totals = [(regions.get("timings_s") or {}).get("total")]  # the last run's; repeats give walls only
    row.update(offline=median(totals), offline_wall=median(walls), count=len(regions["regions"]))
    traj, walls, reported, note = run_osprey(
        [binary, "plan", "trajectory", scene_path, "--regions", regions_path, "--sample-dt", f"{SAMPLE_DT:g}",
         "-o", traj_path], traj_path, repeat)
    if note:
        row.update(status="error", note=f"osprey plan trajectory: {note}")
        return row, regions
    row.update(online=median(reported), online_wall=median(walls), status=traj.get("status"))
    if traj.get("status") != "solved":
        row["note"] = traj.get("reason")
        return row, regions
    q = np.array([s["q"] for s in traj["samples"]], float)
    row.update(duration=traj["duration"], length=polyline_length(q), collision=float(scene.in_collision(q).mean()),
               trajectory=q)
    # The same regions with the path length alone as the cost: the paper's "shorter paths" claim is about length.
    length_path = os.path.join(workdir, "T-length.json")
    traj, walls, reported, note = run_osprey(
        [binary, "plan", "trajectory", scene_path, "--regions", regions_path, "--sample-dt", f"{SAMPLE_DT:g}",
         "--time-weight", "0", "-o", length_path], length_path, repeat)
    if note or traj.get("status") != "solved":
        row["length_only"] = {"status": "error" if note else traj.get("status"), "note": note or traj.get("reason")}
    else:
        q = np.array([s["q"] for s in traj["samples"]], float)
        row["length_only"] = {"status": "solved", "online": median(reported), "online_wall": median(walls),
                              "duration": traj["duration"], "length": polyline_length(q),
                              "collision": float(scene.in_collision(q).mean())}
    return row, regions


# --- Drake --------------------------------------------------------------------------------------------

def drake_gcs(scene, regions, repeat, time_limit):
    """Drake's GcsTrajectoryOptimization on Osprey's regions, in a forked process stopped after `time_limit` s."""
    row = run_forked(drake_gcs_solve, (scene, regions, repeat), time_limit)
    row.setdefault("count", len(regions["regions"]))
    return row


def drake_gcs_solve(scene, regions, repeat):
    """Drake's GcsTrajectoryOptimization on Osprey's regions with Osprey's default settings."""
    neg, pos = scene.speed_limits(DEFAULT_SPEED)
    builds, solves, traj, result = [], [], None, None
    try:
        sets = [make_set(r) for r in regions["regions"]]
        for _ in range(repeat):
            t0 = time.perf_counter()
            gcs = GcsTrajectoryOptimization(scene.dim)
            main = gcs.AddRegions(sets, order=ORDER)  # h_min 1e-6, h_max 20: Drake's defaults, as Osprey's
            source = gcs.AddRegions([Point(scene.start)], order=0)
            target = gcs.AddRegions([Point(scene.goal)], order=0)
            gcs.AddEdges(source, main).AddZeroDerivativeConstraints(1)  # at rest at the start
            gcs.AddEdges(main, target).AddZeroDerivativeConstraints(1)  # and at the goal
            gcs.AddTimeCost(TIME_WEIGHT)
            gcs.AddPathLengthCost(LENGTH_WEIGHT)
            gcs.AddVelocityBounds(-neg, pos)
            gcs.AddPathContinuityConstraints(CONTINUITY)
            options = GraphOfConvexSetsOptions()  # Drake's defaults: relaxation, 5 rounded paths
            options.solver = ClarabelSolver()
            t1 = time.perf_counter()
            traj, result = gcs.SolvePath(source, target, options)
            t2 = time.perf_counter()
            builds.append(t1 - t0)
            solves.append(t2 - t1)
    except (RuntimeError, ValueError, KeyError) as e:
        return {"status": "error", "note": f"drake failed: {first_line(str(e)) or type(e).__name__}"[:200]}
    row = {"status": result.get_solution_result().name, "online": median(builds) + median(solves),
           "count": len(sets), "note": f"build {fmt_time(median(builds))} + SolvePath {fmt_time(median(solves))}"}
    if not result.is_success():
        return row
    t0, t1 = traj.start_time(), traj.end_time()
    times = np.append(np.arange(t0, t1, SAMPLE_DT), t1)
    q = np.array([traj.value(t).ravel() for t in times])
    row.update(status="solved", duration=t1 - t0, length=polyline_length(q),
               collision=float(scene.in_collision(q).mean()), trajectory=q)
    return row


def drake_iris(scene, seeds, repeat):
    """Drake's task-space IRIS from each seed (Osprey's seeds, in order): total time and region count."""
    try:
        obstacles = [make_set(o) for o in scene.obstacles]
        domain = HPolyhedron.MakeBox(scene.lb, scene.ub)
        totals = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            regions = [Iris(obstacles, np.asarray(s, float), domain, IrisOptions()) for s in seeds]
            totals.append(time.perf_counter() - t0)
    except (RuntimeError, ValueError, KeyError) as e:
        return {"status": "error", "note": f"drake Iris failed: {first_line(str(e)) or type(e).__name__}"[:200]}
    faces = sum(r.A().shape[0] for r in regions)
    return {"status": "regions", "offline": median(totals), "count": len(regions),
            "note": f"IrisOptions() defaults; {faces} faces in all"}


# --- OMPL ---------------------------------------------------------------------------------------------

def ompl_plan(scene_path, planner_name, seed, planning_time):
    """One OMPL run; call it in a fresh forked process (OMPL's global RNG takes a seed only before its first
    use, so every run gets its own process)."""
    from ompl import base as ob, geometric as og, util as ou
    ou.setLogLevel(ou.LOG_ERROR)
    ou.RNG.setSeed(seed)
    scene = Scene(scene_path)
    d = scene.dim
    space = ob.RealVectorStateSpace(d)
    bounds = ob.RealVectorBounds(d)
    for i in range(d):
        bounds.setLow(i, float(scene.lb[i]))
        bounds.setHigh(i, float(scene.ub[i]))
    space.setBounds(bounds)
    ss = og.SimpleSetup(space)
    ss.setStateValidityChecker(lambda s: not scene.in_collision(np.array(s[0:d]))[0])
    si = ss.getSpaceInformation()

    class MotionValidator(ob.MotionValidator):
        """Checks a straight motion at points RESOLUTION apart (s1 assumed valid), in one batch."""
        def checkMotion(self, s1, s2):
            a, b = np.array(s1[0:d]), np.array(s2[0:d])
            n = max(1, int(np.ceil(np.linalg.norm(b - a) / RESOLUTION)))
            return not scene.in_collision(a + np.linspace(0, 1, n + 1)[1:, None] * (b - a)).any()

    validator = MotionValidator(si)
    si.setMotionValidator(validator)
    start, goal = space.allocState(), space.allocState()
    for i in range(d):
        start[i], goal[i] = float(scene.start[i]), float(scene.goal[i])
    ss.setStartAndGoalStates(start, goal)
    out = {"seed": seed}
    if planner_name == "PRM":
        planner = og.PRM(si)
        ss.setPlanner(planner)
        ss.setup()
        t0 = time.perf_counter()
        planner.growRoadmap(planning_time)
        t1 = time.perf_counter()
        ss.solve(planning_time)  # no objective: returns the roadmap's shortest path once start and goal connect
        t2 = time.perf_counter()
        out.update(offline=t1 - t0, query=t2 - t1, count=planner.milestoneCount())
    else:
        objective = ob.PathLengthOptimizationObjective(si)
        objective.setCostThreshold(ob.Cost(0.0))  # never satisfied: RRT* refines for the whole planning time
        ss.setOptimizationObjective(objective)
        planner = og.RRTstar(si)
        ss.setPlanner(planner)
        t1 = time.perf_counter()
        ss.solve(planning_time)
        t2 = time.perf_counter()
        out.update(query=t2 - t1, count=planner.numIterations())
    if not ss.haveExactSolutionPath():
        out["status"] = "failed"
    else:
        path = og.PathGeometric(ss.getSolutionPath())
        out["raw_length"] = path.length()
        t3 = time.perf_counter()
        og.PathSimplifier(si).simplifyMax(path)
        out["simplify"] = time.perf_counter() - t3
        out["path"] = [path.getState(i)[0:d] for i in range(path.getStateCount())]
        out["status"] = "solved"
    return out


def run_forked(target, args, timeout):
    """target(*args) in a forked process, its result (a picklable dict) back through a pipe; a dict with
    status "error" or "timeout" and a note when it dies or runs past `timeout` seconds (then it is killed)."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child():
        try:
            send.send(target(*args))
        except Exception as e:  # reported as this run's failure; the benchmark goes on
            send.send({"status": "error", "note": f"{type(e).__name__}: {first_line(str(e))}"[:200]})
        finally:
            send.close()
            os._exit(0)  # skip the interpreter's teardown (nanobind's leak warnings)

    proc = ctx.Process(target=child)
    proc.start()
    send.close()
    try:
        out = receive.recv() if receive.poll(timeout) else {"status": "timeout", "note": f"stopped after {timeout:g} s"}
    except EOFError:
        out = {"status": "error", "note": "the process died"}
    proc.join(5)
    if proc.is_alive():
        proc.kill()
        proc.join()
    return out


def ompl_row(scene, scene_path, planner_name, seeds, planning_time):
    """OMPL's planner over the seeds: means and spreads of the solved runs."""
    neg, pos = scene.speed_limits(DEFAULT_SPEED)
    runs = [run_forked(ompl_plan, (scene_path, planner_name, seed, planning_time), 10 * planning_time + 120)
            for seed in seeds]
    solved = [r for r in runs if r["status"] == "solved"]
    for r in solved:
        path = np.array(r["path"], float)
        r["length"] = polyline_length(path)
        r["duration"] = polyline_duration(path, neg, pos)
        r["collision"] = float(scene.in_collision(densify(path, RESOLUTION)).mean())
        r["online"] = r["query"] + r["simplify"]
    notes = sorted({r["note"] for r in runs if r.get("note")})
    mean = (lambda key: statistics.fmean(r[key] for r in solved) if solved else None)
    return {"status": f"{len(solved)}/{len(runs)}", "runs": runs, "solved": solved, "n_solved": len(solved),
            "offline": statistics.fmean(r["offline"] for r in runs if "offline" in r)
            if any("offline" in r for r in runs) else None,
            "online": mean("online"), "length": mean("length"), "duration": mean("duration"),
            "collision": mean("collision"), "note": "; ".join(notes)}


# --- tables ---------------------------------------------------------------------------------------------

def fmt_num(v, digits=4):
    return "-" if v is None else f"{v:.{digits}g}"


def fmt_pct(v):
    return "-" if v is None else f"{100 * v:.1f}%"


def ratio(a, b):
    return None if a is None or b is None or b <= 0 else a / b


def scene_table(r):
    header = ["planner", "status", "offline", "online", "regions / milestones", "duration (s)", "length",
              "length / opt", "raw length", "in collision", "notes"]
    opt = r.get("optimum")
    rows = []
    o = r.get("osprey")
    if o:
        rows.append(["Osprey GCS", o["status"],
                     f"{fmt_time(o.get('offline'))} ({fmt_time(o.get('offline_wall'))})" if o.get("offline_wall") else "-",
                     f"{fmt_time(o.get('online'))} ({fmt_time(o.get('online_wall'))})" if o.get("online_wall") else "-",
                     o.get("count", "-"), fmt_num(o.get("duration")), fmt_num(o.get("length")),
                     fmt_num(ratio(o.get("length"), opt)), "-", fmt_pct(o.get("collision")), o.get("note") or ""])
        lo = o.get("length_only")
        if lo:
            rows.append(["Osprey GCS, cost = length", lo["status"], "(same regions)",
                         f"{fmt_time(lo.get('online'))} ({fmt_time(lo.get('online_wall'))})" if lo.get("online_wall") else "-",
                         o.get("count", "-"), fmt_num(lo.get("duration")), fmt_num(lo.get("length")),
                         fmt_num(ratio(lo.get("length"), opt)), "-", fmt_pct(lo.get("collision")), lo.get("note") or ""])
    d = r.get("drake")
    if d:
        rows.append(["Drake GCS (Osprey's regions)", d["status"], "-", fmt_time(d.get("online")), d.get("count", "-"),
                     fmt_num(d.get("duration")), fmt_num(d.get("length")), fmt_num(ratio(d.get("length"), opt)), "-",
                     fmt_pct(d.get("collision")), d.get("note") or ""])
    i = r.get("iris")
    if i:
        rows.append(["Drake IRIS (Osprey's seeds)", i["status"], fmt_time(i.get("offline")), "-", i.get("count", "-"),
                     "-", "-", "-", "-", "-", i.get("note") or ""])
    for name in ("PRM", "RRT*"):
        p = r.get(name)
        if not p:
            continue
        s = p["solved"]
        rows.append([f"OMPL {name}", p["status"], fmt_time(p.get("offline")),
                     fmt_mean_sd([x["online"] for x in s], fmt_time),
                     fmt_mean_sd([x["count"] for x in p["runs"] if "count" in x], lambda v: f"{v:.0f}"),
                     fmt_mean_sd([x["duration"] for x in s]), fmt_mean_sd([x["length"] for x in s]),
                     fmt_mean_sd([ratio(x["length"], opt) for x in s]) if opt else "-",
                     fmt_mean_sd([x["raw_length"] for x in s]), fmt_pct(p.get("collision")), p.get("note") or ""])
    if opt is not None:
        rows.append(["shortest path (visibility graph)", "exact", "-", "-", "-", "-", fmt_num(opt), "1", "-", "-", ""])
    return markdown_table(header, rows)


def total_time(row, keys):
    values = [row.get(k) for k in keys]
    return None if not row or any(v is None for v in values) else sum(values)


def summary(results, skip_ompl):
    header = ["scene", "GCS length / PRM length (time + length cost)", "GCS length / PRM length (length cost)",
              "GCS / PRM time (total)", "GCS / PRM time (online)", "GCS in collision", "claim holds"]
    rows = []
    for r in results:
        o, p = r.get("osprey") or {}, r.get("PRM")
        if skip_ompl or not p:
            rows.append([r["name"], "-", "-", "-", "-", fmt_pct(o.get("collision")), "not decided: OMPL not run"])
            continue
        lo = o.get("length_only") or {}
        default_length = ratio(o.get("length"), p.get("length"))
        length = ratio(lo.get("length"), p.get("length")) if lo.get("status") == "solved" else default_length
        total = ratio(total_time(o, ("offline", "online")), total_time(p, ("offline", "online")))
        online = ratio(o.get("online"), p.get("online"))
        if o.get("status") != "solved":
            verdict = f"not decided: Osprey {o.get('status', 'not run')}"
        elif o.get("collision"):
            verdict = f"no: {fmt_pct(o['collision'])} of GCS samples in collision"
        elif not p["n_solved"]:
            verdict = "yes (PRM found no path)"
        elif length is None or total is None:
            verdict = "not decided: missing figures"
        else:
            shorter, fast = length < 1, total <= COMPARABLE
            verdict = "yes" if shorter and fast else "no: " + ", ".join(
                t for t, bad in (("not shorter", not shorter), (f"over {COMPARABLE:g}× PRM's time", not fast)) if bad)
        rows.append([r["name"], fmt_num(default_length, 3), fmt_num(length, 3), fmt_num(total, 3), fmt_num(online, 3),
                     fmt_pct(o.get("collision")), verdict])
    return markdown_table(header, rows)


# --- main -----------------------------------------------------------------------------------------------

def find_scenes(dirs, pattern):
    found = []
    for d in dirs:
        if os.path.isdir(d):
            found += [(n[:-5], os.path.join(d, n)) for n in sorted(os.listdir(d)) if n.endswith(".json")]
    return [(n, p) for n, p in found if pattern.search(n)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("filter", nargs="?", default="", help="regex on scene names (re.search), e.g. arm")
    ap.add_argument("--repeat", type=int, default=1, help="run Osprey and Drake N times, keep the median times (default 1)")
    ap.add_argument("--planning-time", type=float, default=1.0, help="OMPL planning time in seconds: PRM's roadmap "
                    "growth and RRT*'s whole run (default 1)")
    ap.add_argument("--seeds", type=int, default=5, help="OMPL runs per planner, seeds 1…K (default 5)")
    ap.add_argument("--drake-time-limit", type=float, default=60.0, help="wall-clock seconds for Drake's "
                    "GcsTrajectoryOptimization on one scene, all repeats (default 60); then it is stopped")
    ap.add_argument("--skip-drake", action="store_true", help="leave out Drake")
    ap.add_argument("--skip-ompl", action="store_true", help="leave out OMPL")
    ap.add_argument("--benchmarks", default="../shared/benchmarks", help="benchmark root (holds plan/)")
    ap.add_argument("--scenes", default="bench/scenes", help="folder of generated scenes (bench/make_plan_scenes.py)")
    ap.add_argument("--osprey", default=".build/release/osprey", help="the osprey executable")
    ap.add_argument("--output", help="markdown file to write (default bench/results/plan-<date>.md)")
    args = ap.parse_args()
    if args.repeat < 1 or args.seeds < 1 or not args.planning_time > 0:
        ap.error("--repeat and --seeds must be ≥ 1 and --planning-time > 0")
    logging.getLogger("drake").setLevel(logging.WARNING)

    scenes = find_scenes([os.path.join(args.benchmarks, "plan"), args.scenes], re.compile(args.filter))
    if not scenes:
        ap.error(f"no scene matches {args.filter!r}")
    now = datetime.datetime.now()
    cores, cpu = machine_info()
    drake_text = "not run (--skip-drake)" if args.skip_drake else \
        f"Drake {importlib.metadata.version('drake')} with Clarabel"
    ompl_text = "not run (--skip-ompl)" if args.skip_ompl else \
        f"OMPL {importlib.metadata.version('ompl')} (geometric PRM and RRT*, planning time {args.planning_time:g} s, " \
        f"seeds 1–{args.seeds}, PathSimplifier.simplifyMax)"
    header = [
        f"# GCS vs sampling-based planners — `make bench-plan`, {now:%Y-%m-%d %H:%M}",
        "",
        f"- machine: {cores} cores (nproc), {cpu}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}",
        f"- Osprey {args.osprey} at commit {git_commit()} (default options); {drake_text}; {ompl_text}",
        f"- GCS settings (both): Bézier order {ORDER}, path continuity order {CONTINUITY}, time cost {TIME_WEIGHT:g} + "
        f"path length cost {LENGTH_WEIGHT:g}, velocity bounds from the scene else ±{DEFAULT_SPEED:g}, at rest at "
        f"start and goal; repeat {args.repeat}; Drake GCS stopped after {args.drake_time_limit:g} s; "
        f"filter {args.filter!r}",
        "",
        NOTES,
    ]
    print("\n".join(header), flush=True)

    start = time.perf_counter()

    def progress(name, what, text):
        print(f"[{time.perf_counter() - start:7.1f} s] {name}: {what}: {text}", file=sys.stderr, flush=True)

    def describe(row):
        if row.get("status") not in ("solved",) and not row.get("n_solved"):
            return f"{row.get('status')} {row.get('note') or ''}".strip()
        return f"{row.get('status')} length {fmt_num(row.get('length'))} duration {fmt_num(row.get('duration'))} " \
               f"offline {fmt_time(row.get('offline'))} online {fmt_time(row.get('online'))}"

    results = []
    with tempfile.TemporaryDirectory(prefix="bench-plan-") as workdir:
        for k, (name, path) in enumerate(scenes):
            r = {"name": name, "path": path}
            results.append(r)
            try:
                scene = Scene(path)
            except (ValueError, KeyError, OSError) as e:
                r["osprey"] = {"status": "error", "note": f"scene not read: {e}"[:200]}
                progress(name, "scene", r["osprey"]["note"])
                continue
            kind = f"{scene.arm.n}-link arm" if scene.is_arm else f"{scene.dim}-D task space"
            r["kind"] = f"{kind}, {len(scene.obstacles)} obstacles"
            progress(name, "scene", f"{k + 1}/{len(scenes)}, {r['kind']}")
            if scene.is_box_2d():
                r["optimum"], _ = visibility_shortest_path(scene)
                progress(name, "visibility graph", f"optimum {fmt_num(r['optimum'])}")
            r["osprey"], regions = osprey_plan(args.osprey, path, scene, args.repeat, workdir)
            progress(name, "Osprey", describe(r["osprey"]))
            if not args.skip_drake:
                if regions is not None:
                    r["drake"] = drake_gcs(scene, regions, args.repeat, args.drake_time_limit)
                    progress(name, "Drake GCS", describe(r["drake"]))
                if scene.is_arm:
                    r["iris"] = {"status": "skipped", "note": "no Drake model of the planar arm"}
                elif regions is not None:
                    r["iris"] = drake_iris(scene, regions.get("seeds") or [], args.repeat)
                    progress(name, "Drake IRIS", describe(r["iris"]))
            if not args.skip_ompl:
                for planner in ("PRM", "RRT*"):
                    r[planner] = ompl_row(scene, path, planner.replace("*", "star"), range(1, args.seeds + 1),
                                          args.planning_time)
                    progress(name, f"OMPL {planner}", describe(r[planner]))

    sections = [f"## {r['name']} ({r.get('kind', 'not read')})\n\n`{r['path']}`\n\n{scene_table(r)}" for r in results]
    sections.append(f"## Summary\n\nGCS = Osprey (regions + trajectory); PRM = OMPL PRM after simplification, mean over "
                    f"the seeds. The claim holds on a scene when GCS's path (cost = length) is shorter and its total time (offline + "
                    f"online) is at most {COMPARABLE:g}× PRM's. GCS trajectories are C¹ Bézier curves that start "
                    f"and stop at rest; PRM's paths are polylines (stops or velocity jumps at every corner).\n\n"
                    + summary(results, args.skip_ompl))
    body = "\n\n".join(sections)
    print("\n" + body)

    output = args.output or os.path.join("bench", "results", f"plan-{now:%Y-%m-%d}.md")
    os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
    with open(output, "w") as f:
        f.write("\n".join(header) + "\n\n" + body + "\n")
    print(f"\nwritten to {output} ({time.perf_counter() - start:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
