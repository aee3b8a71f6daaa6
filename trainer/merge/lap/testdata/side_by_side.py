"""Time this package's Minimize and scipy's linear_sum_assignment side by side.

Usage (from the package directory, with Debian's python3-scipy):

    /usr/bin/python3 testdata/side_by_side.py [ROUNDS]

It builds the package's test binary, has it write the benchmark matrices
(seed 1 of each kind at n = 64, 256 and 512, regenerated from their seeds)
to a temporary directory, then alternates ROUNDS times (default 5): one run
of BenchmarkMinimize64, 256 and 512 (a reused Solver, -benchtime 0.5s), one
run of testdata/scipy_bench.py's timing of linear_sum_assignment on the same
matrices (the median of 30 calls of each). It
prints, for each size and kind, the median over the rounds of each side's
CPU time a call and the ratio scipy / Go (above 1: Go is faster), and the
same for the wall times.
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scipy_bench  # noqa: E402

LINE = re.compile(r"^Benchmark(?:Minimize|Scipy)(\d+)/(\w+)(?:-\d+)?\s+(?:\d+\s+)?(\d+(?:\.\d+)?) ns/op\s+(\d+(?:\.\d+)?) cpu-ns/op")


def parse(text, into):
    for line in text.splitlines():
        m = LINE.match(line)
        if m:
            key = (int(m.group(1)), m.group(2))
            into.setdefault(key, []).append((float(m.group(3)), float(m.group(4))))


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    pkg = os.path.dirname(HERE)
    with tempfile.TemporaryDirectory() as tmp:
        binary = os.path.join(tmp, "lap.test")
        subprocess.run(["go", "test", "-c", "-o", binary, "."], cwd=pkg, check=True)
        mats = os.path.join(tmp, "matrices")
        subprocess.run([binary, "-test.run", "^TestGolden$", "-write-matrices", mats], cwd=pkg, check=True,
                       stdout=subprocess.DEVNULL)
        go, py = {}, {}
        for r in range(rounds):
            out = subprocess.run([binary, "-test.run", "^$", "-test.bench", "^BenchmarkMinimize(64|256|512)$",
                                  "-test.benchtime", "0.5s"], cwd=pkg, check=True,
                                 capture_output=True, text=True).stdout
            parse(out, go)
            parse(scipy_bench.run(mats, 30), py)
            print("round %d of %d done" % (r + 1, rounds), file=sys.stderr)
    print("%-4s %-8s %12s %12s %7s   %12s %12s %7s" % ("n", "kind", "go cpu µs", "scipy cpu µs", "ratio",
                                                   "go wall µs", "scipy wall µs", "ratio"))
    for key in sorted(go):
        if key not in py:
            continue
        gw = statistics.median(w for w, _ in go[key]) / 1e3
        gc = statistics.median(c for _, c in go[key]) / 1e3
        pw = statistics.median(w for w, _ in py[key]) / 1e3
        pc = statistics.median(c for _, c in py[key]) / 1e3
        print("%-4d %-8s %12.1f %12.1f %7.2f   %12.1f %12.1f %7.2f" % (key[0], key[1], gc, pc, pc / gc, gw, pw, pw / gw))


if __name__ == "__main__":
    main()
