#!/usr/bin/env bash
# Dense descriptors on mugs (`make bench-descriptors`): training throughput, inference time at
# 320×240, and the evaluation of a model trained for a fixed budget, on held-out views and on
# unseen instances, against the issue's aims (≥ 90% of held-out-view matches within 10 px, median ≤ 3 px).
#
#   bash bench/descriptors.sh [--minutes M] [--threads T] [--label TEXT] [--appearance plain|glazed] [--views N]
#                             [--lighting sun|sun-and-headlight] [-- TRAIN-OPTIONS…]
#
# Options after `--` go to `osprey descriptors train` (e.g. `-- --decoder-width 32 --dilation 2`).
#
# Data (collected with `osprey sim collect`, kinematic, 320×240, into out/bench-descriptors/APPEARANCE-Nv/,
# with -sun-and-headlight appended for that lighting; kept while the stamp file in each folder names the
# same collection, collected again otherwise): plain red mugs by default (--appearance glazed: each
# instance its own patterned glaze), lit by the sun alone (--lighting sun-and-headlight: with the
# camera's headlight too, as every collection before 2026-12-02 16:00 UTC);
# 24 training mugs × 36 views (seeds 0–23; --views N for another count) and 4 unseen mugs × 12 views
# (seeds 100–103). Training holds out every 4th view (views 3, 7, 11, …); each evaluation scores
# 100 pairs × 100 exact matches, and breaks the held-out misses beyond 10 px down (bench/descriptor_errors.py). Writes
# bench/results/descriptors-<date>.md, or descriptors-<date>-<label>.md for a run with --label.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=30
THREADS=2
LABEL=""
APPEARANCE=plain
TRAIN_VIEWS=36
LIGHTING=sun
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) MINUTES="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --label) LABEL="$2"; shift 2 ;;
    --appearance) APPEARANCE="$2"; shift 2 ;;
    --views) TRAIN_VIEWS="$2"; shift 2 ;;
    --lighting) LIGHTING="$2"; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "bench/descriptors.sh: unknown option $1 (known: --minutes M, --threads T, --label TEXT, --appearance plain|glazed, --views N, --lighting sun|sun-and-headlight)" >&2; exit 2 ;;
  esac
