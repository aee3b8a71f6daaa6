// Package problems holds the standard black-box benchmark problems that
// every search algorithm is measured on: Branin, Hartmann6, Rosenbrock10,
// Ackley10 and Ackley on an asymmetric box, each with its usual domain and
// known optimum.
//
// A Problem is a function to minimize over a box. Space builds the box as
// a search space (a dict {x: [!float …]} of one Float per coordinate), so
// that any algorithm can be run on it; Vector reads the point back from a
// decoded program, and VectorOf from a DNA directly.
//
//	p := problems.Branin()
//	s := p.Space()
//	dna := s.Spec().Random(rng)
//	x := p.VectorOf(dna)
//	regret := p.Func(x) - p.Optimum
//
// Package problems imports only space and symbolic, so algorithms and
// their tests, the search loop and the command line can all use it (the
// test of internal/layering checks it).
package problems
