package searchbench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/internal/stats"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// OverheadFigures are what Overhead measures, in µs, medians over the
// repetitions, not rounded.
type OverheadFigures struct {
	// Random and Evolution are the loop's figures with random search
	// and with regularized evolution (population 100, tournament 10).
	Random, Evolution LoopFigures
	// DecodeUS is the time to decode one DNA of OverheadSpace.
	DecodeUS float64
}

// LoopFigures are the search loop's time per trial, in µs.
type LoopFigures struct {
	// Loop is the time until the last trial was fed back.
	Loop float64
	// Run is the time of the whole search.Run call: the loop plus the
	// setup and the final summary of the study.
	Run float64
}

// OverheadSpace returns the space Overhead searches: six OneOf of 2, 3,
// 4, 5, 6 and 8 candidates and four Float, ten decisions in all.
func OverheadSpace() *space.Space {
	tree := symbolic.NewDict(10)
	for i, n := range []int{2, 3, 4, 5, 6, 8} {
		cands := make([]any, n)
		for j := range cands {
			cands[j] = "c" + strconv.Itoa(j)
		}
		tree.Set("choice"+strconv.Itoa(i), space.OneOf(cands...))
	}
	tree.Set("lr", space.Float(1e-5, 1))
	tree.Set("dropout", space.Float(0, 0.5))
	tree.Set("momentum", space.Float(0.5, 0.999))
	tree.Set("decay", space.Float(0, 0.1))
	return space.MustNew(tree)
}

// Overhead measures what the search loop costs per trial when the
// objective costs nothing: search.Run with one worker and the in-memory
// store on OverheadSpace, trials trials with random search and with
// regularized evolution, reps times each after one run of each that is
// not measured (to warm up the heap), the repetitions alternating between
// the algorithms so that a machine getting busier or quieter weighs on
// both alike; then the time to decode one DNA, reps times.
func Overhead(ctx context.Context, trials, reps int) (*OverheadFigures, error) {
	s := OverheadSpace()
	fig := &OverheadFigures{}
	algos := []struct {
		fig *LoopFigures
		new func(seed uint64) algorithms.Algorithm
	}{
		{&fig.Random, func(seed uint64) algorithms.Algorithm { return &algorithms.Random{Seed: seed} }},
		{&fig.Evolution, func(seed uint64) algorithms.Algorithm {
			return &algorithms.RegularizedEvolution{Population: 100, Tournament: 10, Seed: seed}
		}},
	}
	loop := make([][]float64, len(algos))
	run := make([][]float64, len(algos))
	for rep := -1; rep < reps; rep++ {
		for i, a := range algos {
			l, r, err := LoopTime(ctx, s, a.new(uint64(max(rep, 0))), trials)
			if err != nil {
				return nil, err
			}
			if rep >= 0 {
				loop[i] = append(loop[i], l.Seconds()*1e6/float64(trials))
				run[i] = append(run[i], r.Seconds()*1e6/float64(trials))
			}
		}
	}
	for i, a := range algos {
		*a.fig = LoopFigures{Loop: stats.Median(loop[i]), Run: stats.Median(run[i])}
	}
	dec, err := DecodeTime(ctx, s, trials, reps)
	if err != nil {
		return nil, err
	}
	fig.DecodeUS = dec
	return fig, nil
}

// LoopTime runs a search of trials trials on s with algo and a constant
// objective. It returns the time until the last trial was fed back (the
// loop: propose, decode, record, evaluate, feedback) and the wall time of
// the whole search.Run call, which adds the setup and the final summary
// of the study.
func LoopTime(ctx context.Context, s *space.Space, algo algorithms.Algorithm, trials int) (loop, run time.Duration, err error) {
	objective := func(context.Context, *search.Trial[symbolic.Value]) (search.Metrics, error) {
		return search.Metrics{"reward": 1}, nil
	}
	var last time.Duration // written by the one worker, read after Run returns
	opts := &search.Options{Store: search.NewMemStore(), Trials: trials, Workers: 1, Worker: "bench",
		Progress: func(p search.Progress) { last = p.Elapsed }}
	start := time.Now()
	res, err := search.Run(ctx, search.Searchable[symbolic.Value](s), algo, objective, opts)
	run = time.Since(start)
	switch {
	case err != nil:
		return 0, 0, err
	case res.Interrupted:
		return 0, 0, ctx.Err()
	case res.Completed != trials:
		return 0, 0, fmt.Errorf("searchbench: %d of %d trials completed (%s)", res.Completed, trials, res.StopReason)
	}
	return last, run, nil
}

// DecodeTime returns the median over reps of the mean time to decode a
// random DNA of s, in µs, each rep decoding n DNA drawn beforehand.
func DecodeTime(ctx context.Context, s *space.Space, n, reps int) (float64, error) {
	rng := rand.New(rand.NewPCG(1, 2))
	dnas := make([]space.DNA, min(n, 1000))
	for i := range dnas {
		dnas[i] = s.Spec().Random(rng)
	}
	var us []float64
	for range reps {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		start := time.Now()
		for i := range n {
			if _, err := s.Decode(dnas[i%len(dnas)]); err != nil {
				return 0, err
			}
		}
		us = append(us, time.Since(start).Seconds()*1e6/float64(n))
	}
	return stats.Median(us), nil
}
