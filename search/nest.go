package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/c2602f9e/goglove/algorithms"
)

// InnerSearch is a search nested in one trial of an outer search (an
// architecture search inside a trial of a search over hardware
// configurations); Nest runs one for each outer trial.
type InnerSearch[I any] struct {
	// Name names the inner study under its outer trial: the study is
	// "OUTER/trial-N/Name" (see Trial.Inner). It must not be empty.
	Name string
	// Space is the inner search space, typically made from the outer
	// trial's program.
	Space Searchable[I]
	// Algorithm searches Space. Give each outer trial an algorithm of
	// its own: algorithms keep state.
	Algorithm algorithms.Algorithm
	// Objective evaluates the inner programs.
	Objective Objective[I]
	// Options are the inner search's: its budget (Trials, Completed,
	// Duration), MaxFailures, Workers, Stopping, Objectives and
	// Constraints as given; Trial.Inner fills the store, the study name,
	// the worker and the liveness settings from the outer search. nil:
	// every default, the outer objectives, no budget.
	Options *Options
	// Reduce says how the outer trial's metrics are made from the inner
	// study's completed trials; "" is ReduceBest.
	Reduce Reduction
}

// Reduction names how an outer trial's metrics are made from the
// completed (feasible) trials of its inner study.
type Reduction string

// The reductions. With each, the outer metrics also hold InnerTrialMetric,
// the number of the inner study's best trial by its primary objective
// (its winner).
const (
	// ReduceBest: the winner's metrics.
	ReduceBest Reduction = "best"
	// ReduceMean: each metric's mean over the completed trials.
	ReduceMean Reduction = "mean"
	// ReduceMedian: each metric's median (the mean of the middle two for
	// an even count) over the completed trials.
	ReduceMedian Reduction = "median"
)

// Reductions lists the reductions, for messages.
var Reductions = []Reduction{ReduceBest, ReduceMean, ReduceMedian}

// InnerTrialMetric is the metric of an outer trial that names the inner
// study's winner by its trial number: goglove best follows it to show
// the winning inner DNA and program.
const InnerTrialMetric = "inner_trial"

// ErrNoInnerResult: an inner search ended without a completed, feasible
// trial, so its outer trial has no metrics (it fails).
var ErrNoInnerResult = errors.New("search: the inner search has no completed trial")

// Nest returns the objective of an outer search whose trials are inner
// searches: for each outer trial it calls inner for the inner search,
// runs it in the study "OUTER/trial-N/NAME" of the outer store (see
// Trial.Inner), and returns the inner study's metrics, reduced as
// InnerSearch.Reduce says, with InnerTrialMetric naming the winner.
//
// Each level keeps its own books: the inner study's budget, failure
// limit and early stopping are the inner Options', its failed and
// skipped trials are its own; an inner search that ends with no
// completed trial (too many failures, every program infeasible) fails
// the outer trial, which counts toward the outer limits. When the outer
// search stops the trial early, the inner search ends after its running
// trials, and the outer trial is recorded as early-stopped with the
// inner best so far; with an outer stopping policy, each ended inner
// trial is reported to it as a step (the step is the inner trials that
// ended, the metrics the inner best's so far).
//
// Resuming needs nothing more: the inner study's name depends only on
// the outer trial, so an outer trial taken over by another worker (its
// worker was killed, or the search is run again) runs its inner search
// on the same study, which continues where it stopped: the ended inner
// trials are not run again, and a running one is taken over as a new
// attempt. Workers sharing an outer study share its inner studies the
// same way. Every stop of its worker is an attempt of the outer trial,
// which lives as long as its inner search: give long inner searches a
// higher Options.MaxAttempts (a trial at its last attempt fails as
// abandoned, its inner study left as it was).
func Nest[T, I any](inner func(ctx context.Context, outer *Trial[T]) (*InnerSearch[I], error)) Objective[T] {
	return NestAll(func(ctx context.Context, outer *Trial[T]) ([]*InnerSearch[I], error) {
		in, err := inner(ctx, outer)
		return []*InnerSearch[I]{in}, err
	})
}

