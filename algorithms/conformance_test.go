package algorithms_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/internal/stats"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// The conformance test runs every algorithm of conformanceCases against
// the shared spaces of conformanceSpaces (and random ones) and checks what
// every algorithm must do: valid proposals, determinism under a seed,
// grid exhaustion for exhaustive algorithms, recovery from history, and,
// for those that learn, beating random search where they should.

// conformanceCase is one algorithm under test.
type conformanceCase struct {
	name string
	// new returns the algorithm, configured, seeded with seed.
	new func(seed uint64) algorithms.Algorithm
	// supports reports whether the algorithm can search spec (Setup may
	// fail on the others, and must fail when finiteOnly); nil: every
	// space.
	supports func(spec *space.DNASpec) bool
	// finiteOnly: Setup must fail on a continuous space.
	finiteOnly bool
	// exhaustive: on a finite space it proposes every DNA exactly once,
	// then returns ErrDone.
	exhaustive bool
	// beatsRandom: its median best after conformanceBudget trials on
	// conformanceProblem beats random search's.
	beatsRandom bool
	// objectives is the number of rewards fed back (0: 1).
	objectives int
}

// conformanceCases returns the algorithms under test. Add a case for
// every new algorithm.
func conformanceCases() []conformanceCase {
	finite := func(spec *space.DNASpec) bool { _, ok := spec.Size(); return ok }
	return []conformanceCase{
		{name: "random", new: func(seed uint64) algorithms.Algorithm { return &algorithms.Random{Seed: seed} }},
		{name: "grid", new: func(uint64) algorithms.Algorithm { return &algorithms.Grid{} },
			supports: finite, finiteOnly: true, exhaustive: true},
		{name: "dedup-random", new: func(seed uint64) algorithms.Algorithm {
			return &algorithms.Dedup{Inner: &algorithms.Random{Seed: seed}}
		}},
		{name: "dedup-grid", new: func(uint64) algorithms.Algorithm { return &algorithms.Dedup{Inner: &algorithms.Grid{}} },
			supports: finite, finiteOnly: true, exhaustive: true},
		{name: "evolution", new: func(seed uint64) algorithms.Algorithm {
			return &algorithms.RegularizedEvolution{Seed: seed}
		}, beatsRandom: true},
		{name: "evolution-small", new: func(seed uint64) algorithms.Algorithm {
			return &algorithms.RegularizedEvolution{Population: 10, Tournament: 3, Seed: seed}
		}, beatsRandom: true},
		{name: "evolution-uniform-crossover", new: func(seed uint64) algorithms.Algorithm {
			return &algorithms.RegularizedEvolution{Population: 10, Tournament: 3, Seed: seed,
				Recombinator: algorithms.UniformCrossover{}, Mutator: algorithms.Uniform{Count: 2}}
		}, beatsRandom: true},
		{name: "evolution-kpoint-pmx", new: func(seed uint64) algorithms.Algorithm {
			return &algorithms.RegularizedEvolution{Population: 10, Tournament: 3, Seed: seed,
				Recombinator: algorithms.KPoint{K: 2, Permutations: algorithms.PMX{}}}
		}, beatsRandom: true},
		{name: "evolution-ox", new: func(seed uint64) algorithms.Algorithm {
			return &algorithms.RegularizedEvolution{Population: 10, Tournament: 3, Seed: seed,
				Recombinator: algorithms.OrderCrossover{}}
		}},
		{name: "evolution-cx", new: func(seed uint64) algorithms.Algorithm {
			return &algorithms.RegularizedEvolution{Population: 10, Tournament: 3, Seed: seed,
				Recombinator: algorithms.CycleCrossover{}}
		}},
		{name: "dedup-evolution", new: func(seed uint64) algorithms.Algorithm {
			return &algorithms.Dedup{Inner: &algorithms.RegularizedEvolution{Population: 10, Tournament: 3, Seed: seed}}
		}, beatsRandom: true},
		{name: "hill-climb", new: func(seed uint64) algorithms.Algorithm { return &algorithms.HillClimb{Seed: seed} },
			beatsRandom: true},
		{name: "tpe", new: func(seed uint64) algorithms.Algorithm { return &algorithms.TPE{Seed: seed} }, beatsRandom: true},
		{name: "tpe-multivariate", new: func(seed uint64) algorithms.Algorithm {
			return &algorithms.TPE{Seed: seed, Multivariate: true}
		}, beatsRandom: true},
		{name: "cmaes", new: func(seed uint64) algorithms.Algorithm { return &algorithms.CMAES{Seed: seed} }, beatsRandom: true},
		{name: "nsga2", new: func(seed uint64) algorithms.Algorithm { return &algorithms.NSGA2{Population: 10, Seed: seed} },
			objectives: 2},
		{name: "reinforce", new: func(seed uint64) algorithms.Algorithm { return &algorithms.Reinforce{Seed: seed} }},
		{name: "ppo", new: func(seed uint64) algorithms.Algorithm { return &algorithms.Reinforce{Seed: seed, PPO: true} }},
		{name: "cmaes-random-fallback", new: func(seed uint64) algorithms.Algorithm {
			return &algorithms.CMAES{Seed: seed, RandomFallback: true}
		}},
	}
}

