package searchbench

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/algorithms/problems"
	"github.com/c2602f9e/goglove/internal/stats"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
)

// BlackboxFigures are the figures of one algorithm on one problem, as
// measured: medians over the seeds, not rounded.
type BlackboxFigures struct {
	// Problem and Algo name the problem and the algorithm.
	Problem, Algo string
	// Trials is the length of each run, Seeds the number of runs.
	Trials, Seeds int
	// Checkpoints are the trial counts at which regret was taken
	// (Checkpoints(Trials)); MedianRegret[i] is the median over the
	// seeds of the regret (best value found minus the known optimum)
	// after Checkpoints[i] trials.
	Checkpoints  []int
	MedianRegret []float64
	// USPerTrial is the median framework overhead in µs per trial: the
	// run's wall time minus the time spent computing the function,
	// divided by the trials.
	USPerTrial float64
}

// NewAlgorithm builds the algorithm a search config names {name: name},
// with its defaults and the seed given (algorithms.New).
func NewAlgorithm(name string, seed uint64) (algorithms.Algorithm, error) {
	section := symbolic.NewDict(1)
	section.Set("name", symbolic.String(name))
	return algorithms.New(section, seed)
}

// CanSearch reports why the named algorithm cannot search p's space (grid
// cannot search a continuous one), or nil when it can.
func CanSearch(name string, p *problems.Problem) error {
	a, err := NewAlgorithm(name, 0)
	if err != nil {
		return err
	}
	return a.Setup(p.Space().Spec())
}

// Checkpoints returns the trial counts at which Blackbox takes regret:
// 25%, 50% and 100% of trials, each at least 1, without repeats.
func Checkpoints(trials int) []int {
	var out []int
	for _, c := range []int{trials / 4, trials / 2, trials} {
		c = max(c, 1)
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// Blackbox runs the named algorithm on p once for each seed from 0 to
// seeds-1, each run trials trials long with search.Run (one worker, the
// in-memory store, exactly as a search would), and returns the medians
// over the seeds.
func Blackbox(ctx context.Context, p *problems.Problem, name string, trials, seeds int) (*BlackboxFigures, error) {
	cps := Checkpoints(trials)
	regrets := make([][]float64, len(cps)) // by checkpoint, then seed
	var overheads []float64
	for seed := range seeds {
		best, overhead, err := blackboxRun(ctx, p, name, uint64(seed), trials, cps)
		if err != nil {
			return nil, fmt.Errorf("searchbench: %s on %s, seed %d: %w", name, p.Name, seed, err)
		}
		for i, b := range best {
			regrets[i] = append(regrets[i], p.Regret(b))
		}
		overheads = append(overheads, overhead.Seconds()*1e6/float64(trials))
	}
	fig := &BlackboxFigures{Problem: p.Name, Algo: name, Trials: trials, Seeds: seeds,
		Checkpoints: cps, USPerTrial: stats.Median(overheads)}
	for i := range cps {
		fig.MedianRegret = append(fig.MedianRegret, stats.Median(regrets[i]))
	}
	return fig, nil
}

// blackboxRun runs one search of trials trials with search.Run (one
// worker, an in-memory store) and returns the best value found after each
// checkpoint and the time the run spent outside p.Func.
func blackboxRun(ctx context.Context, p *problems.Problem, name string, seed uint64, trials int, cps []int) ([]float64, time.Duration, error) {
	algo, err := NewAlgorithm(name, seed)
	if err != nil {
		return nil, 0, err
	}
	var (
		inFunc time.Duration
		n      int
		best   = math.Inf(1)
		bests  = make([]float64, len(cps))
	)
	// One worker: the objective is never called concurrently.
	objective := func(_ context.Context, t *search.Trial[symbolic.Value]) (search.Metrics, error) {
		x, err := p.Vector(t.Program)
		if err != nil {
			return nil, err
		}
		t0 := time.Now()
		v := p.Func(x)
		inFunc += time.Since(t0)
		best = min(best, v)
		for i, c := range cps {
			if n < c {
				bests[i] = best
			}
		}
		n++
		return search.Metrics{"value": v}, nil
	}
	opts := &search.Options{
		Study:      p.Name + "/" + name,
		Store:      search.NewMemStore(),
		Objectives: []search.Metric{{Name: "value", Direction: search.Minimize}},
		Trials:     trials,
		Workers:    1,
		Worker:     "bench",
	}
	start := time.Now()
	res, err := search.Run(ctx, search.Searchable[symbolic.Value](p.Space()), algo, objective, opts)
	total := time.Since(start)
	if err != nil {
		return nil, 0, err
	}
	if res.Interrupted {
		return nil, 0, ctx.Err()
	}
	if n == 0 {
		return nil, 0, fmt.Errorf("no trial was evaluated (%s)", res.StopReason)
	}
	return bests, total - inFunc, nil
}