done
case "$APPEARANCE" in glazed|plain) ;; *) echo "bench/descriptors.sh: --appearance: plain or glazed, got $APPEARANCE" >&2; exit 2 ;; esac
case "$LIGHTING" in sun|sun-and-headlight) ;; *) echo "bench/descriptors.sh: --lighting: sun or sun-and-headlight, got $LIGHTING" >&2; exit 2 ;; esac
[[ "$TRAIN_VIEWS" =~ ^[0-9]+$ ]] && [ "$TRAIN_VIEWS" -ge 8 ] || { echo "bench/descriptors.sh: --views: a whole number ≥ 8, got $TRAIN_VIEWS" >&2; exit 2; }
swift build -c release --product osprey >&2
swift build -c release --product osprey-learn >&2
BIN=.build/release
DATA=out/bench-descriptors/$APPEARANCE-${TRAIN_VIEWS}v$([ "$LIGHTING" = sun ] || echo "-$LIGHTING")
mkdir -p "$DATA"
# Collection 4: the lighting named (collections 1–3 had the headlight; collection 3 added the appearance,
# collection 2 had plain mugs only; collection 1 rolled the camera).
collect() {  # collect FOLDER INSTANCES VIEWS SEED
  local stamp="collection 4: mug --instances $2 --views $3 --seed $4 --width 320 --height 240 --kinematic --appearance $APPEARANCE --lighting $LIGHTING"
  if [ "$(cat "$1/.collected-with" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$1"
    "$BIN/osprey" sim collect --category mug --instances "$2" --views "$3" --seed "$4" -o "$1" --width 320 --height 240 --kinematic \
      --appearance "$APPEARANCE" --lighting "$LIGHTING"
    echo "$stamp" > "$1/.collected-with"
  fi
}
TRAIN_INSTANCES=24 UNSEEN_INSTANCES=4 UNSEEN_VIEWS=12
collect "$DATA/train" $TRAIN_INSTANCES $TRAIN_VIEWS 0
collect "$DATA/unseen" $UNSEEN_INSTANCES $UNSEEN_VIEWS 100
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
MODEL="$DATA/model.pt"
TRAIN_LINE=$("$BIN/osprey" descriptors train --data "$DATA/train" --out "$MODEL" --steps 1000000 --minutes "$MINUTES" \
  --threads "$THREADS" --seed 0 "${EXTRA[@]}" | tail -1)
echo "$TRAIN_LINE"
TIME_LINE=$("$BIN/osprey" descriptors time --model "$MODEL" --threads "$THREADS" --repeats 10)
echo "$TIME_LINE"
HELD=$("$BIN/osprey" descriptors eval --model "$MODEL" --data "$DATA/train" --views held-out --pairs 100 --json --threads "$THREADS" \
  --queries "$DATA/held-out-queries.csv")
UNSEEN=$("$BIN/osprey" descriptors eval --model "$MODEL" --data "$DATA/unseen" --views all --pairs 100 --json --threads "$THREADS")
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p bench/results
# A labelled run gets its own file (descriptors-DATE-LABEL.md), so that it never replaces the day's default run.
SLUG=$(printf '%s' "$LABEL" | tr 'A-Z' 'a-z' | tr -cs 'a-z0-9' '-' | sed 's/^-*//; s/-*$//')
OUT="bench/results/descriptors-$(date -u +%Y-%m-%d)${SLUG:+-$SLUG}.md"
DATA_LINE="$APPEARANCE mugs: $TRAIN_INSTANCES training mugs × $TRAIN_VIEWS views (seeds 0–$((TRAIN_INSTANCES - 1)); every 4th view held out), $UNSEEN_INSTANCES unseen mugs × $UNSEEN_VIEWS views (seeds 100–$((99 + UNSEEN_INSTANCES))); 320×240, kinematic collection, upright camera, lighting $LIGHTING"
python3 - "$OUT" "$MINUTES" "$THREADS" "$LABEL" "$TRAIN_LINE" "$TIME_LINE" "$HELD" "$UNSEEN" "$LOAD_START" "$LOAD_END" "$DATA_LINE" "${EXTRA[*]}" "$DATA" <<'PY'
import json, platform, subprocess, sys, datetime, os
out, minutes, threads, label, train, timing, held, unseen, load0, load1, data, extra, folder = sys.argv[1:]
held, unseen = json.loads(held), json.loads(unseen)
# The train command passes --seed 0 first; a --seed among the options after `--` comes later and wins.
words = extra.split()
seed = next((words[i + 1] for i in range(len(words) - 2, -1, -1) if words[i] == "--seed"), "0")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
if subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip():
    commit += " with uncommitted changes"
def f(x, fmt): return "n/a" if x is None else fmt % x
def row(name, r, aim):
    w = r["fraction_within_px"]
    return "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s |" % (name, r["pairs"], r["matches"], f(r["median_pixel_error"], "%.2f px"),
        f(w["5"] and 100 * w["5"], "%.1f%%"), f(w["10"] and 100 * w["10"], "%.1f%%"), f(w["20"] and 100 * w["20"], "%.1f%%"),
        f(r["median_3d_error_m"] and 1000 * r["median_3d_error_m"], "%.1f mm"), f(r["mean_fraction_closer"], "%.4f"), aim)
ok = held["fraction_within_px"]["10"] is not None and held["fraction_within_px"]["10"] >= 0.9 and held["median_pixel_error"] <= 3
lines = [
  "# Dense descriptors benchmark (`make bench-descriptors`)" + (" — " + label if label else ""), "",
  "- date: %s UTC; commit %s" % (datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"), commit),
  "- machine: %s, %d cores, %s; load average %s at the start, %s at the end" % (cpu, os.cpu_count(), platform.platform(), load0, load1),
  "- data: " + data,
  "- budget: %s minutes of training, %s torch thread(s), seed %s, D 16, defaults of `osprey descriptors train`%s" % (minutes, threads, seed, " with `" + extra + "`" if extra else ""), "",
  "```", train, timing, "```", "",
  "| evaluated on | pairs | matches | median pixel error | ≤ 5 px | ≤ 10 px | ≤ 20 px | median 3-D error | mean fraction closer | aim |",
  "|---|---|---|---|---|---|---|---|---|---|",
  row("held-out views", held, "≥ 90% within 10 px, median ≤ 3 px: " + ("met" if ok else "not met")),
  row("unseen instances", unseen, "report"), "",
  "Pixel errors at the model's resolution (320×240) against the simulator's exact correspondences; "
  "3-D error over best matches that land on the object (off the object: %.1f%% held-out, %.1f%% unseen)." % (
    100 * (held["off_object_fraction"] or 0), 100 * (unseen["off_object_fraction"] or 0)),
  "", "Cumulative distribution of pixel error (held-out views / unseen instances):", "",
  "| ≤ px | " + " | ".join("%g" % c["px"] for c in held["pixel_error_cdf"]) + " |",
  "|---|" + "---|" * len(held["pixel_error_cdf"]),
  "| held-out | " + " | ".join(f(c["fraction"] and 100 * c["fraction"], "%.1f%%") for c in held["pixel_error_cdf"]) + " |",
  "| unseen | " + " | ".join(f(c["fraction"] and 100 * c["fraction"], "%.1f%%") for c in unseen["pixel_error_cdf"]) + " |",
]
queries = folder + "/held-out-queries.csv"
breakdown = subprocess.run([sys.executable, "bench/descriptor_errors.py", folder + "/train", queries], capture_output=True, text=True, check=True).stdout
lines += ["", "Where the held-out misses beyond 10 px are (`python3 bench/descriptor_errors.py`, queries in %s):" % queries, "", breakdown.rstrip()]
open(out + ".partial", "w").write("\n".join(lines) + "\n")
os.replace(out + ".partial", out)
print("\n".join(lines))
print("wrote " + out, file=sys.stderr)
PY