// conformanceYAML are the shared spaces, one of each shape.
var conformanceYAML = []struct{ name, yaml string }{
	{"finite", `
act: !oneof [relu, gelu, tanh]
width: !oneof [16, 32, 64, 128]
depth: !int {min: 1, max: 3}
`},
	{"conditional", `
opt: !oneof
  - {name: sgd, momentum: !oneof [0.0, 0.9], nesterov: !oneof [true, false]}
  - {name: adam, beta: !oneof [0.9, 0.99, 0.999]}
  - {name: rmsprop}
act: !oneof [relu, {name: leaky, slope: !oneof [0.01, 0.1, 0.2]}]
`},
	{"permutation", `
order: !permutation [a, b, c, d, e]
nested: !permutation [x, {name: y, k: !oneof [1, 2]}, z]
`},
	{"manyof", `
layers: !manyof {k: 3, candidates: [conv, pool, dense, {name: attn, heads: !oneof [2, 4]}]}
set: !manyof {k: 2, candidates: [p, q, r, s], sorted: true}
bag: !manyof {k: 3, candidates: [u, v, w], distinct: false, sorted: true}
seq: !manyof {k: 2, candidates: [m, n], distinct: false}
`},
	{"continuous", `
lr: !float {min: 1.0e-5, max: 0.1, scale: log}
x: !float {min: -5, max: 10}
y: !float {min: 0, max: 15}
`},
	{"mixed", `
opt: !oneof
  - {name: sgd, lr: !float {min: 0.001, max: 1, scale: log}}
  - {name: adam, lr: !float {min: 1.0e-5, max: 0.01, scale: log}, wd: !float {min: 0, max: 0.1}}
units: !int {min: 8, max: 256}
dropout: !float {min: 0, max: 0.5}
act: !oneof [relu, gelu]
blocks: !manyof {k: 2, candidates: [{kind: a, w: !int {min: 1, max: 3}}, b, c]}
order: !permutation [i, j, k]
`},
}

// confRegistry returns a registry with the hyper-value tags.
func confRegistry(tb testing.TB) *symbolic.Registry {
	tb.Helper()
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		tb.Fatal(err)
	}
	return reg
}

// yamlSpec compiles a space from YAML.
func yamlSpec(tb testing.TB, text string) *space.DNASpec {
	tb.Helper()
	tree, err := confRegistry(tb).DecodeYAML([]byte(text), nil)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := space.New(tree)
	if err != nil {
		tb.Fatal(err)
	}
	return s.Spec()
}

type namedSpec struct {
	name string
	spec *space.DNASpec
}

// conformanceSpaces returns the shared spaces and a few random ones.
func conformanceSpaces(tb testing.TB) []namedSpec {
	var out []namedSpec
	for _, c := range conformanceYAML {
		out = append(out, namedSpec{c.name, yamlSpec(tb, c.yaml)})
	}
	for _, seed := range []uint64{1, 2, 3, 4} {
		out = append(out, namedSpec{"random" + strconv.FormatUint(seed, 10), genSpec(tb, seed, seed%2 == 0)})
	}
	return out
}

