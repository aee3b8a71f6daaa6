#!/usr/bin/env python3
"""PyTorch reference for `goglove bench train`: training samples per second.

Measures one training step after another (forward, softmax cross-entropy,
backward, SGD with momentum 0.9 and learning rate 0.01) on random data, for
  (a) the MLP 784-512-512-10 (ReLU) at batch 128, and
  (b) the tiny MLP 64-32-10 (ReLU) at batch 32,
and prints one JSON object:
  {"mlp_samples_per_s": ..., "tiny_samples_per_s": ..., "torch": "1.13.0",
   "threads": 1, "blas": "openblas", "blas_library": "/usr/lib/...",
   "blas_core": "SkylakeX", "openblas_coretype": "", "openblas_threads": "2",
   "seconds": 2.0, "repeats": 5}

Each measurement runs steps for --seconds after a warm-up (--warmup
seconds), --repeats times; the median is printed.

It runs PyTorch at its fastest 2-core setting on the development
machines unless told otherwise: OpenBLAS with two threads and one
intra-op thread. Debian's python3-torch calls the BLAS behind
libblas.so.3, which is the slow reference BLAS unless OpenBLAS is
installed too; on the reference BLAS the script refuses to measure (the
"blas" key of the output says which one was loaded, "blas_core" which
kernels OpenBLAS chose for this CPU):

    apt-get install python3-torch libopenblas0-pthread
    /usr/bin/python3 experiments/pytorch/bench_train.py

(/usr/bin/python3 is Debian's, where python3-torch is installed.) Some
machines set OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) to pin OpenBLAS to
older kernels; `goglove bench train --torch` unsets both for this script
alone, so that OpenBLAS picks this CPU's fastest kernels. Other
settings: --threads N sets torch.set_num_threads(N), --openblas-threads N
the OpenBLAS threads (by default $OPENBLAS_NUM_THREADS if set, else 2).
`goglove bench train --torch` runs this script (built into goglove) and
prints goglove's figures divided by these.
"""

import argparse
import json
import os
import statistics
import sys
import time


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench_train.py", description="PyTorch training throughput of the MLPs of goglove bench train")
    p.add_argument("--seconds", type=float, default=2.0, help="seconds of each measurement (default 2)")
    p.add_argument("--warmup", type=float, default=0.5, help="seconds of warm-up before each model (default 0.5)")
    p.add_argument("--repeats", type=int, default=5, help="measurements of each model; the median is printed (default 5)")
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    p.add_argument("--allow-reference-blas", action="store_true",
                   help="measure even on the slow reference BLAS (refused by default)")
    p.add_argument("--openblas-threads", type=int, default=None,
                   help="OpenBLAS threads (default: $OPENBLAS_NUM_THREADS if set, else 2)")
    p.add_argument("--models", default="mlp,tiny", help="comma-separated subset of mlp,tiny (default both)")
    a = p.parse_args(argv)
    if a.seconds <= 0 or a.warmup < 0 or a.repeats < 1 or a.threads < 1 or (a.openblas_threads is not None and a.openblas_threads < 1):
        p.error("--seconds must be > 0, --warmup >= 0, --repeats, --threads and --openblas-threads >= 1")
    a.models = [m for m in a.models.split(",") if m]
    for m in a.models:
        if m not in MODELS:
            p.error("unknown model %r; want mlp or tiny" % m)
    return a


# name: (layer widths, batch size)
MODELS = {
    "mlp": ((784, 512, 512, 10), 128),
    "tiny": ((64, 32, 10), 32),
}


def build(torch, widths):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def steps_for(step, seconds):
    """Runs step until seconds have passed; returns (steps, elapsed)."""
    n = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        step()
        n += 1
        now = time.perf_counter()
        if now >= deadline:
            return n, now - start


def measure(torch, name, args):
    widths, batch = MODELS[name]
    torch.manual_seed(0)
    model = build(torch, widths)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    # A few batches of random data, cycled, as goglove's bench does.
    xs = [torch.randn(batch, widths[0]) for _ in range(8)]
    ys = [torch.randint(0, widths[-1], (batch,)) for _ in range(8)]
    i = [0]

    def step():
        k = i[0] % len(xs)
        i[0] += 1
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xs[k]), ys[k])
        loss.backward()
        opt.step()

    if args.warmup > 0:
        steps_for(step, args.warmup)
    rates = []
    for _ in range(args.repeats):
        n, elapsed = steps_for(step, args.seconds)
        rates.append(n * batch / elapsed)
        print("bench_train.py: %s %.0f samples/s" % (name, rates[-1]), file=sys.stderr)
    return statistics.median(rates)


def loaded_blas():
    """Names the BLAS library this process has loaded, from /proc/self/maps,
    and returns it with the library's path."""
    try:
        with open("/proc/self/maps") as f:
            maps = f.read()
    except OSError:
        return "unknown", ""
    for name, marker in (("openblas", "openblas"), ("mkl", "libmkl"), ("blis", "libblis"), ("reference", "/blas/libblas.so")):
        for line in maps.splitlines():
            path = line.split()[-1] if line.split() else ""
            if marker in path:
                return name, path
    return "unknown", ""


def openblas_core(path):
    """The kernel family OpenBLAS chose for this CPU (openblas_get_corename),
    or "" when it cannot be asked."""
    if not path:
        return ""
    try:
        import ctypes
        lib = ctypes.CDLL(path)
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return lib.openblas_get_corename().decode()
    except (OSError, AttributeError):
        return ""


def main(argv):
    args = parse_args(argv)
    # OpenBLAS reads its thread count once, when torch loads it, so it is
    # set before the import.
    if args.openblas_threads is not None:
        os.environ["OPENBLAS_NUM_THREADS"] = str(args.openblas_threads)
    else:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
    try:
        import torch
    except ImportError as e:
        print("bench_train.py: cannot import torch (%s); install it with 'apt-get install python3-torch'" % e, file=sys.stderr)
        return 1
    torch.set_num_threads(args.threads)
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))  # loads the BLAS
    blas, blas_path = loaded_blas()
    if blas == "reference" and not args.allow_reference_blas:
        print("bench_train.py: PyTorch would run on the reference BLAS (%s), which is many times slower than "
              "OpenBLAS and would make every ratio against it meaningless; install OpenBLAS with "
              "'apt-get install libopenblas0-pthread', or pass --allow-reference-blas" % blas_path, file=sys.stderr)
        return 1
    core = openblas_core(blas_path) if blas == "openblas" else ""
    out = {}
    for name in args.models:
        out[name + "_samples_per_s"] = round(measure(torch, name, args), 1)
    out.update({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": blas,
        "blas_library": blas_path,
        "blas_core": core,
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", ""),
        "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", ""),
        "seconds": args.seconds,
        "repeats": args.repeats,
    })
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
