package lap

import (
	"fmt"
	"math/rand/v2"
)

// kinds are the families of test matrices: uniform [0, 1) floats,
// integers in [0, n) (ties are common), integers in [0, 10) (many ties),
// {0, 1} costs and all-equal costs (every assignment optimal), the last
// three the degenerate cases; and rank one, a[i]·b[j] with a and b uniform
// in [0, 1), a hard case for shortest augmenting paths: the optimum pairs
// a's order with b's reversed, and every augmenting path is long.
var kinds = []string{"uniform", "intn", "int10", "binary", "equal", "rank1"}

// matrix returns the n×n matrix of a kind drawn from a PCG seeded with
// seed; the Python scripts of testdata read the same matrices as written
// by writeMatrix.
func matrix(kind string, n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 0x1a9))
	m := make([]float64, n*n)
	if kind == "rank1" {
		a, b := make([]float64, n), make([]float64, n)
		for i := range n {
			a[i], b[i] = r.Float64(), r.Float64()
		}
		for i := range n {
			for j := range n {
				m[i*n+j] = a[i] * b[j]
			}
		}
		return m
	}
	for k := range m {
		switch kind {
		case "uniform":
			m[k] = r.Float64()
		case "intn":
			m[k] = float64(r.IntN(n))
		case "int10":
			m[k] = float64(r.IntN(10))
		case "binary":
			m[k] = float64(r.IntN(2))
		case "equal":
			m[k] = 1
		default:
			panic(fmt.Sprintf("lap: test matrix kind %q unknown", kind))
		}
	}
	return m
}
