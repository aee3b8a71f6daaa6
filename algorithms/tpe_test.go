package algorithms

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// tpeSpaces are spaces of every shape, in YAML, for the TPE and CMA-ES
// tests.
var tpeSpaces = []struct{ name, yaml string }{
	{"floats", `
x: !float {min: -5, max: 10}
lr: !float {min: 1.0e-5, max: 0.1, scale: log}
fixed: !float {min: 2, max: 2}
`},
	{"ints", `
a: !int {min: 0, max: 1}
b: !int {min: -3, max: 40}
c: !int {min: 7, max: 7}
`},
	{"extremes", `
big: !float {min: -1.7e308, max: 1.7e308}
bigint: !int {min: -9007199254740992, max: 9007199254740992}
wide: !float {min: 1.0e-300, max: 1.0e300, scale: log}
narrow: !float {min: 1, max: 1.0000000000000002}
`},
	{"choices", `
act: !oneof [relu, gelu, tanh]
width: !oneof [16]
`},
	{"conditional", `
opt: !oneof
  - {name: sgd, lr: !float {min: 0.001, max: 1, scale: log}, m: !oneof [0.0, 0.9]}
  - {name: adam, lr: !float {min: 1.0e-5, max: 0.01, scale: log}, wd: !float {min: 0, max: 0.1}}
  - {name: rmsprop}
units: !int {min: 8, max: 256}
`},
	{"mixed", `
units: !int {min: 8, max: 256}
dropout: !float {min: 0, max: 0.5}
act: !oneof [relu, {name: leaky, slope: !float {min: 0.01, max: 0.3}}]
blocks: !manyof {k: 2, candidates: [{kind: a, w: !int {min: 1, max: 3}}, b, c]}
bag: !manyof {k: 3, candidates: [u, v, w], distinct: false, sorted: true}
order: !permutation [i, {name: j, k: !oneof [1, 2]}, k]
`},
}

// tpeNamedSpec compiles the space of tpeSpaces with the given name.
func tpeNamedSpec(tb testing.TB, name string) *space.DNASpec {
	tb.Helper()
	for _, sp := range tpeSpaces {
		if sp.name == name {
			return tpeSpec(tb, sp.yaml)
		}
	}
	tb.Fatalf("no space %q", name)
	return nil
}

// tpeSpec compiles a space from YAML.
func tpeSpec(tb testing.TB, text string) *space.DNASpec {
	tb.Helper()
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		tb.Fatal(err)
	}
	tree, err := reg.DecodeYAML([]byte(text), nil)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := space.New(tree)
	if err != nil {
		tb.Fatal(err)
	}
	return s.Spec()
}

// tpeObjective is a deterministic objective over any space: a wavy
// function of the numbers form; every fifth trial fails.
func tpeObjective(spec *space.DNASpec, trial int, d space.DNA) []float64 {
	if trial%5 == 4 {
		return nil
	}
	var f float64
	for i, x := range spec.Numbers(d) {
		if x > 0 && x < 1e-3 {
			x = math.Log(x)
		}
		f += math.Sin(1.3*float64(i) + 0.7*x)
	}
	return []float64{f}
}

// tpeRun proposes and feeds back n trials in order and returns the
// proposals in numbers form, failing on an invalid one.
func tpeRun(t *testing.T, a Algorithm, spec *space.DNASpec, n int) []string {
	t.Helper()
	var out []string
	for i := range n {
		d, err := a.Propose(t.Context())
		if err != nil {
			t.Fatalf("trial %d: %v", i, err)
		}
		if err := spec.Validate(d); err != nil {
			t.Fatalf("trial %d: invalid %s: %v", i, spec.Format(d), err)
		}
		out = append(out, spec.Format(d))
		a.Feedback(Result{Trial: i, DNA: d, Rewards: tpeObjective(spec, i, d)})
	}
	return out
}