// confObjective is a deterministic objective over any space: wavy
// functions of the numbers form, one per objective. Every seventh trial
// fails, to exercise failure handling.
func confObjective(spec *space.DNASpec, trial int, d space.DNA, objectives int) []float64 {
	if trial%7 == 6 {
		return nil
	}
	out := make([]float64, max(objectives, 1))
	for i, x := range spec.Numbers(d) {
		if x > 0 && x < 1e-3 {
			x = math.Log(x)
		}
		for k := range out {
			out[k] += math.Sin(1.3*float64(i) + (0.7-0.3*float64(k))*x + float64(k))
		}
	}
	return out
}

// confRun runs a sequential search of at most n trials, starting at
// trial start, feeding back confObjective; it stops at ErrDone. It
// returns the results and whether it stopped at ErrDone.
func confRun(t *testing.T, a algorithms.Algorithm, spec *space.DNASpec, start, n, objectives int) ([]algorithms.Result, bool) {
	t.Helper()
	ctx := context.Background()
	var out []algorithms.Result
	for trial := start; trial < start+n; trial++ {
		d, err := a.Propose(ctx)
		if errors.Is(err, algorithms.ErrDone) {
			return out, true
		}
		if err != nil {
			t.Fatalf("trial %d: Propose: %v", trial, err)
		}
		if err := spec.Validate(d); err != nil {
			t.Fatalf("trial %d: invalid proposal %s: %v", trial, spec.Format(d), err)
		}
		r := algorithms.Result{Trial: trial, DNA: d, Rewards: confObjective(spec, trial, d, objectives)}
		a.Feedback(r)
		out = append(out, r)
	}
	return out, false
}

func formats(spec *space.DNASpec, rs []algorithms.Result) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = spec.Format(r.DNA)
	}
	return out
}

// firstDiff returns a description of the first difference of two
// proposal sequences, or "".
func firstDiff(got, want []string) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return "proposal " + strconv.Itoa(i) + ": got " + got[i] + ", want " + want[i]
		}
	}
	if len(got) != len(want) {
		return strconv.Itoa(len(got)) + " proposals, want " + strconv.Itoa(len(want))
	}
	return ""
}

func TestConformance(t *testing.T) {
	spaces := conformanceSpaces(t)
	trials := 120
	if testing.Short() {
		trials = 60
	}
	for _, c := range conformanceCases() {
		t.Run(c.name, func(t *testing.T) {
			for _, s := range spaces {
				t.Run(s.name, func(t *testing.T) {
					_, finite := s.spec.Size()
					if c.supports != nil && !c.supports(s.spec) {
						if c.finiteOnly && !finite {
							if err := c.new(1).Setup(s.spec); err == nil {
								t.Fatal("Setup on a continuous space: no error")
							}
						}
						t.Skip("space not supported")
					}
					newAlgo := func(seed uint64) algorithms.Algorithm {
						a := c.new(seed)
						if err := a.Setup(s.spec); err != nil {
							t.Fatalf("Setup: %v", err)
						}
						return a
					}

					// Validity (checked by confRun) and determinism.
					run1, done1 := confRun(t, newAlgo(7), s.spec, 0, trials, c.objectives)
					run2, done2 := confRun(t, newAlgo(7), s.spec, 0, trials, c.objectives)
					if d := firstDiff(formats(s.spec, run2), formats(s.spec, run1)); d != "" || done1 != done2 {
						t.Fatalf("same seed, different runs: %s", d)
					}

					// Grid exhaustion.
					if c.exhaustive {
						checkExhaustive(t, s.spec, newAlgo(7))
					}

					// Recovery: rebuilt from the first n results, the algorithm
					// proposes what the original proposed next.
					if len(run1) >= 4 {
						for _, n := range []int{1, len(run1) / 3, len(run1) / 2} {
							a := newAlgo(7)
							if err := algorithms.Recover(context.Background(), a, run1[:n]); err != nil {
								t.Fatalf("Recover(%d results): %v", n, err)
							}
							rest, done := confRun(t, a, s.spec, n, len(run1)-n, c.objectives)
							if d := firstDiff(formats(s.spec, rest), formats(s.spec, run1[n:])); d != "" || done && !done1 {
								t.Fatalf("recovered from %d results: %s", n, d)
							}
						}
					}
				})
			}
		})
	}
}

