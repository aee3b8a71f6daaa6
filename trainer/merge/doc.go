// Package merge aligns and merges trained networks of the same
// architecture (nn.Sequential), the algorithms of model merging by
// permutation (Ainsworth et al. 2023, "Git Re-Basin"; Ito et al. 2024)
// and of merging fine-tunes of one base.
//
// Hidden units of a network can be permuted without changing the
// function it computes, provided every parameter axis that indexes those
// units is permuted the same way. SpecOf derives these symmetries from a
// network (a Spec of Groups of parameter axes: the columns and bias of a
// dense layer, the rows of the next, LayerNorm gains and biases between,
// the whole residual stream of a residual network); a Permutation holds
// one permutation per group, and Apply moves a network's units by it.
// Quantized dense layers (nn.QuantDense) permute like dense ones, the
// codes of a layer loaded for inference with them; a merge writes fp32
// weights that its quantized layers quantize afresh; FixCodes turns a
// trained network into the form a codes-only checkpoint is loaded in
// (W = Ŵ, the codes fixed).
//
// Alignment finds the permutation of a network b that brings it closest
// to a network a:
//
//   - WeightMatching maximizes Σ ⟨θ_a, π(θ_b)⟩ by coordinate descent over
//     the groups, one exact linear assignment (package lap) a step;
//   - ActivationMatching matches hidden units by the correlation of
//     their activations over batches of data;
//   - STE learns the permutation through the loss of the merged network
//     at the midpoint, with a straight-through estimator, projecting to
//     a permutation each step;
//   - MergeMany aligns three or more networks to each other, each in turn
//     to the mean of the others.
//
// Combination makes one network of several: Average (and Interpolate,
// for the straight line between two), and for fine-tunes of one base
// TaskArithmetic and TIES on their deltas. Path, LossBarrier and
// AccuracyBarrier measure linear mode connectivity; SingularValuesMaxDiff
// and TopAlignment the spectral effect of an alignment.
//
// Functions return new networks or change only the network they are
// said to change; none keeps a reference to its arguments. Nothing here
// is safe for concurrent use on the same networks.
package merge
