package merge

import (
	"context"
	"fmt"
	"math"

	"github.com/c2602f9e/goglove/trainer/data"
	"github.com/c2602f9e/goglove/trainer/internal/kernels"
	"github.com/c2602f9e/goglove/trainer/merge/lap"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// AMOptions are the settings of activation matching.
type AMOptions struct {
	// Batches is the number of batches of data whose activations are
	// compared (the first ones of the set, in order); 0 is all of it.
	Batches int
	// Batch is the number of rows of a batch; 0 is 500.
	Batch int
}

// ActivationMatching finds the permutation π of b's hidden units that
// lines them up with a's by their activations: each group's units are
// assigned to maximize the summed Pearson correlation between a's unit i
// and b's unit π(i), measured at the group's taps (the activations after
// each of its dense layers) over batches of set, streamed so that only
// sums are kept. set holds inputs of the networks' width (its labels
// are not used).
func ActivationMatching(ctx context.Context, s *Spec, a, b *nn.Sequential, set *data.Set, o AMOptions) (Permutation, error) {
	if err := s.Check(a); err != nil {
		return nil, fmt.Errorf("merge: activation matching: model a: %w", err)
	}
	if err := s.Check(b); err != nil {
		return nil, fmt.Errorf("merge: activation matching: model b: %w", err)
	}
	if o.Batches < 0 || o.Batch < 0 {
		return nil, fmt.Errorf("%w: batches: want ≥ 0, got %d batches of %d", ErrOptions, o.Batches, o.Batch)
	}
	in := a.Params()[0].Value.Shape[0]
	if set == nil || set.N == 0 || set.Features != in {
		return nil, fmt.Errorf("%w: data: want a non-empty set of %d features", ErrOptions, in)
	}
	batch := o.Batch
	if batch == 0 {
		batch = 500
	}
	stats := map[string]*corrStats{} // by tap
	tapGroup := map[string]int{}
	for g, gr := range s.Groups {
		for _, t := range gr.Taps {
			tapGroup[t] = g
			stats[t] = newCorrStats(gr.Size)
		}
	}
	acts := map[string][]float32{}
	for n, lo := 0, 0; lo < set.N && (o.Batches == 0 || n < o.Batches); n, lo = n+1, lo+batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hi := min(lo+batch, set.N)
		x := tensor.FromData(set.X[lo*in:hi*in], hi-lo, in)
		forwardTaps(a, x, "", func(key string, y *tensor.Tensor) {
			if _, ok := stats[key]; ok {
				acts[key] = append(acts[key][:0], y.Data...)
			}
		})
		forwardTaps(b, x, "", func(key string, y *tensor.Tensor) {
			if st, ok := stats[key]; ok {
				st.add(hi-lo, acts[key], y.Data)
			}
		})
	}
	p := make(Permutation, len(s.Groups))
	var solver lap.Solver
	for g, gr := range s.Groups {
		n := gr.Size
		corr := make([]float64, n*n)
		for _, t := range gr.Taps {
			stats[t].addCorrelation(corr)
		}
		p[g] = make([]int, n)
		if _, err := solver.Maximize(n, corr, p[g]); err != nil {
			return nil, fmt.Errorf("merge: activation matching: group %s: %w", gr.Name, err)
		}
	}
	return p, nil
}

// corrStats holds the running sums of the activations of n units of two
// networks, for their correlations.
type corrStats struct {
	n        int
	rows     float64
	sa, sb   []float64
	saa, sbb []float64
	cross    []float64 // Σ a_i·b_j
	cross32  []float32
}

func newCorrStats(n int) *corrStats {
	return &corrStats{n: n, sa: make([]float64, n), sb: make([]float64, n), saa: make([]float64, n), sbb: make([]float64, n), cross: make([]float64, n*n), cross32: make([]float32, n*n)}
}

// add adds rows rows of activations a and b (rows×n each).
func (c *corrStats) add(rows int, a, b []float32) {
	n := c.n
	for r := 0; r < rows; r++ {
		ar, br := a[r*n:(r+1)*n], b[r*n:(r+1)*n]
		for i := range n {
			x, y := float64(ar[i]), float64(br[i])
			c.sa[i] += x
			c.sb[i] += y
			c.saa[i] += x * x
			c.sbb[i] += y * y
		}
	}
	kernels.Gemm(true, false, n, n, rows, 1, a, n, b, n, 0, c.cross32, n)
	for i, v := range c.cross32 {
		c.cross[i] += float64(v)
	}
	c.rows += float64(rows)
}

// addCorrelation adds the n×n Pearson correlations to dst; a unit that
// never varies correlates 0 with every other.
func (c *corrStats) addCorrelation(dst []float64) {
	n, m := c.n, c.rows
	sdA, sdB := make([]float64, n), make([]float64, n)
	for i := range n {
		sdA[i] = math.Sqrt(math.Max(c.saa[i]/m-(c.sa[i]/m)*(c.sa[i]/m), 0))
		sdB[i] = math.Sqrt(math.Max(c.sbb[i]/m-(c.sb[i]/m)*(c.sb[i]/m), 0))
	}
	for i := range n {
		for j := range n {
			d := sdA[i] * sdB[j]
			if d < 1e-12 {
				continue
			}
			cov := c.cross[i*n+j]/m - (c.sa[i]/m)*(c.sb[j]/m)
			dst[i*n+j] += cov / d
		}
	}
}