// Every proposal is valid, and the same seed gives the same proposals,
// on spaces of every shape.
func TestTPEValidDeterministic(t *testing.T) {
	for _, sp := range tpeSpaces {
		for _, mv := range []bool{false, true} {
			name := sp.name
			if mv {
				name += "/multivariate"
			}
			t.Run(name, func(t *testing.T) { testTPEValidDeterministic(t, sp.yaml, mv) })
		}
	}
}

func testTPEValidDeterministic(t *testing.T, yaml string, mv bool) {
	spec := tpeSpec(t, yaml)
	a := &TPE{Seed: 7, Multivariate: mv}
	if err := a.Setup(spec); err != nil {
		t.Fatal(err)
	}
	first := tpeRun(t, a, spec, 80)
	b := &TPE{Seed: 7, Multivariate: mv}
	if err := b.Setup(spec); err != nil {
		t.Fatal(err)
	}
	if second := tpeRun(t, b, spec, 80); !slices.Equal(first, second) {
		t.Errorf("same seed, different proposals:\n%v\n%v", first, second)
	}
	// Setup starts afresh.
	if err := b.Setup(spec); err != nil {
		t.Fatal(err)
	}
	if again := tpeRun(t, b, spec, 80); !slices.Equal(first, again) {
		t.Errorf("Setup did not start afresh")
	}
	// An injected source is drawn from: sources seeded alike give the same
	// proposals, others other ones.
	injected := func(seed uint64) []string {
		c := &TPE{Rand: rand.New(rand.NewPCG(seed, tpeStream)), Multivariate: mv}
		if err := c.Setup(spec); err != nil {
			t.Fatal(err)
		}
		return tpeRun(t, c, spec, 80)
	}
	if a, b := injected(7), injected(7); !slices.Equal(a, b) {
		t.Errorf("sources seeded alike, different proposals:\n%v\n%v", a, b)
	}
	if a, b := injected(7), injected(8); slices.Equal(a, b) {
		t.Errorf("sources seeded 7 and 8 give the same proposals")
	}
}

func TestTPEErrors(t *testing.T) {
	spec := tpeNamedSpec(t, "floats")
	for _, a := range []*TPE{{NStartupTrials: -1}, {NCandidates: -2}, {PriorWeight: -1}, {PriorWeight: math.NaN()}} {
		if err := a.Setup(spec); err == nil {
			t.Errorf("Setup(%+v) succeeded", *a)
		}
	}
	// Setup(nil) and Propose before Setup: see TestNotSetUp.
	a := &TPE{}
	if err := a.Setup(spec); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := a.Propose(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Propose(cancelled) = %v, want context.Canceled", err)
	}
	a.Feedback(Result{}) // an invalid result is ignored
}

// Failed results, NaN rewards and invalid DNA teach nothing: the startup
// phase lasts until NStartupTrials usable results arrived.
func TestTPEIgnoresUnusable(t *testing.T) {
	spec := tpeNamedSpec(t, "floats")
	a := &TPE{NStartupTrials: 3}
	if err := a.Setup(spec); err != nil {
		t.Fatal(err)
	}
	d, _ := a.Propose(t.Context())
	a.Feedback(Result{DNA: d})
	a.Feedback(Result{DNA: d, Rewards: []float64{}})
	a.Feedback(Result{DNA: d, Rewards: []float64{math.NaN()}})
	a.Feedback(Result{DNA: space.DNA{}, Rewards: []float64{1}})
	if a.nOK != 0 || !a.startup() {
		t.Fatalf("%d usable results, want 0", a.nOK)
	}
	for range 3 {
		a.Feedback(Result{DNA: d, Rewards: []float64{1, 2}})
	}
	if a.nOK != 3 || a.startup() {
		t.Fatalf("%d usable results, want 3 and the startup over", a.nOK)
	}
}

