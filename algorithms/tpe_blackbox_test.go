package algorithms

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/c2602f9e/goglove/algorithms/problems"
	"github.com/c2602f9e/goglove/internal/stats"
)

// bbRun runs a on p for the given number of trials, one at a time:
// propose, read the point from the DNA's numbers form, evaluate, feed
// back Rewards = {−value}. It returns the best (smallest) value found.
func bbRun(a Algorithm, p *problems.Problem, trials int) (float64, error) {
	spec := p.Space().Spec()
	if err := a.Setup(spec); err != nil {
		return 0, err
	}
	ctx := context.Background()
	best := 0.0
	for i := range trials {
		dna, err := a.Propose(ctx)
		if err != nil {
			return 0, fmt.Errorf("trial %d: %w", i, err)
		}
		if err := spec.Validate(dna); err != nil {
			return 0, fmt.Errorf("trial %d: invalid DNA: %w", i, err)
		}
		v := p.Func(spec.Numbers(dna))
		if i == 0 || v < best {
			best = v
		}
		a.Feedback(Result{Trial: i, DNA: dna, Rewards: []float64{-v}})
	}
	return best, nil
}

// bbMedianRegret runs newAlgo(seed) on p for seeds 0..seeds−1 in
// parallel and returns the median regret.
func bbMedianRegret(tb testing.TB, newAlgo func(seed uint64) Algorithm, p *problems.Problem, trials, seeds int) float64 {
	tb.Helper()
	regrets := make([]float64, seeds)
	errs := make([]error, seeds)
	var wg sync.WaitGroup
	for s := range seeds {
		wg.Go(func() {
			best, err := bbRun(newAlgo(uint64(s)), p, trials)
			regrets[s], errs[s] = p.Regret(best), err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		tb.Fatalf("%s: %v", p.Name, err)
	}
	return stats.Median(regrets)
}

// blackboxGoal is the median regret after 200 trials (10 seeds) of the
// best goptuna sampler (its CMA-ES on every problem), the figure goglove's
// best algorithm must beat.
var blackboxGoal = map[string]float64{
	"branin":       5.8e-6,
	"hartmann6":    0.049,
	"rosenbrock10": 587,
	"ackley10":     6.64,
	"ackley10asym": 7.30,
}

// blackboxAlgos are the algorithms of the quality table.
var blackboxAlgos = []struct {
	name string
	new  func(seed uint64) Algorithm
}{
	{"random", func(seed uint64) Algorithm { return &Random{Seed: seed} }},
	{"tpe", func(seed uint64) Algorithm { return &TPE{Seed: seed} }},
	{"tpe-mv", func(seed uint64) Algorithm { return &TPE{Seed: seed, Multivariate: true} }},
	{"cmaes", func(seed uint64) Algorithm { return &CMAES{Seed: seed} }},
}

// TestBlackbox measures the median regret of random search, TPE
// (univariate and multivariate) and CMA-ES over seeds 0–9 after 200
// trials on every standard problem, and checks that the best of them
// reaches goptuna's figure and that each beats random search. Run it with
// -v to see the table.
func TestBlackbox(t *testing.T) {
	if testing.Short() {
		t.Skip("long: 200 searches of 200 trials")
	}
	const trials, seeds = 200, 10
	var table strings.Builder
	fmt.Fprintf(&table, "%-13s", "problem")
	for _, a := range blackboxAlgos {
		fmt.Fprintf(&table, " %12s", a.name)
	}
	fmt.Fprintf(&table, " %12s\n", "goal")
	for _, p := range problems.All() {
		got := map[string]float64{}
		fmt.Fprintf(&table, "%-13s", p.Name)
		for _, a := range blackboxAlgos {
			got[a.name] = bbMedianRegret(t, a.new, p, trials, seeds)
			fmt.Fprintf(&table, " %12.4g", got[a.name])
		}
		fmt.Fprintf(&table, " %12.4g\n", blackboxGoal[p.Name])
		best := math.Inf(1)
		for _, a := range blackboxAlgos[1:] {
			best = min(best, got[a.name])
			if got[a.name] >= got["random"] {
				t.Errorf("%s: %s's median regret %.4g does not beat random search's %.4g", p.Name, a.name, got[a.name], got["random"])
			}
		}
		if goal := blackboxGoal[p.Name]; best > goal {
			t.Errorf("%s: best median regret %.4g, want at most goptuna's %.4g", p.Name, best, goal)
		}
	}
	t.Logf("median regret after %d trials over %d seeds:\n%s", trials, seeds, table.String())
}
