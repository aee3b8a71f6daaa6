package merge

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/c2602f9e/goglove/trainer/internal/kernels"
	"github.com/c2602f9e/goglove/trainer/merge/lap"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// DefaultMaxIter is the number of sweeps over the groups weight matching
// makes at most when its options leave MaxIter at 0.
const DefaultMaxIter = 100

// WMOptions are the settings of weight matching; the zero value is the
// default.
type WMOptions struct {
	// MaxIter bounds the sweeps over the groups; 0 is DefaultMaxIter.
	MaxIter int
	// Seed seeds the random order of the groups in each sweep.
	Seed uint64
	// Init is the permutation to start from; nil is the identity.
	Init Permutation
}

// WMResult is the outcome of weight matching.
type WMResult struct {
	// Perm is the permutation of b's hidden units found.
	Perm Permutation
	// Sweeps is the number of sweeps over the groups made; the last
	// improved no group, unless MaxIter ended the search.
	Sweeps int
	// Converged reports whether the last sweep improved no group.
	Converged bool
}

// WeightMatching finds the permutation π of b's hidden units that makes
// π(b) close to a, maximizing Σ ⟨θ_a, π(θ_b)⟩ over the parameters (the
// same as minimizing ‖θ_a − π(θ_b)‖², which a permutation cannot change
// otherwise): coordinate descent over the groups of s in a random order,
// each step the exact linear assignment of one group's units with the
// other groups' permutations held, until a sweep improves no group (or
// MaxIter sweeps). Apply the result to b to align it with a.
func WeightMatching(ctx context.Context, s *Spec, a, b *nn.Sequential, o WMOptions) (WMResult, error) {
	if err := s.Check(a); err != nil {
		return WMResult{}, fmt.Errorf("merge: weight matching: model a: %w", err)
	}
	if err := s.Check(b); err != nil {
		return WMResult{}, fmt.Errorf("merge: weight matching: model b: %w", err)
	}
	return newMatcher(s).match(ctx, values(a), values(b), o)
}

// values returns the value slices of net's parameters, in order.
func values(net *nn.Sequential) [][]float32 {
	ps := net.Params()
	out := make([][]float32, len(ps))
	for i, p := range ps {
		out[i] = p.Value.Data
	}
	return out
}

// matcher holds the buffers of weight matching for one spec; it is not
// safe for concurrent use.
type matcher struct {
	s      *Spec
	solver lap.Solver
	sim32  []float32
	sim    []float64
	other  []float32 // a parameter of b with its other axis permuted
	perm   []int
}

func newMatcher(s *Spec) *matcher { return &matcher{s: s} }

// match runs the coordinate descent of target against b (parameter
// values in the order of s).
func (m *matcher) match(ctx context.Context, target, b [][]float32, o WMOptions) (WMResult, error) {
	if o.MaxIter < 0 {
		return WMResult{}, fmt.Errorf("%w: max_iter: want ≥ 0, got %d", ErrOptions, o.MaxIter)
	}
	maxIter := o.MaxIter
	if maxIter == 0 {
		maxIter = DefaultMaxIter
	}
	p := o.Init
	if p == nil {
		p = Identity(m.s)
	} else {
		if err := p.Check(m.s); err != nil {
			return WMResult{}, fmt.Errorf("merge: weight matching: init: %w", err)
		}
		p = p.Clone()
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	res := WMResult{Perm: p}
	for res.Sweeps < maxIter {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		res.Sweeps++
		improved := false
		for _, g := range rng.Perm(len(m.s.Groups)) {
			ok, err := m.step(g, target, b, p)
			if err != nil {
				return res, err
			}
			improved = improved || ok
		}
		if !improved {
			res.Converged = true
			break
		}
	}
	return res, nil
}

// step solves the assignment of group g with the other permutations of p
// held, and keeps it in p when it improves the objective beyond rounding.
func (m *matcher) step(g int, target, b [][]float32, p Permutation) (bool, error) {
	n := m.s.Groups[g].Size
	sim := m.similarity(g, target, b, p)
	var old float64
	for i, j := range p[g] {
		old += sim[i*n+j]
	}
	m.perm = slices.Grow(m.perm[:0], n)[:n]
	total, err := m.solver.Maximize(n, sim, m.perm)
	if err != nil {
		return false, fmt.Errorf("merge: weight matching: group %s: %w", m.s.Groups[g].Name, err)
	}
	// float32 sums: an improvement smaller than their rounding is none.
	if !(total > old+1e-6*(abs(old)+abs(total))+1e-12) || slices.Equal(m.perm, p[g]) {
		return false, nil
	}
	copy(p[g], m.perm)
	return true, nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// similarity returns the n×n matrix S[i][j] = Σ over the axes of group g
// of ⟨target along unit i, b along unit j⟩, b's other axes permuted by
// p. It is valid until the next call.
func (m *matcher) similarity(g int, target, b [][]float32, p Permutation) []float64 {
	n := m.s.Groups[g].Size
	m.sim32 = slices.Grow(m.sim32[:0], n*n)[:n*n]
	clear(m.sim32)
	for _, ax := range m.s.Groups[g].Axes {
		k := slices.Index(m.s.order, ax.Param)
		shape := m.s.shapes[ax.Param]
		t, v := target[k], b[k]
		if len(shape) == 1 {
			for i := 0; i < n; i++ {
				ti, row := t[i], m.sim32[i*n:(i+1)*n]
				for j := range row {
					row[j] += ti * v[j]
				}
			}
			continue
		}
		rows, cols := shape[0], shape[1]
		m.other = append(m.other[:0], v[:rows*cols]...)
		if ax.Dim == 1 { // columns are the units: S += tᵀ·v', rows permuted
			if h := m.s.axes[ax.Param][0]; h >= 0 {
				gatherRows(m.other, rows, cols, p[h])
			}
			kernels.Gemm(true, false, cols, cols, rows, 1, t, cols, m.other, cols, 1, m.sim32, n)
		} else { // rows are the units: S += t·v'ᵀ, columns permuted
			if h := m.s.axes[ax.Param][1]; h >= 0 {
				gatherCols(m.other, rows, cols, p[h])
			}
			kernels.Gemm(false, true, rows, rows, cols, 1, t, cols, m.other, cols, 1, m.sim32, n)
		}
	}
	m.sim = slices.Grow(m.sim[:0], n*n)[:n*n]
	for i, v := range m.sim32 {
		m.sim[i] = float64(v)
	}
	return m.sim
}
