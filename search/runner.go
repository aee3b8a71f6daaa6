package search

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/symbolic"
)

// runner holds the state of one search over a study: the algorithm, the
// store and the counters. Its methods are safe for concurrent use; the
// algorithm and the stopping policy are called under mu.
type runner[T any] struct {
	mu    sync.Mutex
	space Searchable[T]
	algo  algorithms.Algorithm
	opts  Options
	start time.Time

	completed, failed, skipped, stopped int
	running                             int
	algoDone                            bool
	best                                float64 // best primary reward so far
	haveBest                            bool
}

func newRunner[T any](ctx context.Context, s Searchable[T], algo algorithms.Algorithm, o *Options) (*runner[T], error) {
	if algo == nil {
		return nil, errors.New("search: no algorithm")
	}
	r := &runner[T]{space: s, algo: algo, opts: o.withDefaults(), start: time.Now()}
	if err := algo.Setup(s.Spec()); err != nil {
		return nil, fmt.Errorf("search: algorithm setup: %w", err)
	}
	if err := r.openStudy(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// openStudy creates the study or resumes it: the algorithm is rebuilt
// from the finished trials, and trials left running by a process that
// died are recorded as failed.
func (r *runner[T]) openStudy(ctx context.Context) error {
	st := r.opts.Store
	info, err := st.Study(ctx, r.opts.Study)
	switch {
	case errors.Is(err, ErrNotFound):
		return st.CreateStudy(ctx, StudyInfo{Name: r.opts.Study, Objectives: r.opts.Objectives,
			Config: r.opts.Config, Created: time.Now()})
	case err != nil:
		return err
	}
	if err := sameObjectives(info.Objectives, r.opts.Objectives); err != nil {
		return fmt.Errorf("%w: study %q: %v", ErrExists, r.opts.Study, err)
	}
	if err := sameConfig(info.Config, r.opts.Config); err != nil {
		return fmt.Errorf("%w: study %q exists with another config: %v; give the study another name", ErrExists, r.opts.Study, err)
	}
	trials, err := st.Trials(ctx, r.opts.Study)
	if err != nil {
		return err
	}
	history := make([]algorithms.Result, 0, len(trials))
	for _, t := range trials {
		if t.State == Running {
			t.State, t.Error, t.Finished = Failed, "abandoned: its worker stopped before it finished", time.Now()
			if err := st.UpdateTrial(ctx, r.opts.Study, t); err != nil {
				return err
			}
		}
		r.count(t.State)
		res := algorithms.Result{Trial: t.Number, DNA: t.DNA}
		if t.State == Completed || t.State == EarlyStopped {
			res.Rewards, _ = rewards(r.opts.Objectives, t.Metrics)
		}
		if t.State == Completed && res.Rewards != nil && (!r.haveBest || res.Rewards[0] > r.best) {
			r.best, r.haveBest = res.Rewards[0], true
		}
		history = append(history, res)
	}
	return algorithms.Recover(ctx, r.algo, history)
}

func sameObjectives(a, b []Metric) error {
	if len(a) != len(b) {
		return fmt.Errorf("it has %d objectives, not %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			return fmt.Errorf("objective %d is %s %s, not %s %s", i, a[i].Direction, a[i].Name, b[i].Direction, b[i].Name)
		}
	}
	return nil
}

func (r *runner[T]) count(s State) {
	switch s {
	case Completed:
		r.completed++
	case Failed:
		r.failed++
	case Skipped:
		r.skipped++
	case EarlyStopped:
		r.stopped++
	}
}

// stopReason says why no more trials should start, or "" if they may.
// It is called with mu held.
func (r *runner[T]) stopReason() string {
	switch {
	case r.algoDone:
		return "the algorithm has nothing more to propose"
	case r.opts.Trials > 0 && r.completed+r.running >= r.opts.Trials:
		return "the trial budget is spent"
	case r.opts.Duration > 0 && time.Since(r.start) >= r.opts.Duration:
		return "the time budget is spent"
	}
	return ""
}

// next proposes, decodes and records the next trial. It returns nil and
// no error when the search is over. A DNA that does not decode (a hook
// rejecting a combination) is recorded as a failed trial and fed back.
func (r *runner[T]) next(ctx context.Context) (*Trial[T], error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, nil
		}
		r.mu.Lock()
		if r.stopReason() != "" {
			r.mu.Unlock()
			return nil, nil
		}
		if r.opts.MaxFailures > 0 && r.failed > r.opts.MaxFailures {
			r.mu.Unlock()
			return nil, fmt.Errorf("%w: %d failed (limit %d)", ErrTooManyFailures, r.failed, r.opts.MaxFailures)
		}
		d, err := r.algo.Propose(ctx)
		if errors.Is(err, algorithms.ErrDone) {
			r.algoDone = true
			r.mu.Unlock()
			return nil, nil
		}
		if err != nil {
			r.mu.Unlock()
			if ctx.Err() != nil {
				return nil, nil
			}
			return nil, fmt.Errorf("search: propose: %w", err)
		}
		r.running++
		r.mu.Unlock()

		spec := r.space.Spec()
		rec := TrialRecord{DNA: d, DNAText: spec.Format(d), State: Running, Attempt: 1, Worker: r.opts.Worker, Created: time.Now()}
		program, tree, decErr := decode(r.space, d)
		rec.Program = tree
		num, err := r.opts.Store.AddTrial(ctx, r.opts.Study, rec)
		if err != nil {
			r.mu.Lock()
			r.running--
			r.mu.Unlock()
			if ctx.Err() != nil {
				return nil, nil // interrupted between proposing and recording
			}
			return nil, fmt.Errorf("search: record trial: %w", err)
		}
		rec.Number = num
		t := &Trial[T]{Number: num, DNA: d, Program: program, r: r, rec: rec}
		if decErr != nil {
			_ = t.finish(ctx, Failed, nil, "decode: "+decErr.Error())
			continue
		}
		return t, nil
	}
}

