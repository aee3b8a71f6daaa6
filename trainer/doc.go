// Package trainer evaluates child programs: small neural networks, defined
// as symbolic programs and trained in pure Go.
//
// It holds float32 tensors and kernels (a GEMM in Go assembly with run-time
// dispatch and a portable fallback), layers with explicit forward and
// backward passes, optimizers, datasets (Fashion-MNIST and a built-in
// synthetic set), and the child-program types whose quantization, LoRA
// fine-tuning and model merging are ordinary, searchable fields.
//
// Package trainer imports space and symbolic, never search.
package trainer
