package algorithms

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/c2602f9e/goglove/space"
)

// Every proposal is valid, and the same seed gives the same proposals,
// on spaces of every shape (numeric decisions by CMA-ES, the others by
// the fallback).
func TestCMAESValidDeterministic(t *testing.T) {
	for _, sp := range tpeSpaces {
		for _, random := range []bool{false, true} {
			name := sp.name
			if random {
				name += "/random-fallback"
			}
			t.Run(name, func(t *testing.T) {
				spec := tpeSpec(t, sp.yaml)
				run := func(a *CMAES) []string {
					if err := a.Setup(spec); err != nil {
						t.Fatal(err)
					}
					return tpeRun(t, a, spec, 120)
				}
				first := run(&CMAES{Seed: 3, RandomFallback: random})
				if second := run(&CMAES{Seed: 3, RandomFallback: random}); !slices.Equal(first, second) {
					t.Errorf("same seed, different proposals:\n%v\n%v", first, second)
				}
				// An injected source is drawn from: sources seeded alike
				// give the same proposals, others other ones.
				injected := func(seed uint64) []string {
					return run(&CMAES{Rand: rand.New(rand.NewPCG(seed, cmaesStream)), RandomFallback: random})
				}
				if a, b := injected(3), injected(3); !slices.Equal(a, b) {
					t.Errorf("sources seeded alike, different proposals:\n%v\n%v", a, b)
				}
				if a, b := injected(3), injected(4); slices.Equal(a, b) && sp.name != "choices" {
					t.Errorf("sources seeded 3 and 4 give the same proposals")
				}
				if other := run(&CMAES{Seed: 4, RandomFallback: random}); slices.Equal(first, other) && sp.name != "choices" {
					t.Errorf("seeds 3 and 4 give the same proposals")
				}
			})
		}
	}
}

func TestCMAESErrors(t *testing.T) {
	spec := tpeNamedSpec(t, "floats")
	for _, a := range []*CMAES{{Sigma0: -1}, {Sigma0: math.Inf(1)}, {PopSize: 1}, {PopSize: -3}} {
		if err := a.Setup(spec); err == nil {
			t.Errorf("Setup(%+v) succeeded", *a)
		}
	}
	// Setup(nil) and Propose before Setup: see TestNotSetUp.
	a := &CMAES{}
	if err := a.Setup(spec); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := a.Propose(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Propose(cancelled) = %v, want context.Canceled", err)
	}
	// Results CMA-ES cannot use are ignored.
	a.Feedback(Result{})
	a.Feedback(Result{DNA: space.DNA{Children: []space.DNA{{Value: 99}}}, Rewards: []float64{1}})
	if len(a.gotX) != 0 {
		t.Errorf("unusable results joined the generation")
	}
}

// The dimensions are the top-level numeric decisions with a range; the
// others go to the fallback.
func TestCMAESDims(t *testing.T) {
	spec := tpeNamedSpec(t, "conditional") // conditional: only units is top-level numeric
	a := &CMAES{}
	if err := a.Setup(spec); err != nil {
		t.Fatal(err)
	}
	if len(a.dims) != 1 || a.dims[0].p.ID != "units" || a.dims[0].top != 1 {
		t.Errorf("dims %+v, want units", a.dims)
	}
	spec = tpeNamedSpec(t, "floats") // floats: x, lr (log), fixed (no range)
	if err := a.Setup(spec); err != nil {
		t.Fatal(err)
	}
	if len(a.dims) != 2 || a.dims[1].p.ID != "lr" || a.state.lambda != 6 {
		t.Errorf("dims %+v, λ %d; want x and lr, λ 6", a.dims, a.state.lambda)
	}
	spec = tpeNamedSpec(t, "choices") // choices: nothing numeric
	if err := a.Setup(spec); err != nil {
		t.Fatal(err)
	}
	if len(a.dims) != 0 || a.state != nil {
		t.Errorf("dims %+v on a space of choices", a.dims)
	}
}