func TestDefaultGamma(t *testing.T) {
	for n, want := range map[int]int{0: 0, 1: 1, 10: 1, 11: 2, 100: 10, 241: 25, 250: 25, 1000: 25} {
		if got := DefaultGamma(n); got != want {
			t.Errorf("DefaultGamma(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestTPEWeight(t *testing.T) {
	for i := range 25 {
		if w := tpeWeight(i, 25); w != 1 {
			t.Errorf("tpeWeight(%d, 25) = %v, want 1", i, w)
		}
	}
	// n = 30: a ramp over the 5 oldest from 1/30 to 1, then 25 ones
	// (numpy.linspace(1/30, 1, 5)).
	want := []float64{1.0 / 30, 0.275, 0.5166666666666667, 0.7583333333333333, 1}
	for i, w := range want {
		if got := tpeWeight(i, 30); math.Abs(got-w) > 1e-12 {
			t.Errorf("tpeWeight(%d, 30) = %v, want %v", i, got, w)
		}
	}
	for i := 5; i < 30; i++ {
		if got := tpeWeight(i, 30); got != 1 {
			t.Errorf("tpeWeight(%d, 30) = %v, want 1", i, got)
		}
	}
	if got := tpeWeight(0, 26); got != 1.0/26 {
		t.Errorf("tpeWeight(0, 26) = %v, want 1/26", got)
	}
}

// The Parzen estimator's σ follow Optuna's rules: the larger gap to a
// sorted neighbour (the prior's mean among them), the first and last
// their inner gap, clipped to [range/min(100, n+2), range]; the prior's σ
// is the range.
func TestParzenSigmas(t *testing.T) {
	var e parzen
	// Observations 0.1, 0.3, 0.9 on [0, 1]: with the prior at 0.5 the
	// sorted means are 0.1 0.3 0.5 0.9; gaps 0.2 0.2 0.4; the first and
	// last take their inner gap (0.2, 0.4); min σ = 1/5.
	e.fit([]float64{0.1, 0.3, 0.9}, []float64{1, 1, 1}, 0, 1, 1)
	wantMu := []float64{0.1, 0.3, 0.5, 0.9}
	wantSigma := []float64{0.2, 0.2, 1, 0.4}
	for i := range wantMu {
		if math.Abs(e.mu[i]-wantMu[i]) > 1e-12 || math.Abs(e.sigma[i]-wantSigma[i]) > 1e-12 {
			t.Errorf("component %d: μ %v σ %v, want μ %v σ %v", i, e.mu[i], e.sigma[i], wantMu[i], wantSigma[i])
		}
	}
	if e.prior != 2 {
		t.Errorf("prior at %d, want 2", e.prior)
	}
	// Clipping: close observations get range/min(100, n+2).
	xs := make([]float64, 150)
	for i := range xs {
		xs[i] = 0.2 + 1e-4*float64(i)
	}
	ws := make([]float64, len(xs))
	for i := range ws {
		ws[i] = 1
	}
	e.fit(xs, ws, 0, 10, 1)
	// The last observation's larger gap is the one to the prior's mean.
	for i, s := range e.sigma {
		want := 0.1
		switch i {
		case e.prior:
			want = 10
		case e.prior - 1:
			want = 5 - 0.2149
		}
		if math.Abs(s-want) > 1e-9 {
			t.Fatalf("σ[%d] = %v, want %v", i, s, want)
		}
	}
}

// pdf is a density on [lo, hi] (it integrates to 1) and matches the
// plain mixture formula; sampling follows it.
func TestParzenDensity(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 20 {
		lo, hi := -5.0, 10.0
		n := rng.IntN(60)
		xs := make([]float64, n)
		ws := make([]float64, n)
		for i := range xs {
			if trial%2 == 0 {
				xs[i] = lo + (hi-lo)*rng.Float64()
			} else {
				xs[i] = 9.9 + 0.1*rng.Float64() // crowded at a bound
			}
			ws[i] = 0.1 + rng.Float64()
		}
		slices.Sort(xs)
		var e parzen
		e.fit(xs, ws, lo, hi, 1)
		// The plain formula, with math.Exp and every component.
		plain := func(x float64) float64 {
			var total, sum float64
			for i := range e.mu {
				w := 1.0
				if i != e.prior {
					j := i
					if i > e.prior {
						j--
					}
					w = ws[j]
				}
				total += w
				s := e.sigma[i]
				z := 0.5*math.Erfc(-(hi-e.mu[i])/s/math.Sqrt2) - 0.5*math.Erfc(-(lo-e.mu[i])/s/math.Sqrt2)
				sum += w * math.Exp(-(x-e.mu[i])*(x-e.mu[i])/(2*s*s)) / (s * z * math.Sqrt(2*math.Pi))
			}
			return sum / total
		}
		const steps = 20000
		var integral float64
		h := (hi - lo) / steps
		for k := range steps + 1 {
			x := lo + float64(k)*h
			got, want := e.pdf(x), plain(x)
			if math.Abs(got-want) > 1e-9*want {
				t.Fatalf("trial %d: pdf(%v) = %v, want %v", trial, x, got, want)
			}
			c := 1.0
			if k == 0 || k == steps {
				c = 0.5
			}
			integral += c * got * h
		}
		if math.Abs(integral-1) > 1e-3 {
			t.Errorf("trial %d: ∫pdf = %v, want 1", trial, integral)
		}
		// Samples: inside the bounds, and their histogram follows pdf.
		const bins, draws = 15, 60000
		var hist [bins]float64
		for range draws {
			x := e.sample(rng)
			if x < lo || x > hi {
				t.Fatalf("sample %v outside [%v, %v]", x, lo, hi)
			}
			hist[min(int((x-lo)/(hi-lo)*bins), bins-1)]++
		}
		for b := range bins {
			var want float64
			for k := range 100 {
				x := lo + (float64(b)+(float64(k)+0.5)/100)*(hi-lo)/bins
				want += e.pdf(x) * (hi - lo) / bins / 100
			}
			got := hist[b] / draws
			if math.Abs(got-want) > 0.01+0.05*want {
				t.Errorf("trial %d bin %d: %.4f of samples, want %.4f", trial, b, got, want)
			}
		}
	}
}

func TestExpNeg(t *testing.T) {
	worst := 0.0
	for x := 0.0; x < 100; x += 0.000371 {
		e := math.Exp(-x)
		worst = max(worst, math.Abs(expNeg(x)-e)/e)
	}
	if worst > 3e-12 {
		t.Errorf("expNeg: relative error %v, want at most 3e-12", worst)
	}
}

// The categorical estimator is Optuna's: each observation spreads its
// weight over its candidate and, by prior/k, over all; the prior
// component is uniform.
func TestCategorical(t *testing.T) {
	var c categorical
	c.fit(3, []int{0, 0, 2}, []float64{1, 1, 1}, 1)
	// Components: three observations (weight 1/4 each) with rows
	// (1+1/3)/2 on their candidate and (1/3)/2 elsewhere, and the prior
	// (1/4) uniform.
	want := []float64{
		2*0.25*(4.0/6) + 0.25*(1.0/6) + 0.25/3,
		3*0.25*(1.0/6) + 0.25/3,
		2*0.25*(1.0/6) + 0.25*(4.0/6) + 0.25/3,
	}
	var sum float64
	for i, w := range want {
		sum += c.p[i]
		if math.Abs(c.p[i]-w) > 1e-12 {
			t.Errorf("p[%d] = %v, want %v", i, c.p[i], w)
		}
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("Σp = %v", sum)
	}
}

// A decision inside a candidate is fitted only on the trials where its
// candidate was chosen: TPE learns both which optimizer is best and the
// best learning rate for it.
func TestTPEConditional(t *testing.T) {
	spec := tpeSpec(t, `
opt: !oneof
  - {name: sgd, lr: !float {min: 0, max: 1}}
  - {name: adam, lr: !float {min: 0, max: 1}}
  - {name: rmsprop}
`)
	f := func(d space.DNA) float64 {
		switch d.Children[0].Value {
		case 0: // sgd: best at lr 0.8
			lr := d.Children[0].Children[0].Value
			return -math.Abs(lr-0.8) - 0.3
		case 1: // adam: best at lr 0.2, and better than sgd
			lr := d.Children[0].Children[0].Value
			return -math.Abs(lr - 0.2)
		}
		return -0.6
	}
	a := &TPE{Seed: 3}
	if err := a.Setup(spec); err != nil {
		t.Fatal(err)
	}
	var adam, near int
	for i := range 150 {
		d, err := a.Propose(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if i >= 100 && d.Children[0].Value == 1 {
			adam++
			if math.Abs(d.Children[0].Children[0].Value-0.2) < 0.1 {
				near++
			}
		}
		a.Feedback(Result{Trial: i, DNA: d, Rewards: []float64{f(d)}})
	}
	if adam < 30 || near < adam*2/3 {
		t.Errorf("last 50 trials: %d chose adam, %d of them with lr within 0.1 of 0.2", adam, near)
	}
	// sgd's lr saw only sgd's trials.
	sgdLR, _ := spec.Lookup("opt[0].lr")
	adamLR, _ := spec.Lookup("opt[1].lr")
	nSGD, nAdam := len(a.obs[a.index[sgdLR]].x), len(a.obs[a.index[adamLR]].x)
	opt := len(a.obs[a.index[spec.Points[0]]].x)
	if nSGD+nAdam >= opt || nSGD == 0 || nAdam == 0 {
		t.Errorf("observations: sgd lr %d, adam lr %d, opt %d", nSGD, nAdam, opt)
	}
}

// Log-scale floats are modelled on their logarithm and integers stay
// integral: TPE finds a narrow optimum at 3e-4 in [1e-6, 1] and the best
// integer.
func TestTPELogAndInt(t *testing.T) {
	spec := tpeSpec(t, `
lr: !float {min: 1.0e-6, max: 1, scale: log}
n: !int {min: -20, max: 20}
`)
	a := &TPE{Seed: 5}
	if err := a.Setup(spec); err != nil {
		t.Fatal(err)
	}
	best, bestDNA := math.Inf(-1), space.DNA{}
	for i := range 100 {
		d, err := a.Propose(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		lr, n := d.Children[0].Value, d.Children[1].Value
		if n != math.Trunc(n) {
			t.Fatalf("int decision %v", n)
		}
		r := -math.Abs(math.Log10(lr)-math.Log10(3e-4)) - 0.1*math.Abs(n-7)
		if r > best {
			best, bestDNA = r, d
		}
		a.Feedback(Result{Trial: i, DNA: d, Rewards: []float64{r}})
	}
	if best < -0.25 {
		t.Errorf("best %v at %s, want within 0.25 of 0", best, spec.Format(bestDNA))
	}
}

// The joint estimator is a density on its box (it integrates to 1),
// matches the plain product-mixture formula, and samples inside the box.
func TestJointParzen(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 30
	obs := []tpeObs{{}, {}}
	lo, hi := []float64{-5, 0}, []float64{10, 1}
	for range n {
		obs[0].x = append(obs[0].x, lo[0]+(hi[0]-lo[0])*rng.Float64())
		obs[1].x = append(obs[1].x, 0.9+0.1*rng.Float64()) // crowded at a bound
	}
	rows := []int32{3, 7, 11, 20, 29}
	ws := []float64{1, 0.5, 1, 2, 1}
	var e jointParzen
	e.fit(obs, []int{0, 1}, rows, ws, lo, hi, 1)
	terms := make([]float64, len(rows)+1)
	plain := func(x []float64) float64 {
		total := 1.0
		for _, w := range ws {
			total += w
		}
		var sum float64
		for j := range len(rows) + 1 {
			w := 1.0
			if j < len(rows) {
				w = ws[j]
			}
			p := w / total
			for k := range 2 {
				mu, s := e.mu[j*2+k], e.sigma[j*2+k]
				z := 0.5*math.Erfc((lo[k]-mu)/s/math.Sqrt2) - 0.5*math.Erfc((hi[k]-mu)/s/math.Sqrt2)
				p *= math.Exp(-(x[k]-mu)*(x[k]-mu)/(2*s*s)) / (s * math.Sqrt(2*math.Pi) * z)
			}
			sum += p
		}
		return sum
	}
	const steps = 400
	var integral float64
	for a := range steps {
		for b := range steps {
			x := []float64{lo[0] + (float64(a)+0.5)*(hi[0]-lo[0])/steps, lo[1] + (float64(b)+0.5)*(hi[1]-lo[1])/steps}
			got, want := math.Exp(e.logPDF(x, terms)), plain(x)
			if math.Abs(got-want) > 1e-9*want {
				t.Fatalf("pdf(%v) = %v, want %v", x, got, want)
			}
			integral += got * (hi[0] - lo[0]) * (hi[1] - lo[1]) / steps / steps
		}
	}
	if math.Abs(integral-1) > 1e-3 {
		t.Errorf("∫pdf = %v, want 1", integral)
	}
	x := make([]float64, 2)
	for range 10000 {
		e.sample(rng, x)
		if x[0] < lo[0] || x[0] > hi[0] || x[1] < lo[1] || x[1] > hi[1] {
			t.Fatalf("sample %v outside the box", x)
		}
	}
}

// toUnit and fromUnit map values to [0, 1] and back, without overflow on
// huge ranges, rounding integers.
func TestUnitAxis(t *testing.T) {
	spec := tpeSpec(t, `
x: !float {min: -5, max: 10}
lr: !float {min: 1.0e-5, max: 0.1, scale: log}
n: !int {min: 1, max: 4}
big: !float {min: -1.7e308, max: 1.7e308}
bigint: !int {min: -9007199254740992, max: 9007199254740992}
`)
	p := spec.Points
	for _, c := range []struct {
		p    *space.DecisionPoint
		v, u float64
	}{
		{p[0], -5, 0}, {p[0], 10, 1}, {p[0], 2.5, 0.5},
		{p[1], 1e-5, 0}, {p[1], 1e-1, 1}, {p[1], 1e-3, 0.5},
		{p[2], 1, 0.125}, {p[2], 4, 0.875},
		{p[3], -1.7e308, 0}, {p[3], 1.7e308, 1}, {p[3], 0, 0.5},
		{p[4], 0, 0.5},
	} {
		if got := toUnit(c.p, c.v); math.Abs(got-c.u) > 1e-12 {
			t.Errorf("toUnit(%s, %g) = %v, want %v", c.p.ID, c.v, got, c.u)
		}
		if got := fromUnit(c.p, c.u); math.Abs(got-c.v) > 1e-12*math.Max(1, math.Abs(c.v)) {
			t.Errorf("fromUnit(%s, %v) = %g, want %g", c.p.ID, c.u, got, c.v)
		}
	}
	// Every integer owns a quarter of n's axis.
	for u, want := range map[float64]float64{0: 1, 0.24: 1, 0.26: 2, 0.74: 3, 0.76: 4, 1: 4} {
		if got := fromUnit(p[2], u); got != want {
			t.Errorf("fromUnit(n, %v) = %v, want %v", u, got, want)
		}
	}
}

func TestNormTail(t *testing.T) {
	worst := 0.0
	for d := 0.0; d < 12; d += 0.000713 {
		want := 0.5 * math.Erfc(d/math.Sqrt2)
		worst = max(worst, math.Abs(normTail(d)-want))
	}
	if worst > 1e-10 {
		t.Errorf("normTail: absolute error %v, want at most 1e-10", worst)
	}
}
