#!/usr/bin/env python3
"""Where descriptor matches miss: a breakdown of `osprey descriptors eval --queries FILE.csv`.

    python3 bench/descriptor_errors.py DATA QUERIES.csv [--far PX]

DATA is the folder of scene folders that was evaluated (mugs: each scene.json carries the mug's
parameters). Prints Markdown tables of the share of queries whose best match misses by more than
PX pixels (default 10), by the queried point's region on the mug (rim, inside, outside wall,
handle, bottom), by view B's camera elevation above the mug, and by where the handle is as seen
from view B; and, for the far misses that land on the mug, how much of the miss is a slide around
the mug's axis (same height, another azimuth) — the ambiguity of a rotationally symmetric,
untextured body — and how many of those slides go the way the camera turned from view A to view B
(towards the point that sits in B where the queried point sat relative to camera A: a descriptor
that keys on where a point lies in the image rather than on the mug). Standard library only.
"""
import argparse
import collections
import csv
import json
import math
import os
import sys


def rigid(values):
    """4×4 row-major list → (R rows, t)."""
    return [values[0:3], values[4:7], values[8:11]], [values[3], values[7], values[11]]


def inverse_apply(X, p):
    """X⁻¹ p for a rigid X = (R, t)."""
    R, t = X
    d = [p[i] - t[i] for i in range(3)]
    return [sum(R[j][i] * d[j] for j in range(3)) for i in range(3)]


def region(m, x, y, z):
    """The mug region of a point in the mug's frame (MugParameters' profile, 2 mm tolerance)."""
    h, rb, tau, w, tb = m["height"], m["bottom_radius"], m["taper"], m["wall_thickness"], m["bottom_thickness"]
    r = math.hypot(x, y)
    r_out = rb * (1 + (tau - 1) * z / h)
    if r > r_out + 0.002:
        return "handle"
    if z < 0.002 or (z < tb + 0.001 and r < r_out - w):
        return "bottom"
    if z > h - w:
        return "rim"
    return "inside" if r < r_out - w + 0.0015 else "outside"


def wrap_degrees(a):
    return (math.degrees(a) + 180) % 360 - 180


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data")
    parser.add_argument("queries")
    parser.add_argument("--far", type=float, default=10.0, help="a far miss: pixel error above this (default 10)")
    args = parser.parse_args()
    try:
        rows = list(csv.DictReader(open(args.queries)))
    except OSError as error:
        sys.exit(f"descriptor_errors: {args.queries}: {error.strerror}")
    if not rows:
        sys.exit(f"descriptor_errors: {args.queries}: no queries")
    scenes = {}

    def scene(name):
        if name not in scenes:
            folder = os.path.join(args.data, name)
            try:
                s = json.load(open(os.path.join(folder, "scene.json")))
                c = json.load(open(os.path.join(folder, "cameras.json")))
            except (OSError, ValueError) as error:
                sys.exit(f"descriptor_errors: {folder}: {error}")
            if s.get("category") != "mug":
                sys.exit(f"descriptor_errors: {folder}: category {s.get('category')!r}; this breakdown knows mugs")
            scenes[name] = (s["object"]["parameters"], rigid(s["object"]["X_WO"]), [rigid(f["X_WC"]) for f in c["frames"]])
        return scenes[name]

    def camera_azimuth(name, view):
        """The camera's azimuth about the mug's axis, in the mug's frame (radians)."""
        _, X_WO, cameras = scene(name)
        c = inverse_apply(X_WO, cameras[view][1])
        return math.atan2(c[1], c[0])

    def camera_from_mug(name, view):
        """(elevation in degrees above the mug's mid-height, camera azimuth from the handle's half-plane)."""
        m, X_WO, cameras = scene(name)
        c = inverse_apply(X_WO, cameras[view][1])
        elevation = math.degrees(math.atan2(c[2] - m["height"] / 2, math.hypot(c[0], c[1])))
        return elevation, abs(wrap_degrees(math.atan2(c[1], c[0]) - m["handle_angle"]))

    tables = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0]))
    slides, on_object_far, with_camera = 0, 0, 0
    for r in rows:
        m, _, _ = scene(r["scene"])
        far = float(r["pixel_error"]) > args.far
        p = [float(r["x_o"]), float(r["y_o"]), float(r["z_o"])]
        elevation, handle = camera_from_mug(r["scene"], int(r["view_b"]))
        for table, key in (("region of the queried point", region(m, *p)),
                           ("view B's elevation above the mug", "%d–%d°" % (15 * (elevation // 15), 15 * (elevation // 15) + 15)),
                           ("view B's azimuth from the handle (0°: handle towards the camera)", "%d–%d°" % (45 * min(handle // 45, 3), 45 * min(handle // 45, 3) + 45))):
            cell = tables[table][key]
            cell[0] += 1
            cell[1] += far
        if far and r["x_o_predicted"]:
            on_object_far += 1
            q = [float(r["x_o_predicted"]), float(r["y_o_predicted"]), float(r["z_o_predicted"])]
            slide = wrap_degrees(math.atan2(q[1], q[0]) - math.atan2(p[1], p[0]))
            if abs(q[2] - p[2]) < 0.005 and abs(slide) > 20:
                slides += 1
                camera = wrap_degrees(camera_azimuth(r["scene"], int(r["view_b"])) - camera_azimuth(r["scene"], int(r["view_a"])))
                with_camera += slide * camera > 0
    n = len(rows)
    nfar = sum(float(r["pixel_error"]) > args.far for r in rows)
    print(f"{n} queries, {nfar} ({100 * nfar / n:.1f}%) miss by more than {args.far:g} px; {nfar - on_object_far} of those land off the mug.")
    print()
    for title, cells in tables.items():
        print(f"| {title} | queries | share | > {args.far:g} px | share of all far misses |")
        print("|---|---|---|---|---|")
        order = sorted(cells, key=lambda k: (float(k.split("–")[0]) if k[0].isdigit() or k[0] == "-" else -1e9, k))
        for key in order:
            count, f = cells[key]
            print(f"| {key} | {count} | {100 * count / n:.1f}% | {100 * f / count:.1f}% | {100 * f / max(nfar, 1):.1f}% |")
        print()
    if on_object_far:
        print(f"Far misses that land on the mug: {on_object_far}; {100 * slides / on_object_far:.0f}% of them slide around the "
              "mug's axis (height within 5 mm, azimuth off by more than 20°).")
    if slides:
        print(f"{100 * with_camera / slides:.0f}% of those slides go the way the camera turned from view A to view B "
              "(towards where the point sat relative to camera A; 50% would be no bias).")


if __name__ == "__main__":
    main()
