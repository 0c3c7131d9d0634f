#!/usr/bin/env python3
"""Writes the generated scenes of the planning benchmark (bench/plan.py) into bench/scenes/.

Deterministic: the same files on every run (fixed seeds, Python's `random`, no NumPy randomness).

- maze-6x6-s3: a 6×6-cell maze in a 10×10 domain (randomized depth-first search from seed 3, then 4 more
  walls knocked down so that there are several routes), walls as boxes 0.1 thick along the cell borders,
  runs of walls along one border line merged into one box; start and goal at the centres of opposite
  corner cells; velocity bounds ±1; IRIS seeds at every cell centre and every doorway (Osprey's default
  seeds alone give regions that do not connect start and goal).
- boxes3d-15-s1: 15 random boxes (sides 1–3) in a 10×10×10 domain, none within 0.5 of the start
  (0.5, 0.5, 0.5) or the goal (9.5, 9.5, 9.5); velocity bounds ±1.
- arm2 and arm3: planar arms (a 2-link and a 3-link arm, capsule links) among 3 workspace polygons; joint
  limits [−π, π]; start and goal configurations that the straight joint-space line cannot join.

    bench/.venv/bin/python bench/make_plan_scenes.py [--out bench/scenes]
"""
import argparse
import json
import math
import os
import random
import sys

import numpy as np

from planscene import Scene

MAZE = {"cells": 6, "size": 10.0, "wall": 0.1, "seed": 3, "knockdowns": 4}
BOXES3D = {"count": 15, "size": 10.0, "side": (1.0, 3.0), "seed": 1, "clearance": 0.5}


def scene(domain_lb, domain_ub, obstacles, start, goal, velocity=None, robot=None):
    out = {"format": "osprey.plan.scene", "version": 1}
    if robot is not None:
        out["robot"] = robot
    out.update({"domain": {"lb": domain_lb, "ub": domain_ub}, "obstacles": obstacles, "start": start, "goal": goal})
    if velocity is not None:
        out["velocity_bounds"] = {"lb": [-velocity] * len(domain_lb), "ub": [velocity] * len(domain_lb)}
    return out


def rounded(values, digits=6):
    return [round(float(v), digits) for v in values]


def maze():
    n, size, w = MAZE["cells"], MAZE["size"], MAZE["wall"]
    c = size / n
    rng = random.Random(MAZE["seed"])
    # open[(cell, neighbour)] for cells (i, j), i the column (x), j the row (y).
    opened = set()
    stack, seen = [(0, 0)], {(0, 0)}
    while stack:
        i, j = stack[-1]
        nbrs = [(i + di, j + dj) for di, dj in ((1, 0), (-1, 0), (0, 1), (0, -1))
                if 0 <= i + di < n and 0 <= j + dj < n and (i + di, j + dj) not in seen]
        if not nbrs:
            stack.pop()
            continue
        nxt = rng.choice(nbrs)
        opened.add(frozenset(((i, j), nxt)))
        seen.add(nxt)
        stack.append(nxt)
    closed = [frozenset(((i, j), (i + 1, j))) for i in range(n - 1) for j in range(n)] + \
             [frozenset(((i, j), (i, j + 1))) for i in range(n) for j in range(n - 1)]
    closed = [e for e in closed if e not in opened]
    for e in rng.sample(sorted(closed, key=sorted), MAZE["knockdowns"]):
        opened.add(e)
    obstacles = []
    # Vertical border lines x = k c between columns k − 1 and k; horizontal ones y = k c between rows.
    for vertical in (True, False):
        for k in range(1, n):
            run = None
            for m in range(n + 1):
                wall = m < n and (frozenset(((k - 1, m), (k, m))) if vertical else frozenset(((m, k - 1), (m, k)))) \
                    not in opened
                if wall and run is None:
                    run = m
                elif not wall and run is not None:
                    lo, hi = max(0.0, run * c - w / 2), min(size, m * c + w / 2)
                    across = (k * c - w / 2, k * c + w / 2)
                    lb, ub = ((across[0], lo), (across[1], hi)) if vertical else ((lo, across[0]), (hi, across[1]))
                    obstacles.append({"type": "box", "lb": rounded(lb), "ub": rounded(ub)})
                    run = None
    out = scene([0, 0], [size, size], obstacles, [c / 2, c / 2], [size - c / 2, size - c / 2], velocity=1)
    # IRIS seeds: every cell centre, then every doorway (IRIS regions from cell centres alone need not overlap).
    doors = sorted(tuple(sorted(e)) for e in opened)
    out["seeds"] = [rounded(((i + 0.5) * c, (j + 0.5) * c)) for i in range(n) for j in range(n)] + \
        [rounded(((a[0] + b[0] + 1) * c / 2, (a[1] + b[1] + 1) * c / 2)) for a, b in doors]
    return out