// TestNotSetUp: every algorithm refuses to propose before Setup and to
// set up without a spec.
func TestNotSetUp(t *testing.T) {
	for _, c := range conformanceCases() {
		t.Run(c.name, func(t *testing.T) {
			if _, err := c.new(1).Propose(context.Background()); err == nil {
				t.Error("Propose before Setup: no error")
			}
			if err := c.new(1).Setup(nil); err == nil {
				t.Error("Setup(nil): no error")
			}
		})
	}
}

// TestNoDecisions: a space without hyper-values has one program; every
// algorithm proposes it.
func TestNoDecisions(t *testing.T) {
	spec := yamlSpec(t, "a: 1\nb: [x, y]\n")
	for _, c := range conformanceCases() {
		t.Run(c.name, func(t *testing.T) {
			if c.supports != nil && !c.supports(spec) {
				t.Skip("space not supported")
			}
			a := c.new(1)
			if err := a.Setup(spec); err != nil {
				t.Fatal(err)
			}
			rs, _ := confRun(t, a, spec, 0, 5, c.objectives)
			if len(rs) == 0 {
				t.Fatal("no proposal")
			}
			if c.exhaustive && len(rs) != 1 {
				t.Errorf("%d proposals, want 1", len(rs))
			}
		})
	}
}

// checkExhaustive checks that a proposes every DNA of a finite space once,
// then ErrDone, and keeps returning ErrDone.
func checkExhaustive(t *testing.T, spec *space.DNASpec, a algorithms.Algorithm) {
	t.Helper()
	size, _ := spec.Size()
	if !size.IsInt64() || size.Int64() > 100000 {
		t.Skip("space too large to exhaust")
	}
	ctx := context.Background()
	seen := map[string]bool{}
	for {
		d, err := a.Propose(ctx)
		if errors.Is(err, algorithms.ErrDone) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := spec.Validate(d); err != nil {
			t.Fatal(err)
		}
		k := spec.Format(d)
		if seen[k] {
			t.Fatalf("%s proposed twice", k)
		}
		seen[k] = true
		if int64(len(seen)) > size.Int64() {
			t.Fatalf("more than %d proposals", size.Int64())
		}
	}
	if int64(len(seen)) != size.Int64() {
		t.Fatalf("%d proposals then ErrDone, want %d", len(seen), size.Int64())
	}
	for range 3 {
		if _, err := a.Propose(ctx); !errors.Is(err, algorithms.ErrDone) {
			t.Fatalf("Propose after ErrDone: %v, want ErrDone", err)
		}
	}
}

// The problem on which learning algorithms must beat random search: 20
// OneOf decisions of 10 candidates each, a separable objective (the sum
// of a fixed random score per decision and candidate), optimum known.
const (
	conformanceDecisions = 20
	conformanceChoices   = 10
	conformanceBudget    = 300
)

func conformanceProblem(tb testing.TB) (*space.DNASpec, func(space.DNA) float64) {
	tb.Helper()
	tree := symbolic.NewDict(conformanceDecisions)
	for i := range conformanceDecisions {
		cands := make([]any, conformanceChoices)
		for j := range cands {
			cands[j] = j
		}
		tree.Set("d"+strconv.Itoa(i), space.OneOf(cands...))
	}
	s, err := space.New(tree)
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(42, 42))
	score := make([][]float64, conformanceDecisions)
	for i := range score {
		score[i] = make([]float64, conformanceChoices)
		for j := range score[i] {
			score[i][j] = rng.Float64()
		}
	}
	return s.Spec(), func(d space.DNA) float64 {
		var f float64
		for i, c := range d.Children {
			f += score[i][int(c.Value)]
		}
		return f
	}
}