// NestAll is Nest with several inner searches in each outer trial (one
// algorithm run over a few seeds): they run one after the other, each in
// a study of its own (their names must differ), and the outer trial's
// metrics are, for each metric all of them report, the mean of their
// reduced metrics. With more than one, InnerTrialMetric is left out:
// each inner study's winner is its best trial (see InnerWinners).
func NestAll[T, I any](inner func(ctx context.Context, outer *Trial[T]) ([]*InnerSearch[I], error)) Objective[T] {
	return func(ctx context.Context, t *Trial[T]) (Metrics, error) {
		ins, err := inner(ctx, t)
		if err != nil {
			return nil, err
		}
		if len(ins) == 0 {
			return nil, errors.New("search: Nest: no inner search")
		}
		names := map[string]bool{}
		var all []Metrics
		for _, in := range ins {
			if in == nil || in.Name == "" || in.Space == nil || in.Algorithm == nil || in.Objective == nil {
				return nil, errors.New("search: Nest: an inner search lacks a name, space, algorithm or objective")
			}
			if names[in.Name] {
				return nil, fmt.Errorf("search: Nest: two inner searches are named %q", in.Name)
			}
			names[in.Name] = true
			m, err := runInner(ctx, t, in)
			if err != nil {
				return nil, err
			}
			if t.ShouldStop() {
				return m, nil // stopped early: the inner best so far
			}
			all = append(all, m)
		}
		if len(all) == 1 {
			return all[0], nil
		}
		out := Metrics{}
		for k := range all[0] {
			if k == InnerTrialMetric {
				continue
			}
			sum, ok := 0.0, true
			for _, m := range all {
				v, has := m[k]
				ok = ok && has
				sum += v
			}
			if ok {
				out[k] = sum / float64(len(all))
			}
		}
		return out, nil
	}
}

// runInner runs one inner search of outer trial t and reduces its study
// to metrics.
func runInner[T, I any](ctx context.Context, t *Trial[T], in *InnerSearch[I]) (Metrics, error) {
	reduce := in.Reduce
	if reduce == "" {
		reduce = ReduceBest
	}
	if !slices.Contains(Reductions, reduce) {
		return nil, fmt.Errorf("search: Nest: unknown reduction %q (known: best, mean, median)", reduce)
	}
	opts := t.Inner(in.Name, in.Options)
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	objective := watchingOuter(t, opts, in.Objective, stop)
	res, err := Run(runCtx, in.Space, in.Algorithm, objective, opts)
	if ctx.Err() != nil {
		return nil, ctx.Err() // interrupted: the outer trial is left to be taken over
	}
	if err != nil {
		return nil, fmt.Errorf("inner study %s: %w", opts.Study, err)
	}
	trials, err := retry(context.WithoutCancel(ctx), t.r, "read the inner study", func() ([]TrialRecord, error) {
		return opts.Store.Trials(context.WithoutCancel(ctx), opts.Study)
	})
	if err != nil {
		return nil, err
	}
	m, err := reduceInner(reduce, res, trials)
	if err != nil {
		return nil, fmt.Errorf("inner study %s: %w", opts.Study, err)
	}
	return m, nil
}

// watchingOuter wraps an inner objective so that the inner search stops
// (stop) once the outer trial should (its stopping policy stopped it, or
// another worker took it over), and, with an outer stopping policy, each
// inner trial's end is reported to the outer trial as a step, with the
// inner best's metrics so far.
func watchingOuter[T, I any](t *Trial[T], opts *Options, objective Objective[I], stop context.CancelFunc) Objective[I] {
	var mu sync.Mutex
	reports := t.r.opts.Stopping != nil
	return func(ctx context.Context, it *Trial[I]) (Metrics, error) {
		m, err := objective(ctx, it)
		if err != nil || it.Done() {
			if t.ShouldStop() {
				stop()
			}
			return m, err
		}
		// Finish here, so that the report below sees this trial.
		_ = it.Finish(ctx, m)
		if reports {
			mu.Lock()
			res, serr := Summarize(context.WithoutCancel(ctx), opts.Store, opts.Study)
			if serr == nil && res.Best != nil {
				ended := res.Completed + res.Failed + res.Skipped + res.EarlyStopped
				_ = t.Report(ctx, ended, res.Best.Metrics)
			}
			mu.Unlock()
		}
		if t.ShouldStop() {
			stop()
		}
		return m, nil
	}
}

// reduceInner makes an outer trial's metrics from its inner study.
func reduceInner(reduce Reduction, res *Result, trials []TrialRecord) (Metrics, error) {
	if res.Best == nil {
		return nil, fmt.Errorf("%w (%d failed, %d skipped, %d stopped early)", ErrNoInnerResult, res.Failed, res.Skipped, res.EarlyStopped)
	}
	out := Metrics{}
	switch reduce {
	case ReduceBest:
		for k, v := range res.Best.Metrics {
			out[k] = v
		}
	default:
		values := map[string][]float64{}
		for _, tr := range trials {
			if tr.State != Completed {
				continue
			}
			for k, v := range tr.Metrics {
				values[k] = append(values[k], v)
			}
		}
		for k, vs := range values {
			out[k] = reduceValues(reduce, vs)
		}
	}
	out[InnerTrialMetric] = float64(res.Best.Number)
	return out, nil
}

func reduceValues(reduce Reduction, vs []float64) float64 {
	if reduce == ReduceMedian {
		s := slices.Clone(vs)
		slices.Sort(s)
		n := len(s)
		if n%2 == 1 {
			return s[n/2]
		}
		return (s[n/2-1] + s[n/2]) / 2
	}
	sum := 0.0
	for _, v := range vs {
		sum += v
	}
	return sum / float64(len(vs))
}