def boxes3d():
    rng = random.Random(BOXES3D["seed"])
    size, (smin, smax), clear = BOXES3D["size"], BOXES3D["side"], BOXES3D["clearance"]
    start, goal = [0.5, 0.5, 0.5], [size - 0.5] * 3
    obstacles = []
    while len(obstacles) < BOXES3D["count"]:
        sides = [rng.uniform(smin, smax) for _ in range(3)]
        lb = [rng.uniform(0, size - s) for s in sides]
        ub = [a + s for a, s in zip(lb, sides)]
        if any(all(lo - clear < p < hi + clear for p, lo, hi in zip(q, lb, ub)) for q in (start, goal)):
            continue
        obstacles.append({"type": "box", "lb": rounded(lb), "ub": rounded(ub)})
    return scene([0, 0, 0], [size] * 3, obstacles, start, goal, velocity=1)


def arm(links, obstacles, start, goal):
    robot = {"type": "planar_arm", "base": [0, 0], "link_lengths": links, "link_radius": 0.05,
             "self_collision": True}
    n = len(links)
    return scene([-math.pi] * n, [math.pi] * n, obstacles, start, goal, velocity=1, robot=robot)


def arm2():
    """A 2-link arm swinging from below a box on its right to the upper left; the elbow must fold to pass the
    box, and a second box above the shoulder blocks the straight-up posture."""
    obstacles = [{"type": "box", "lb": [1.25, 0.15], "ub": [1.65, 0.75]},
                 {"type": "box", "lb": [-0.5, 1.25], "ub": [-0.1, 1.65]},
                 {"type": "vpolytope", "vertices": [[0.4, -1.5], [1.0, -1.15], [0.3, -1.05]]}]
    return arm([1.0, 0.8], obstacles, [-0.3, 0.2], [2.4, 0.3])


def arm3():
    """A 3-link arm reaching from right of a box on its right, over the top, to below-left of a triangle."""
    obstacles = [{"type": "box", "lb": [1.2, -0.2], "ub": [1.6, 0.5]},
                 {"type": "box", "lb": [-0.4, 1.55], "ub": [0.3, 1.9]},
                 {"type": "vpolytope", "vertices": [[-1.6, -0.4], [-1.1, -0.9], [-1.0, -0.2]]}]
    return arm([0.9, 0.7, 0.5], obstacles, [-0.5, 0.4, 0.3], [2.9, 0.5, 0.6])


SCENES = {"maze-6x6-s3": maze, "boxes3d-15-s1": boxes3d, "arm2": arm2, "arm3": arm3}


def check(path):
    """Fails unless start and goal are free; says whether the straight start–goal line is free."""
    s = Scene(path)
    if s.in_collision(np.vstack([s.start, s.goal])).any():
        sys.exit(f"{path}: start or goal in collision")
    line = s.start + np.linspace(0, 1, 2001)[:, None] * (s.goal - s.start)
    return f"straight line {100 * s.in_collision(line).mean():.0f}% in collision"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "scenes"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name, make in SCENES.items():
        path = os.path.join(args.out, name + ".json")
        with open(path, "w") as f:
            json.dump(make(), f, indent=1)
            f.write("\n")
        print(f"{path}: {check(path)}")


if __name__ == "__main__":
    main()
