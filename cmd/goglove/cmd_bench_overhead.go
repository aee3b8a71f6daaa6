package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/spf13/cobra"
)

// benchOverheadOptions are the flags of "goglove bench overhead". The
// command's flags default Trials to 20000 and Reps to 5.
type benchOverheadOptions struct {
	// Trials is the number of trials of each search.
	Trials int
	// Reps is the number of times each measurement is repeated; the
	// median is reported.
	Reps int
	// JSON prints one JSON object instead of text.
	JSON bool
}

const benchOverheadUsage = "goglove bench overhead [--trials N] [--reps N] [--json]"

func newBenchOverheadCmd() *cobra.Command {
	var opts benchOverheadOptions
	cmd := &cobra.Command{
		Use:   "overhead [flags]",
		Short: "Measure the search loop's time per trial",
		Long: `Overhead measures what the search loop costs per trial when the objective
costs nothing: search.Run with one worker and the in-memory store, on a
space of ten decisions (six !oneof of 2, 3, 4, 5, 6 and 8 candidates and
four !float), with an objective that returns a constant. Each trial is
proposed by the algorithm, decoded into a program, recorded in the store
and fed back. It runs --trials trials with random search, and again with
regularized evolution (population 100, tournament 10), --reps times each,
and reports the median µs per trial (after one run of each that is not
measured, to warm up) of the loop, until the last trial
was fed back, and of the whole search.Run call (run), which adds the
setup and the final summary of the study; it also reports the median
time to decode one DNA of that space into its program.

With --json it prints one object:

    {"random_us_per_trial": ..., "evolution_us_per_trial": ...,
     "random_run_us_per_trial": ..., "evolution_run_us_per_trial": ...,
     "decode_us": ..., "trials": ..., "reps": ...}`,
		Example: `  goglove bench overhead
  goglove bench overhead --trials 100000 --reps 9 --json`,
		Args: cobra.ArbitraryArgs, // runBenchOverhead checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBenchOverhead(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Trials, "trials", 20000, "trials of each search")
	f.IntVar(&opts.Reps, "reps", 5, "repetitions of each measurement (the median is reported)")
	f.BoolVar(&opts.JSON, "json", false, "print one JSON object instead of text")
	return cmd
}

// overheadFigures is what bench overhead reports; the JSON names are part
// of the command's output format.
type overheadFigures struct {
	// RandomUSPerTrial and EvolutionUSPerTrial are the loop's time per
	// trial, until the last trial is fed back.
	RandomUSPerTrial    float64 `json:"random_us_per_trial"`
	EvolutionUSPerTrial float64 `json:"evolution_us_per_trial"`
	// The Run figures are the time per trial of the whole search.Run call:
	// the loop plus the setup and the final summary of the study.
	RandomRunUSPerTrial    float64 `json:"random_run_us_per_trial"`
	EvolutionRunUSPerTrial float64 `json:"evolution_run_us_per_trial"`
	DecodeUS               float64 `json:"decode_us"`
	Trials                 int     `json:"trials"`
	Reps                   int     `json:"reps"`
}

// runBenchOverhead measures the loop and prints the figures.
func runBenchOverhead(ctx context.Context, opts benchOverheadOptions, args []string, stdout, _ io.Writer) error {
	if len(args) > 0 {
		return usageErrorf("bench overhead: unexpected argument %q; usage: %s", args[0], benchOverheadUsage)
	}
	switch {
	case opts.Trials < 1:
		return usageErrorf("bench overhead: --trials is %d, want 1 or more", opts.Trials)
	case opts.Reps < 1:
		return usageErrorf("bench overhead: --reps is %d, want 1 or more", opts.Reps)
	}
	s := overheadSpace()
	fig := overheadFigures{Trials: opts.Trials, Reps: opts.Reps}
	algos := []struct {
		loop, run *float64
		new       func(seed uint64) algorithms.Algorithm
	}{
		{&fig.RandomUSPerTrial, &fig.RandomRunUSPerTrial, func(seed uint64) algorithms.Algorithm { return &algorithms.Random{Seed: seed} }},
		{&fig.EvolutionUSPerTrial, &fig.EvolutionRunUSPerTrial, func(seed uint64) algorithms.Algorithm {
			return &algorithms.RegularizedEvolution{Population: 100, Tournament: 10, Seed: seed}
		}},
	}
	// One run of each first, not measured, to warm up the heap; then the
	// repetitions alternate between the algorithms, so that a machine
	// getting busier or quieter weighs on both alike.
	loop := make([][]float64, len(algos))
	run := make([][]float64, len(algos))
	for rep := -1; rep < opts.Reps; rep++ {
		for i, a := range algos {
			l, r, err := loopTime(ctx, s, a.new(uint64(max(rep, 0))), opts.Trials)
			if err != nil {
				return err
			}
			if rep >= 0 {
				loop[i] = append(loop[i], l.Seconds()*1e6/float64(opts.Trials))
				run[i] = append(run[i], r.Seconds()*1e6/float64(opts.Trials))
			}
		}
	}
	for i, a := range algos {
		*a.loop, *a.run = roundSig(median(loop[i]), 3), roundSig(median(run[i]), 3)
	}
	dec, err := decodeTime(ctx, s, opts.Trials, opts.Reps)
	if err != nil {
		return err
	}
	fig.DecodeUS = roundSig(dec, 3)
	if opts.JSON {
		return writeJSON(stdout, fig)
	}
	_, err = fmt.Fprintf(stdout, "search loop, 10-decision space, constant objective, median of %d runs of %d trials:\n"+
		"                         loop µs/trial  run µs/trial\n"+
		"  random search          %13.3g  %12.3g\n"+
		"  regularized evolution  %13.3g  %12.3g  (population 100, tournament 10)\n"+
		"decode one DNA: %.3g µs\n",
		opts.Reps, opts.Trials, fig.RandomUSPerTrial, fig.RandomRunUSPerTrial,
		fig.EvolutionUSPerTrial, fig.EvolutionRunUSPerTrial, fig.DecodeUS)
	return err
}

// overheadSpace returns the space of bench overhead: six OneOf of 2, 3,
// 4, 5, 6 and 8 candidates and four Float, ten decisions in all.
func overheadSpace() *space.Space {
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

// loopTime runs a search of trials trials on s with algo and a constant
// objective. It returns the time until the last trial was fed back (the
// loop: propose, decode, record, evaluate, feedback) and the wall time of
// the whole search.Run call, which adds the setup and the final summary
// of the study.
func loopTime(ctx context.Context, s *space.Space, algo algorithms.Algorithm, trials int) (loop, run time.Duration, err error) {
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
		return 0, 0, fmt.Errorf("bench overhead: %d of %d trials completed (%s)", res.Completed, trials, res.StopReason)
	}
	return last, run, nil
}

// decodeTime returns the median over reps of the mean time to decode a
// random DNA of s, in µs, each rep decoding n DNA drawn beforehand.
func decodeTime(ctx context.Context, s *space.Space, n, reps int) (float64, error) {
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
	return median(us), nil
}
