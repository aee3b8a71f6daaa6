package nn

import (
	"math"
	"math/rand/v2"
)

// Init is a weight initialization scheme for Dense layers. Biases start
// at zero, except under TorchLinear.
type Init int

const (
	// HeUniform (Kaiming uniform) draws from U(−√(6/in), √(6/in)), keeping
	// the activation variance constant through ReLU-family layers (ReLU,
	// GELU). He et al. 2015.
	HeUniform Init = iota
	// GlorotUniform (Xavier uniform) draws from U(−√(6/(in+out)),
	// √(6/(in+out))), suited to tanh layers and to the output layer.
	// Glorot & Bengio 2010.
	GlorotUniform
	// HeNormal (Kaiming normal) draws from N(0, 2/in), the fan-in form
	// with the gain √2 of ReLU. He et al. 2015.
	HeNormal
	// TorchLinear draws weights and biases from U(−1/√in, 1/√in), as
	// PyTorch's nn.Linear initializes itself by default (its
	// kaiming_uniform with a = √5 comes to that bound). It is the only
	// scheme whose biases do not start at zero.
	TorchLinear
)

// String returns the scheme's name.
func (i Init) String() string {
	switch i {
	case HeUniform:
		return "he-uniform"
	case GlorotUniform:
		return "glorot-uniform"
	case HeNormal:
		return "he-normal"
	case TorchLinear:
		return "torch-linear"
	}
	return "Init(?)"
}

// fill draws the initial weights w (in×out) and biases b (nil for a
// layer without one) of a dense layer from rng. The weights are drawn
// first, in w's order, so that a layer draws the same weights with and
// without a bias.
func (i Init) fill(w, b []float32, in, out int, rng *rand.Rand) {
	switch i {
	case HeUniform:
		fillUniform(w, math.Sqrt(6/float64(in)), rng)
	case GlorotUniform:
		fillUniform(w, math.Sqrt(6/float64(in+out)), rng)
	case HeNormal:
		sd := math.Sqrt(2 / float64(in))
		for j := range w {
			w[j] = float32(rng.NormFloat64() * sd)
		}
	case TorchLinear:
		bound := 1 / math.Sqrt(float64(in))
		fillUniform(w, bound, rng)
		fillUniform(b, bound, rng)
	default:
		panic("nn: unknown Init " + i.String())
	}
}

// fillUniform fills w with draws from U(−bound, bound).
func fillUniform(w []float32, bound float64, rng *rand.Rand) {
	for i := range w {
		w[i] = float32((2*rng.Float64() - 1) * bound)
	}
}

// NewRand returns a PCG-backed source seeded from seed and stream, the
// generator every random choice of this package draws from.
func NewRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}
