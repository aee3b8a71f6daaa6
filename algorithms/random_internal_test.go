package algorithms

import (
	"math/rand/v2"
	"testing"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// TestRandomPointsIsSpaceRandom: the operators' private drawing is
// DNASpec.Random's, bit for bit.
func TestRandomPointsIsSpaceRandom(t *testing.T) {
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		t.Fatal(err)
	}
	tree, err := reg.DecodeYAML([]byte(`
opt: !oneof [{name: sgd, lr: !float {min: 0.001, max: 1, scale: log}}, {name: adam, b: !float {min: 0.1, max: 0.999}}]
units: !int {min: 8, max: 256}
lr: !float {min: 1.0e-7, max: 3.5, scale: log}
x: !float {min: -3.3, max: 7.1}
blocks: !manyof {k: 2, candidates: [{w: !int {min: 1, max: 3}}, b, c]}
bag: !manyof {k: 3, candidates: [a, b], distinct: false, sorted: true}
order: !permutation [i, {j: !float {min: 0, max: 1}}, k]
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := space.New(tree)
	if err != nil {
		t.Fatal(err)
	}
	spec := s.Spec()
	r1, r2 := rand.New(rand.NewPCG(5, 6)), rand.New(rand.NewPCG(5, 6))
	for range 1000 {
		got := space.DNA{Children: randomPoints(r1, spec.Points)}
		if want := spec.Random(r2); !got.Equal(want) {
			t.Fatalf("got %s, want %s", spec.Format(got), spec.Format(want))
		}
	}
}
