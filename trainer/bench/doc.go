// Package bench measures how fast the trainer runs on this machine:
// training throughput (samples per second) of the reference MLPs, alone
// and side by side on several goroutines as a search runs trials, and the
// GFLOP/s of the GEMM kernel at a cube shape and at the shapes of the
// MLPs' dense layers; and inference throughput (examples per second) of
// the forward pass of a 784-H-H-10 network on one core, by batch size,
// hidden width and kernel. It is the library behind `goglove bench train`,
// whose PyTorch counterpart is experiments/pytorch/bench_train.py, and
// `goglove bench infer`.
//
// Its networks are described once, as trainer.MLP programs, and built by
// them; it sits above package trainer, which never imports it (the test of
// internal/layering checks it).
//
// Every figure is the median of several timed runs after a warm-up, since
// a shared machine is noisy. Rates are over wall time; on Linux the
// single-goroutine figures are also given over the thread's CPU time,
// which other jobs on the machine disturb less.
//
// Files: train.go (training throughput), gemm.go (GEMM rates), infer.go
// (forward-pass rates), latency.go (the latency of a network's forward
// pass on a batch split over threads, for hardware-aware searches),
// measure.go
// (timing, medians, the thread's CPU clock), errors.go.
//
// Model, Shape, InferCase, Options and the results are plain values. The functions
// are safe for concurrent use, but concurrent measurements disturb each
// other.
package bench
