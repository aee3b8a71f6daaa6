// Package tensor holds the trainer's float32 tensors: a shape and a
// row-major []float32, nothing more. Layers, losses and optimizers in
// package nn work on them; the arithmetic itself runs in the trainer's
// kernels, so that faster (assembly, bf16) paths can be swapped in under
// one API.
//
// A shape mismatch, a negative dimension or an out-of-range index is a
// programmer error and panics with a message naming the shapes, as
// gonum/mat does; nothing in this package returns errors.
//
// A Tensor is a plain value with no internal locking: it is safe for
// concurrent reads, and must not be written while another goroutine reads
// or writes it.
package tensor