// Results may arrive in any order: every λ usable results complete a
// generation, whichever generation they were proposed in (late ones are
// injected); failed results complete nothing.
func TestCMAESAsync(t *testing.T) {
	spec := tpeSpec(t, `
x: !float {min: 0, max: 1}
y: !float {min: 0, max: 1}
z: !float {min: 0, max: 1}
`)
	a := &CMAES{Seed: 1}
	if err := a.Setup(spec); err != nil {
		t.Fatal(err)
	}
	lambda := a.state.lambda
	rng := rand.New(rand.NewPCG(5, 6))
	var out []space.DNA
	for range 3 * lambda {
		d, err := a.Propose(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	// λ failures first: no generation.
	for _, d := range out[:lambda] {
		a.Feedback(Result{DNA: d})
	}
	if a.state.gen != 0 || len(a.gotX) != 0 {
		t.Fatalf("failed results made generation %d (%d results)", a.state.gen, len(a.gotX))
	}
	for i, d := range out[lambda:] {
		a.Feedback(Result{DNA: d, Rewards: []float64{-math.Abs(d.Children[0].Value - 0.3)}})
		if want := (i + 1) / lambda; a.state.gen != want {
			t.Fatalf("after %d results: generation %d, want %d", i+1, a.state.gen, want)
		}
	}
	// Proposals keep coming while results are out.
	for range 5 * lambda {
		d, err := a.Propose(t.Context())
		if err != nil || spec.Validate(d) != nil {
			t.Fatalf("proposal %v, %v", d, err)
		}
	}
}

// A point CMA-ES did not sample in this generation is injected with its
// step shortened to a Mahalanobis length of √n + 2n/(n+2); a nearby one is
// kept as is.
func TestCMAESInject(t *testing.T) {
	spec := tpeSpec(t, `
x: !float {min: -5, max: 10}
lr: !float {min: 1.0e-5, max: 1, scale: log}
`)
	a := &CMAES{Sigma0: 0.01}
	if err := a.Setup(spec); err != nil {
		t.Fatal(err)
	}
	far := space.DNA{Children: []space.DNA{{Value: 10}, {Value: 1e-5}}}
	x := a.inject(far)
	s := a.state
	var norm float64
	for i := range x {
		d := (x[i] - s.mean[i]) / s.sigma // C = I
		norm += d * d
	}
	if limit := math.Sqrt(2) + 1; math.Abs(math.Sqrt(norm)-limit) > 1e-9 {
		t.Errorf("injected step of Mahalanobis length %v, want %v", math.Sqrt(norm), limit)
	}
	if x[0] <= 0.5 || x[1] >= 0.5 {
		t.Errorf("injected point %v does not point towards (1, 0)", x)
	}
	near := space.DNA{Children: []space.DNA{{Value: 2.5 + 0.01*15}, {Value: math.Exp(0.5*math.Log(1e-5) + 0.005*math.Log(1e5))}}}
	x = a.inject(near)
	if math.Abs(x[0]-0.51) > 1e-9 || math.Abs(x[1]-0.505) > 1e-9 {
		t.Errorf("nearby point injected as %v, want [0.51 0.505]", x)
	}
}

// When a run converges, CMA-ES restarts with twice the population from a
// random mean, at most MaxRestarts times.
func TestCMAESRestart(t *testing.T) {
	spec := tpeSpec(t, `
x: !float {min: -1, max: 1}
y: !float {min: -1, max: 1}
`)
	for _, tt := range []struct {
		max, want int // want −1: at least 3
	}{{0, -1}, {2, 2}, {-1, 0}} {
		a := &CMAES{Seed: 2, MaxRestarts: tt.max}
		if err := a.Setup(spec); err != nil {
			t.Fatal(err)
		}
		for i := range 6000 {
			d, _ := a.Propose(t.Context())
			x, y := d.Children[0].Value, d.Children[1].Value
			a.Feedback(Result{Trial: i, DNA: d, Rewards: []float64{-(x*x + 10*y*y)}})
		}
		if a.restarts != tt.want && (tt.want >= 0 || a.restarts < 3) {
			t.Errorf("MaxRestarts %d: %d restarts, want %d", tt.max, a.restarts, tt.want)
		}
		if want := 6 << a.restarts; a.state.lambda != want {
			t.Errorf("MaxRestarts %d: λ %d, want %d", tt.max, a.state.lambda, want)
		}
	}
}

// The strategy parameters are Hansen's (2016) defaults; for n = 10,
// λ = 10: μ = 5, μ_eff ≈ 3.1672, c1 ≈ 0.015284, cμ ≈ 0.020153.
func TestCMAStateParameters(t *testing.T) {
	s := newCMAState(10, 0, make([]float64, 10), 0.2)
	if s.lambda != 10 || s.mu != 5 {
		t.Fatalf("λ %d μ %d, want 10 and 5", s.lambda, s.mu)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"mueff", s.mueff, 3.1672},
		{"c1", s.c1, 0.015284},
		{"cmu", s.cmu, 0.020153},
		{"cs", s.cs, (s.mueff + 2) / (10 + s.mueff + 5)},
		{"chiN", s.chiN, 3.0847},
	} {
		if math.Abs(c.got-c.want) > 1e-4*c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	var pos, neg float64
	for i, w := range s.weights {
		if i < s.mu {
			pos += w
			if w <= 0 || (i > 0 && w > s.weights[i-1]) {
				t.Errorf("weight %d = %v", i, w)
			}
		} else {
			neg += w
			if w >= 0 {
				t.Errorf("weight %d = %v, want negative", i, w)
			}
		}
	}
	if math.Abs(pos-1) > 1e-12 || neg >= 0 {
		t.Errorf("Σw⁺ = %v, Σw⁻ = %v", pos, neg)
	}
}

// On a sphere, CMA-ES converges at the known rate (about 1500
// evaluations from f ≈ 1 to 1e-10 in 10-D, fewer with mirrored samples),
// and its covariance stays symmetric positive definite.
func TestCMAStateSphere(t *testing.T) {
	for _, n := range []int{1, 2, 10} {
		for _, mirrored := range []bool{false, true} {
			rng := rand.New(rand.NewPCG(uint64(n), 1))
			mean := make([]float64, n)
			for i := range mean {
				mean[i] = 0.2
			}
			s := newCMAState(n, 0, mean, 0.1)
			evals := 0
			f := func(x []float64) float64 {
				var v float64
				for _, xi := range x {
					v += (xi - 0.5) * (xi - 0.5)
				}
				return v
			}
			best := math.Inf(1)
			for best > 1e-10 && evals < 5000 {
				xs := make([][]float64, s.lambda)
				fs := make([]float64, s.lambda)
				for k := range xs {
					xs[k] = make([]float64, n)
					s.sample(rng, xs[k], mirrored)
					fs[k] = f(xs[k])
					best = min(best, fs[k])
					evals++
				}
				s.tell(xs, fs)
				for i := range n {
					for j := range n {
						if s.c[i*n+j] != s.c[j*n+i] {
							t.Fatalf("C not symmetric")
						}
					}
					if s.d[i] <= 0 {
						t.Fatalf("D[%d] = %v", i, s.d[i])
					}
				}
			}
			if limit := 300 * n; evals > limit {
				t.Errorf("n %d mirrored %v: %d evaluations to 1e-10, want at most %d", n, mirrored, evals, limit)
			}
		}
	}
}

// CMA-ES recognizes the results of its own samples, by drawing the
// trial's sample again (seeded) or by their DNA (an injected source),
// and so injects none in a sequential search; another CMA-ES given the
// same results, which proposed none of those trials (another worker),
// recognizes them too and ends in the same state.
func TestCMAESRecognizesSamples(t *testing.T) {
	spec := tpeSpec(t, `
a: !float {min: 0, max: 1}
b: !float {min: -2, max: 2}
c: !float {min: 1.0e-4, max: 1, scale: log}
d: !int {min: 0, max: 40}
e: !float {min: 0, max: 1}
f: !float {min: 0, max: 1}
`) // six dimensions: λ = 9, odd, so mirrored pairs straddle generations
	f := func(d space.DNA) float64 {
		var s float64
		for i, c := range d.Children {
			s += (c.Value - 0.3*float64(i)) * (c.Value - 0.3*float64(i))
		}
		return -s
	}
	for _, tt := range []struct {
		name string
		new  func() *CMAES
	}{
		{"seeded", func() *CMAES { return &CMAES{Seed: 2} }},
		{"seeded/no-mirroring", func() *CMAES { return &CMAES{Seed: 2, NoMirroring: true} }},
		{"injected", func() *CMAES { return &CMAES{Rand: rand.New(rand.NewPCG(2, 2))} }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, other := tt.new(), tt.new()
			for _, c := range []*CMAES{a, other} {
				if err := c.Setup(spec); err != nil {
					t.Fatal(err)
				}
			}
			for i := range 300 {
				d, err := a.Propose(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				r := Result{Trial: i, DNA: d, Rewards: []float64{f(d)}}
				a.Feedback(r)
				other.Feedback(r)
			}
			if a.state.gen < 20 {
				t.Fatalf("%d generations in 300 trials", a.state.gen)
			}
			if a.nInjected != 0 {
				t.Errorf("%d of its own samples injected", a.nInjected)
			}
			if tt.name == "injected" {
				return // the other instance drew none of the samples
			}
			if other.nInjected != 0 || !slices.Equal(other.state.mean, a.state.mean) || other.state.sigma != a.state.sigma {
				t.Errorf("another worker injected %d samples, mean %v σ %v; want 0, %v %v", other.nInjected, other.state.mean, other.state.sigma, a.state.mean, a.state.sigma)
			}
		})
	}
}
