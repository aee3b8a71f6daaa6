// Package pytorch holds the PyTorch reference scripts that goglove's
// measurements are compared with, embedded so that the goglove binary can
// run them from any directory.
//
// bench_train.py measures the training samples per second of the MLPs of
// `goglove bench train` (784-512-512-10 at batch 128 and 64-32-10 at batch
// 32, SGD with momentum) and prints one JSON object; the comment at its
// top says how to run it.
package pytorch

import _ "embed"

// BenchTrain is the source of bench_train.py. Run it with
// `python3 - ARGS` and the source on standard input.
//
//go:embed bench_train.py
var BenchTrain []byte
