"""Print the golden totals of scipy.optimize.linear_sum_assignment.

Usage (from the package directory, with Debian's python3-scipy):

    go test -run TestGolden -write-matrices /tmp/lap-matrices .
    /usr/bin/python3 testdata/scipy_golden.py /tmp/lap-matrices > testdata/scipy.golden

It reads the KIND-N-SEED.f64 files (raw little-endian float64, row-major
n×n) that the Go test writes from their seeds, solves those of n = 64 and
512 and prints one line "KIND N SEED TOTAL" each.
"""
import glob
import os
import sys

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment


def main():
    d = sys.argv[1]
    print("# KIND N SEED TOTAL: scipy %s linear_sum_assignment totals" % scipy.__version__)
    rows = []
    for path in glob.glob(os.path.join(d, "*.f64")):
        kind, n, seed = os.path.basename(path)[:-4].split("-")
        n, seed = int(n), int(seed)
        if n not in (64, 512):
            continue
        c = np.fromfile(path, dtype="<f8").reshape(n, n)
        r, col = linear_sum_assignment(c)
        rows.append((kind, n, seed, repr(float(c[r, col].sum()))))
    for row in sorted(rows):
        print("%s %d %d %s" % row)


if __name__ == "__main__":
    main()