// bestAfter runs a search of budget trials and returns the best value.
func bestAfter(tb testing.TB, a algorithms.Algorithm, spec *space.DNASpec, f func(space.DNA) float64, budget int) float64 {
	tb.Helper()
	if err := a.Setup(spec); err != nil {
		tb.Fatal(err)
	}
	best := math.Inf(-1)
	for trial := range budget {
		d, err := a.Propose(context.Background())
		if errors.Is(err, algorithms.ErrDone) {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		v := f(d)
		best = max(best, v)
		a.Feedback(algorithms.Result{Trial: trial, DNA: d, Rewards: []float64{v}})
	}
	return best
}

func TestConformanceBeatsRandom(t *testing.T) {
	spec, f := conformanceProblem(t)
	seeds := []uint64{1, 2, 3, 4, 5, 6, 7}
	medianBest := func(newAlgo func(uint64) algorithms.Algorithm) float64 {
		var bests []float64
		for _, seed := range seeds {
			bests = append(bests, bestAfter(t, newAlgo(seed), spec, f, conformanceBudget))
		}
		return stats.Median(bests)
	}
	random := medianBest(func(seed uint64) algorithms.Algorithm { return &algorithms.Random{Seed: seed} })
	t.Logf("random: median best %.3f", random)
	for _, c := range conformanceCases() {
		if !c.beatsRandom {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			got := medianBest(c.new)
			t.Logf("%s: median best %.3f (random %.3f)", c.name, got, random)
			if got <= random {
				t.Errorf("median best %.3f after %d trials, random search %.3f", got, conformanceBudget, random)
			}
		})
	}
}

// genSpec returns a random space for property tests: dicts of
// hyper-values of every kind (Float only when continuous), with
// hyper-values nested in the candidates of choices, names and hints.
func genSpec(tb testing.TB, seed uint64, continuous bool) *space.DNASpec {
	tb.Helper()
	g := &specGen{rng: rand.New(rand.NewPCG(seed, 0x9e4)), continuous: continuous}
	tree := symbolic.NewDict(4)
	for i := range 1 + g.rng.IntN(4) {
		tree.Set("k"+strconv.Itoa(i), g.hyper(0))
	}
	s, err := space.New(tree)
	if err != nil {
		tb.Fatalf("seed %d: %v", seed, err)
	}
	return s.Spec()
}

type specGen struct {
	rng        *rand.Rand
	continuous bool
	ids        int
	points     int // hyper-values made so far, at most 12
}

func (g *specGen) uid() symbolic.String {
	g.ids++
	return symbolic.String("v" + strconv.Itoa(g.ids))
}

func (g *specGen) candidates(depth, n int) []any {
	out := make([]any, n)
	for i := range out {
		if depth >= 3 || g.points >= 12 || g.rng.IntN(2) == 0 {
			out[i] = g.uid()
			continue
		}
		d := symbolic.NewDict(2)
		d.Set("id", g.uid())
		for j := range 1 + g.rng.IntN(2) {
			d.Set("x"+strconv.Itoa(j), g.hyper(depth+1))
		}
		out[i] = d
	}
	return out
}

func (g *specGen) hyper(depth int) symbolic.Value {
	g.points++
	hints := [][]string{nil, {"arch"}, {"hw"}}[g.rng.IntN(3)]
	kinds := 6
	if g.continuous {
		kinds = 7
	}
	switch g.rng.IntN(kinds) {
	case 0, 1:
		return space.OneOf(g.candidates(depth, 1+g.rng.IntN(4))...).WithHints(hints...)
	case 2:
		n := 1 + g.rng.IntN(5)
		distinct, sorted := g.rng.IntN(3) > 0, g.rng.IntN(2) == 0
		k := 1 + g.rng.IntN(3)
		if distinct {
			k = 1 + g.rng.IntN(n)
		}
		return space.ManyOf(k, g.candidates(depth, n)...).Distinct(distinct).Sorted(sorted).WithHints(hints...)
	case 3:
		return space.Permutation(g.candidates(depth, 1+g.rng.IntN(5))...).WithHints(hints...)
	case 4, 5:
		lo := g.rng.IntN(20) - 10
		return space.Int(lo, lo+g.rng.IntN(6)).WithHints(hints...)
	}
	if g.rng.IntN(2) == 0 {
		lo := float64(1+g.rng.IntN(10)) / 1000
		return space.Float(lo, lo*float64(1+g.rng.IntN(1000))).Log().WithHints(hints...)
	}
	lo := float64(g.rng.IntN(20)-10) / 2
	return space.Float(lo, lo+float64(g.rng.IntN(20))/4).WithHints(hints...)
}
