package merge

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// mlp returns a ReLU perceptron of the given widths (input first, logits
// last) drawn from seed.
func mlp(seed uint64, widths ...int) *nn.Sequential {
	rng := nn.NewRand(seed, 1)
	var layers []nn.Layer
	for i := 0; i+1 < len(widths); i++ {
		layers = append(layers, nn.NewDense(widths[i], widths[i+1], nn.TorchLinear, rng))
		if i+2 < len(widths) {
			layers = append(layers, new(nn.ReLU))
		}
	}
	return nn.NewSequential(layers...)
}

// residualNet is a network with every kind of layer SpecOf knows: a
// LayerNorm, a residual block with a hidden layer of its own and one with
// a single dense layer, a bias-free dense layer, dropout and GELU.
func residualNet(seed uint64) *nn.Sequential {
	rng := nn.NewRand(seed, 1)
	net := nn.NewSequential(
		nn.NewDense(6, 8, nn.TorchLinear, rng),
		nn.NewLayerNorm(8, 0),
		new(nn.ReLU),
		nn.NewResidual(nn.NewSequential(
			nn.NewDense(8, 12, nn.TorchLinear, rng),
			new(nn.GELU),
			nn.NewDenseNoBias(12, 8, nn.TorchLinear, rng),
		)),
		nn.NewResidual(nn.NewSequential(nn.NewLayerNorm(8, 0), nn.NewDense(8, 8, nn.TorchLinear, rng))),
		nn.NewDropout(0.1, rng),
		nn.NewLayerNormAffine(8, 0, true, false),
		nn.NewDense(8, 4, nn.TorchLinear, rng),
	)
	// Gains and biases away from 1 and 0, so that permuting them matters.
	for _, p := range net.Params() {
		if p.Role == nn.RoleGain || p.Role == nn.RoleBias {
			for i := range p.Value.Data {
				p.Value.Data[i] += float32(rng.NormFloat64() * 0.3)
			}
		}
	}
	return net
}

// randomPerm returns a random permutation for every group of s.
func randomPerm(s *Spec, seed uint64) Permutation {
	rng := rand.New(rand.NewPCG(seed, 7))
	p := make(Permutation, len(s.Groups))
	for g, gr := range s.Groups {
		p[g] = rng.Perm(gr.Size)
	}
	return p
}

// randomInput returns rows×features standard normal values.
func randomInput(seed uint64, rows, features int) *tensor.Tensor {
	rng := rand.New(rand.NewPCG(seed, 9))
	x := tensor.New(rows, features)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	return x
}

// outputs returns a copy of net's evaluation-mode output on x.
func outputs(net *nn.Sequential, x *tensor.Tensor) []float32 {
	return append([]float32(nil), net.Forward(x, false).Data...)
}

func mustSpec(t testing.TB, net *nn.Sequential) *Spec {
	t.Helper()
	s, err := SpecOf(net)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustClone(t testing.TB, net *nn.Sequential) *nn.Sequential {
	t.Helper()
	c, err := Clone(net)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// maxRelDiff returns max |a−b| / (1 + max |a|).
func maxRelDiff(a, b []float32) float64 {
	var d, m float64
	for i := range a {
		d = math.Max(d, math.Abs(float64(a[i])-float64(b[i])))
		m = math.Max(m, math.Abs(float64(a[i])))
	}
	return d / (1 + m)
}
