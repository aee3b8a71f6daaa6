// Package spectral holds the spectral tools that fine-tuning analysis and
// model merging share: the singular value decomposition of a weight
// matrix (gonum's, in float64), intruder dimensions (Shuttleworth et al.
// 2024, "LoRA vs Full Fine-tuning: An Illusion of Equivalence"), the
// effective rank of a spectrum, and the alignment of two matrices' top
// singular vectors.
//
// Matrices are row-major float32, as the trainer stores them. Pass a
// dense layer's weights in the out×in orientation (the transpose of
// nn.Dense's In×Out W; see Transpose), so that left singular vectors live
// in the layer's output space, as in the literature.
//
// The package imports gonum and nothing of goglove.
package spectral
