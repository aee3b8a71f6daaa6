#!/usr/bin/env python3
"""Prints the medians over the rounds that compare.sh wrote to a results
directory: python3 summarize.py results/<time>."""
import glob
import json
import os
import statistics
import sys

d = sys.argv[1] if len(sys.argv) > 1 else sorted(glob.glob(os.path.join(os.path.dirname(__file__), "results", "*")))[-1]
keys = ["overhead_ms_per_trial", "one_worker_per_s", "workers_per_s", "speedup"]
extra = ["first_tenth_ms_per_trial", "last_tenth_ms_per_trial", "statements_per_trial"]
for kind in ["goptuna", "goglove", "goptuna-lazy"]:
    runs = [json.load(open(f)) for f in sorted(glob.glob(os.path.join(d, kind + "-[0-9]*.json")))]
    if not runs:
        continue
    print(f"{kind} ({len(runs)} rounds)")
    for k in keys + [k for k in extra if k in runs[0]]:
        vals = [r[k] for r in runs]
        print(f"  {k:28} median {statistics.median(vals):8.3f}   rounds {vals}")
    if "overhead_runs_ms_per_trial" in runs[0]:
        allruns = [x for r in runs for x in r["overhead_runs_ms_per_trial"]]
        print(f"  {'overhead, all runs':28} median {statistics.median(allruns):8.3f}   min {min(allruns)} max {max(allruns)}")
