package merge

import (
	"fmt"
	"math"
	"slices"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// Quantized dense layers (nn.QuantDense) permute as dense layers do:
// their fp32 weights W and bias move with the units, and every quantizer
// is equivariant under a permutation of units (a scale per matrix does
// not change, a scale per output unit moves with it, the activations'
// absmax and the parameter-free LayerNorm of a row do not depend on the
// order of its features). A layer loaded for inference computes with
// codes fixed by SetCodes rather than with W; such codes are permuted
// too, so the permuted network computes what the original did. A merged
// network's quantized layers quantize their merged W afresh.

// quantLayers returns net's quantized dense layers by the name of their
// weight parameter ("layers[0].w").
func quantLayers(net *nn.Sequential) map[string]*nn.QuantDense {
	out := map[string]*nn.QuantDense{}
	var walk func(seq *nn.Sequential, prefix string)
	walk = func(seq *nn.Sequential, prefix string) {
		for i, l := range seq.Layers {
			key := fmt.Sprintf("%slayers[%d]", prefix, i)
			switch l := l.(type) {
			case *nn.QuantDense:
				out[key+".w"] = l
			case *nn.Residual:
				walk(l.Body, key+".body.")
			}
		}
	}
	walk(net, "")
	return out
}

// fixedCodes returns copies of the codes and scales layer q computes
// with when they are those of its W exactly (codes fixed by SetCodes, or
// weights that quantize to themselves), and ok = false otherwise, when
// Forward derives them from W.
func fixedCodes(q *nn.QuantDense) (codes []int8, scales []float32, ok bool) {
	wq := q.Weights()
	for i, v := range q.W.Value.Data {
		if math.Float32bits(v) != math.Float32bits(wq[i]) {
			return nil, nil, false
		}
	}
	return slices.Clone(q.Codes()), slices.Clone(q.Scales()), true
}

// releaseCodes makes every quantized layer of net quantize its W again
// in Forward (after its W was overwritten by a merge).
func releaseCodes(net *nn.Sequential) {
	for _, q := range quantLayers(net) {
		q.ReleaseCodes()
	}
}

// permuteCodes permutes codes (in×out, W's layout) and scales (one per
// output unit, or one) of the layer whose weight is name, as W is.
func permuteCodes(s *Spec, p Permutation, name string, codes []int8, scales []float32) {
	shape := s.shapes[name]
	rows, cols := shape[0], shape[1]
	groups := s.axes[name]
	tmp := slices.Clone(codes)
	rowPerm, colPerm := identityIfNone(groups[0], p, rows), identityIfNone(groups[1], p, cols)
	for i, si := range rowPerm {
		for j, sj := range colPerm {
			codes[i*cols+j] = tmp[si*cols+sj]
		}
	}
	if len(scales) == cols && cols > 1 && groups[1] >= 0 {
		gatherVec(scales, p[groups[1]])
	}
}

func identityIfNone(g int, p Permutation, n int) []int {
	if g >= 0 {
		return p[g]
	}
	id := make([]int, n)
	for i := range id {
		id[i] = i
	}
	return id
}

// FixCodes fixes every quantized layer of net to the codes it computes
// with now (nn.QuantDense.SetCodes), so that its W becomes Ŵ, the
// dequantized weights, as in a model saved and loaded again (a
// checkpoint written for inference keeps codes, not the fp32 shadow
// weights). Merging models after FixCodes merges the weights they compute
// with rather than their shadow weights, as a merge of models read from
// such files does. A network without quantized layers is unchanged.
func FixCodes(net *nn.Sequential) error {
	for name, q := range quantLayers(net) {
		if err := q.SetCodes(slices.Clone(q.Codes()), slices.Clone(q.Scales())); err != nil {
			return fmt.Errorf("merge: %s: %w", name, err)
		}
	}
	return nil
}
