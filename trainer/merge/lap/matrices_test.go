package lap

import (
	"fmt"
	"math/rand/v2"
)

// kinds are the families of test matrices: uniform [0, 1) floats,
// integers in [0, n) (ties are common), integers in [0, 10) (many ties),
// {0, 1} costs and all-equal costs (every assignment optimal), the last
// three the degenerate cases.
var kinds = []string{"uniform", "intn", "int10", "binary", "equal"}

// matrix returns the n×n matrix of a kind drawn from a PCG seeded with
// seed; the Python scripts of testdata read the same matrices as written
// by writeMatrix.
func matrix(kind string, n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 0x1a9))
	m := make([]float64, n*n)
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
