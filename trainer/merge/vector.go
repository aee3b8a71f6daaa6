package merge

import (
	"fmt"
	"math"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// sameParams checks that the networks have the same parameter names and
// sizes, naming the first that differs.
func sameParams(nets ...*nn.Sequential) error {
	if len(nets) == 0 {
		return fmt.Errorf("%w: no networks", ErrOptions)
	}
	ref := nets[0].Params()
	for k, n := range nets[1:] {
		ps := n.Params()
		if len(ps) != len(ref) {
			return fmt.Errorf("%w: network %d has %d parameters, network 0 has %d", ErrMismatch, k+1, len(ps), len(ref))
		}
		for i, p := range ps {
			if p.Name != ref[i].Name || p.Value.Len() != ref[i].Value.Len() {
				return fmt.Errorf("%w: network %d: parameter %d is %s (%d values), network 0's is %s (%d values)", ErrMismatch, k+1, i, p.Name, p.Value.Len(), ref[i].Name, ref[i].Value.Len())
			}
		}
	}
	return nil
}

// Distance returns the Euclidean distance ‖θ_a − θ_b‖ between the
// parameters of two networks of the same parameters, over all of them.
func Distance(a, b *nn.Sequential) (float64, error) {
	if err := sameParams(a, b); err != nil {
		return 0, err
	}
	var s float64
	pb := b.Params()
	for i, p := range a.Params() {
		for j, v := range p.Value.Data {
			d := float64(v) - float64(pb[i].Value.Data[j])
			s += d * d
		}
	}
	return math.Sqrt(s), nil
}

// Norm returns ‖θ‖ over all of net's parameters.
func Norm(net *nn.Sequential) float64 {
	var s float64
	for _, p := range net.Params() {
		for _, v := range p.Value.Data {
			s += float64(v) * float64(v)
		}
	}
	return math.Sqrt(s)
}
