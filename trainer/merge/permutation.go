package merge

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// Permutation holds one permutation of hidden units per group of a Spec:
// P[g][i] = j means that unit i of the permuted network is unit j of the
// original, so that the permuted network's parameters along group g's
// axes are the original's gathered at P[g].
type Permutation [][]int

// Identity returns the permutation that moves nothing, for spec s.
func Identity(s *Spec) Permutation {
	p := make(Permutation, len(s.Groups))
	for g, gr := range s.Groups {
		p[g] = make([]int, gr.Size)
		for i := range p[g] {
			p[g][i] = i
		}
	}
	return p
}

// Clone returns a deep copy of p.
func (p Permutation) Clone() Permutation {
	out := make(Permutation, len(p))
	for g := range p {
		out[g] = append([]int(nil), p[g]...)
	}
	return out
}

// Inverse returns the permutation that undoes p.
func (p Permutation) Inverse() Permutation {
	out := make(Permutation, len(p))
	for g, pg := range p {
		out[g] = make([]int, len(pg))
		for i, j := range pg {
			out[g][j] = i
		}
	}
	return out
}

// Check reports whether p fits s: one permutation of the right size per
// group.
func (p Permutation) Check(s *Spec) error {
	if len(p) != len(s.Groups) {
		return fmt.Errorf("%w: %d permutations for %d groups", ErrMismatch, len(p), len(s.Groups))
	}
	for g, pg := range p {
		if len(pg) != s.Groups[g].Size {
			return fmt.Errorf("%w: group %s: permutation of %d units, want %d", ErrMismatch, s.Groups[g].Name, len(pg), s.Groups[g].Size)
		}
		seen := make([]bool, len(pg))
		for i, j := range pg {
			if j < 0 || j >= len(pg) || seen[j] {
				return fmt.Errorf("%w: group %s: entry %d (%d) makes it no permutation", ErrMismatch, s.Groups[g].Name, i, j)
			}
			seen[j] = true
		}
	}
	return nil
}

// Apply permutes the hidden units of net in place by p: every parameter
// axis of group g is gathered at p[g]. The network computes the same
// function afterwards, up to float32 rounding of nothing (values only
// move). net must have the parameters of the network s was derived from.
func Apply(s *Spec, p Permutation, net *nn.Sequential) error {
	if err := s.Check(net); err != nil {
		return err
	}
	if err := p.Check(s); err != nil {
		return err
	}
	type fixed struct {
		q      *nn.QuantDense
		codes  []int8
		scales []float32
	}
	var fix []fixed
	for name, q := range quantLayers(net) {
		if codes, scales, ok := fixedCodes(q); ok {
			permuteCodes(s, p, name, codes, scales)
			fix = append(fix, fixed{q, codes, scales})
		}
	}
	for _, prm := range net.Params() {
		permuteParam(s, p, prm.Name, prm.Value.Shape, prm.Value.Data)
	}
	for _, f := range fix {
		if err := f.q.SetCodes(f.codes, f.scales); err != nil { // the layer's own codes, moved
			panic(fmt.Sprintf("merge: Apply: permuted codes refused: %v", err))
		}
	}
	return nil
}

// permuteParam permutes the values of one parameter (shape, data) in
// place along each of its axes that a group of s permutes.
func permuteParam(s *Spec, p Permutation, name string, shape []int, data []float32) {
	groups := s.axes[name]
	switch len(shape) {
	case 1:
		if g := groups[0]; g >= 0 {
			gatherVec(data, p[g])
		}
	case 2:
		rows, cols := shape[0], shape[1]
		if g := groups[0]; g >= 0 {
			gatherRows(data, rows, cols, p[g])
		}
		if g := groups[1]; g >= 0 {
			gatherCols(data, rows, cols, p[g])
		}
	}
}

// permuted returns a copy of data (of parameter name) permuted by p.
func permuted(s *Spec, p Permutation, name string, shape []int, data []float32) []float32 {
	out := append([]float32(nil), data...)
	permuteParam(s, p, name, shape, out)
	return out
}

func gatherVec(x []float32, perm []int) {
	tmp := append([]float32(nil), x...)
	for i, j := range perm {
		x[i] = tmp[j]
	}
}

func gatherRows(x []float32, rows, cols int, perm []int) {
	tmp := append([]float32(nil), x[:rows*cols]...)
	for i, j := range perm {
		copy(x[i*cols:(i+1)*cols], tmp[j*cols:(j+1)*cols])
	}
}

func gatherCols(x []float32, rows, cols int, perm []int) {
	tmp := make([]float32, cols)
	for r := 0; r < rows; r++ {
		row := x[r*cols : (r+1)*cols]
		copy(tmp, row)
		for i, j := range perm {
			row[i] = tmp[j]
		}
	}
}
