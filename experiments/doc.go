// Package experiments reproduces the research results goglove's child
// programs must be able to show (weight matching, BitNet b1.58, LoRA versus
// full fine-tuning, PyGlove-style composed searches) and holds example
// configs under experiments/configs.
//
// Package experiments may import every other goglove package.
package experiments
