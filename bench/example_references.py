#!/usr/bin/env python3
"""Writes examples/conic/references.json: the reference objective of each sample problem.

Netlib afiro takes its published optimum; every other sample takes Clarabel's objective (default
settings, file's objective_constant added, file's sense), recorded with Clarabel's version, this
machine and the date. Run with the benchmark venv: bench/.venv/bin/python bench/example_references.py
"""
import datetime
import glob
import json
import os
import platform

import clarabel

FOLDER = os.path.join(os.path.dirname(__file__), "..", "examples", "conic")
PUBLISHED = {
    "netlib_afiro": (-464.7531428571, "published Netlib LP optimum (-4.6475314286E+02)"),
}


def main():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown CPU")
    where = f"Clarabel {clarabel.__version__} (Python), default settings, this machine ({os.cpu_count()} cores, {cpu}, {platform.system()}), {datetime.date.today():%Y-%m-%d}"
    references = {}
    for path in sorted(glob.glob(os.path.join(FOLDER, "*.json"))):
        name = os.path.basename(path)[:-5]
        if name == "references":
            continue
        with open(path) as f:
            data = json.load(f)
        settings = clarabel.DefaultSettings()
        settings.verbose = False
        solution = clarabel.load_from_file(path, settings).solve()  # ignores objective_constant
        assert str(solution.status) == "Solved", (name, solution.status)
        objective = solution.obj_val + float(data.get("objective_constant") or 0.0)
        if str((data.get("meta") or {}).get("objective_sense", "min")).startswith("max"):
            objective = -objective
        entry = {"objective": objective, "source": where, "family": data.get("family")}
        if name in PUBLISHED:
            value, source = PUBLISHED[name]
            entry.update(objective=value, source=source, clarabel_objective=objective)
        references[name] = entry
    with open(os.path.join(FOLDER, "references.json"), "w") as f:
        json.dump(references, f, indent=2, sort_keys=True)
        f.write("\n")
    for name, entry in references.items():
        print(f"{name:20s} {entry['objective']!r:24s} {entry['source']}")


if __name__ == "__main__":
    main()
