"""Time scipy.optimize.linear_sum_assignment on the Go benchmarks' matrices.

Usage (from the package directory, with Debian's python3-scipy):

    go test -run TestGolden -write-matrices /tmp/lap-matrices .
    /usr/bin/python3 testdata/scipy_bench.py /tmp/lap-matrices [REPEATS]

For seed 1 of each kind at n = 64, 256 and 512 (the matrices of
BenchmarkMinimize64, 256 and 512), it times REPEATS calls (default 50)
after one warm-up call and prints, in the Go benchmarks' format, the
median wall time and the median CPU time of a call in ns:

    BenchmarkScipy512/uniform  WALL ns/op  CPU cpu-ns/op
"""
import os
import statistics
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

KINDS = ["uniform", "intn", "int10", "binary", "equal", "rank1"]


def run(d, reps):
    """Time the matrices of directory d and return the lines to print."""
    out = []
    for n in (64, 256, 512):
        for kind in KINDS:
            path = os.path.join(d, "%s-%d-1.f64" % (kind, n))
            c = np.fromfile(path, dtype="<f8").reshape(n, n)
            linear_sum_assignment(c)
            wall, cpu = [], []
            for _ in range(reps):
                w0, c0 = time.perf_counter_ns(), time.process_time_ns()
                linear_sum_assignment(c)
                c1, w1 = time.process_time_ns(), time.perf_counter_ns()
                wall.append(w1 - w0)
                cpu.append(c1 - c0)
            out.append("BenchmarkScipy%d/%s\t%d ns/op\t%d cpu-ns/op"
                       % (n, kind, statistics.median(wall), statistics.median(cpu)))
    return "\n".join(out)


def main():
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    print(run(sys.argv[1], reps))


if __name__ == "__main__":
    main()