// finish records a trial's end and feeds it back to the algorithm.
// Metrics that lack an objective or hold NaN or an infinity make the
// trial failed; that error is returned (after the store's, if any).
func (r *runner[T]) finish(ctx context.Context, t *Trial[T], state State, m Metrics, reason string) error {
	var rw []float64
	var badMetrics error
	if state == Completed || state == EarlyStopped && m != nil {
		if rw, badMetrics = rewards(r.opts.Objectives, m); badMetrics != nil {
			state, reason, rw = Failed, badMetrics.Error(), nil
		}
	}
	t.rec.State, t.rec.Metrics, t.rec.Error, t.rec.Finished = state, m, reason, time.Now()
	// Use a context that outlives cancellation: the result must be kept.
	err := r.opts.Store.UpdateTrial(context.WithoutCancel(ctx), r.opts.Study, t.rec)
	if err == nil {
		err = badMetrics
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.running--
	r.count(state)
	if state == Completed && (!r.haveBest || rw[0] > r.best) {
		r.best, r.haveBest = rw[0], true
	}
	r.algo.Feedback(algorithms.Result{Trial: t.Number, DNA: t.DNA, Rewards: rw})
	if r.opts.Stopping != nil {
		r.opts.Stopping.Finish(t.Number, state == Completed)
	}
	if r.opts.Progress != nil {
		best := r.best
		if r.opts.Objectives[0].Direction == Minimize {
			best = -best
		}
		r.opts.Progress(Progress{Completed: r.completed, Failed: r.failed, Skipped: r.skipped,
			EarlyStopped: r.stopped, Running: r.running, Budget: r.opts.Trials,
			Best: best, HaveBest: r.haveBest, Elapsed: time.Since(r.start)})
	}
	return err
}

// sameConfig compares the parts of two study configs a study cannot
// change: the space and the objective. A missing config matches any.
func sameConfig(old, new symbolic.Value) error {
	if old == nil || new == nil {
		return nil
	}
	for _, key := range []string{"space", "objective"} {
		a, _ := symbolic.Get(old, symbolic.Path(symbolic.Key(key)))
		b, _ := symbolic.Get(new, symbolic.Path(symbolic.Key(key)))
		if d := symbolic.Diff(a, b); len(d) > 0 {
			first := d[0]
			first.Path = symbolic.Path(append([]symbolic.Step{symbolic.Key(key)}, first.Path.Steps()...)...)
			return fmt.Errorf("%s differs at %s", key, first)
		}
	}
	return nil
}
