package nn

import (
	"math"
	"math/rand/v2"
)

// Init is a weight initialization scheme for Dense layers. Biases always
// start at zero.
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
)

// String returns the scheme's name.
func (i Init) String() string {
	switch i {
	case HeUniform:
		return "he-uniform"
	case GlorotUniform:
		return "glorot-uniform"
	}
	return "Init(?)"
}

func (i Init) bound(in, out int) float64 {
	switch i {
	case HeUniform:
		return math.Sqrt(6 / float64(in))
	case GlorotUniform:
		return math.Sqrt(6 / float64(in+out))
	}
	panic("nn: unknown Init " + i.String())
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
