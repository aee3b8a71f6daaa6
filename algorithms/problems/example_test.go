package problems_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/algorithms/problems"
)

// Random search on Branin: draw DNA from the problem's space, read the
// point back from the decoded program and evaluate it.
func Example() {
	p := problems.Branin()
	s := p.Space()
	rng := rand.New(rand.NewPCG(1, 2))
	best := 0.0
	for i := range 200 {
		prog, err := s.Decode(s.Spec().Random(rng))
		if err != nil {
			panic(err)
		}
		x, err := p.Vector(prog)
		if err != nil {
			panic(err)
		}
		if v := p.Func(x); i == 0 || v < best {
			best = v
		}
	}
	fmt.Println(p.Name, p.Dim(), p.Bounds)
	fmt.Println(s.Spec().All()[0])
	fmt.Printf("regret below 0.5: %v\n", p.Regret(best) < 0.5)
	// Output:
	// branin 2 [[-5 10] [0 15]]
	// x[0]: float in [-5, 10]
	// regret below 0.5: true
}
