// Package kernels holds the float32 compute kernels the trainer's layers run
// on: a general matrix multiply (GEMM) and the element-wise kernels of a
// training step (bias, activations and their gradients, reductions,
// optimizer updates).
//
// Each kernel has a portable Go implementation; where the CPU supports it, a
// Go-assembly implementation (AVX-512, AVX2) is chosen once at start-up
// through golang.org/x/sys/cpu. The dispatch is a table of function values
// so that further paths (bf16 on AMX tiles) can be added without changing
// callers. All kernels are safe for concurrent use on disjoint outputs; none
// starts goroutines: one trial trains on one goroutine.
//
// Matrices are row-major: element (i, j) of a matrix with leading dimension
// ld is at index i*ld+j.
package kernels
