package search

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/symbolic"
)

// runner holds the state of one process's part of a search over a study:
// the algorithm, its view of the study, and the trials this process runs.
// Many runners, in many processes, may share one study through its store:
// each proposes under the store's proposal lock after catching up with
// the trials the others proposed and finished (see sync.go), takes over
// trials whose workers stopped (Reclaim), and keeps its own trials'
// heartbeats (heartbeat.go). Its methods are safe for concurrent use; the
// algorithm and the stopping policy are called under mu.
type runner[T any] struct {
	// proposing serializes this runner's proposals and reclaims, so that
	// each sees the trials the previous one added as its own.
	proposing sync.Mutex
	mu        sync.Mutex
	space     Searchable[T]
	algo      algorithms.Algorithm
	opts      Options
	start     time.Time

	view    studyView
	active  map[int]*Trial[T] // trials this runner runs, by number
	started int               // trials this runner started (Options.Limit)
	// unwatched makes proposals without heartbeats (Ask: the trial is
	// evaluated outside any worker).
	unwatched bool
	// lease is the Lease of the trials it proposes (Ask with a lease:
	// watched, renewed by TellStep, never by this runner).
	lease    time.Duration
	algoDone bool
	// wake is closed (and replaced) when one of this runner's trials
	// ends, to wake goroutines waiting for the budget to free up.
	wake chan struct{}

	stopBeats context.CancelFunc
	beats     sync.WaitGroup
}

func newRunner[T any](ctx context.Context, s Searchable[T], algo algorithms.Algorithm, o *Options) (*runner[T], error) {
	if algo == nil {
		return nil, errors.New("search: no algorithm")
	}
	if o != nil && o.Workers > MaxWorkers {
		return nil, fmt.Errorf("search: Options.Workers is %d, more than MaxWorkers (%d)", o.Workers, MaxWorkers)
	}
	r := &runner[T]{space: s, algo: algo, opts: o.withDefaults(), start: time.Now(),
		view: newStudyView(), active: map[int]*Trial[T]{}, wake: make(chan struct{})}
	if err := CheckStudyName(r.opts.Study); err != nil {
		return nil, err
	}
	if err := algo.Setup(s.Spec()); err != nil {
		return nil, fmt.Errorf("search: algorithm setup: %w", err)
	}
	if err := r.openStudy(ctx); err != nil {
		return nil, err
	}
	r.startHeartbeats(ctx)
	return r, nil
}

// isMine reports whether this runner runs trial n. It is called with mu
// held.
func (r *runner[T]) isMine(n int) bool {
	_, ok := r.active[n]
	return ok
}

// close stops the heartbeats and waits for them.
func (r *runner[T]) close() {
	r.stopBeats()
	r.beats.Wait()
}

// openStudy creates the study or checks that the existing one has the
// same objectives, space and objective. Its history is read by the first
// proposal (see sync).
func (r *runner[T]) openStudy(ctx context.Context) error {
	return retryErr(ctx, r, "open study", func() error { return OpenStudy(ctx, &r.opts) })
}

// OpenStudy creates the study opts names in opts.Store, keeping its
// objectives and config, or, if it exists, checks that it has the same
// objectives, space and objective (else an ErrExists error naming the
// difference). Sample and Run do this first; call it alone to create a
// study that workers will run (goglove search --create).
func OpenStudy(ctx context.Context, opts *Options) error {
	o := opts.withDefaults()
	st := o.Store
	info, err := st.Study(ctx, o.Study)
	switch {
	case errors.Is(err, ErrNotFound):
		err := st.CreateStudy(ctx, StudyInfo{Name: o.Study, Objectives: o.Objectives, Config: o.Config, Created: time.Now()})
		if errors.Is(err, ErrExists) {
			return OpenStudy(ctx, opts) // another worker created it first
		}
		return err
	case err != nil:
		return err
	}
	if err := sameObjectives(info.Objectives, o.Objectives); err != nil {
		return fmt.Errorf("%w: study %q: %v", ErrExists, o.Study, err)
	}
	if err := sameConfig(info.Config, o.Config); err != nil {
		return fmt.Errorf("%w: study %q exists with another config: %v; give the study another name", ErrExists, o.Study, err)
	}
	return nil
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

// stopReason says why no more trials should start, or "" if they may.
// It is called with mu held.
func (r *runner[T]) stopReason() string {
	v := &r.view
	switch {
	case r.algoDone && len(v.waiting) == 0:
		return "the algorithm has nothing more to propose"
	case r.opts.Trials > 0 && v.ended() >= r.opts.Trials:
		return "the trial budget is spent"
	case r.opts.Completed > 0 && v.count[Completed] >= r.opts.Completed:
		return "the budget of completed trials is spent"
	case r.opts.Duration > 0 && time.Since(r.start) >= r.opts.Duration:
		return "the time budget is spent"
	case r.opts.Limit > 0 && r.started >= r.opts.Limit:
		return "this worker's trial limit is reached"
	}
	return ""
}

// ended counts the trials of the study that ended, however they ended.
func (v *studyView) ended() int {
	return v.count[Completed] + v.count[Failed] + v.count[Skipped] + v.count[EarlyStopped]
}

// budgetTaken reports whether the trials running, with those that ended,
// fill a trial budget, so that no more may start until one ends. It is
// called with mu held.
func (r *runner[T]) budgetTaken() bool {
	v := &r.view
	running := v.count[Running]
	return r.opts.Trials > 0 && v.ended()+running >= r.opts.Trials ||
		r.opts.Completed > 0 && v.count[Completed]+running >= r.opts.Completed
}

// next returns the next trial to evaluate: a stale trial of a stopped
// worker, or a new proposal. It returns nil and no error when the search
// is over; while the budget is taken by trials running elsewhere, it
// waits for them to end (or go stale).
func (r *runner[T]) next(ctx context.Context) (*Trial[T], error) {
	tryReclaim := true
	for {
		if err := ctx.Err(); err != nil {
			return nil, nil
		}
		r.mu.Lock()
		wake := r.wake
		r.mu.Unlock()
		if tryReclaim {
			t, err := r.reclaim(ctx)
			if err != nil || t != nil {
				return t, err
			}
		}
		t, outcome, err := r.propose(ctx)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, nil // interrupted
			}
			return nil, err
		case t != nil:
			return t, nil
		case outcome == proposeStop:
			return nil, nil
		case outcome == proposeReclaim:
			tryReclaim = true
			continue
		}
		// The budget is taken by running trials: wait for one to end.
		tryReclaim = true
		timer := time.NewTimer(r.opts.pollInterval())
		select {
		case <-ctx.Done():
		case <-wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// proposeOutcome says why propose returned no trial.
type proposeOutcome uint8

const (
	proposeStop    proposeOutcome = iota // the search is over
	proposeWait                          // the budget is taken by running trials
	proposeReclaim                       // a trial looks stale: try to reclaim it
)

// waitOutcome is what a runner that may not propose yet does: wait for the
// trials running elsewhere, or first try to take over one that looks
// stale. It is called with mu held.
func (r *runner[T]) waitOutcome() proposeOutcome {
	if r.view.staleLooking(r.opts, r.isMine) {
		return proposeReclaim
	}
	return proposeWait
}

// propose catches up with the study and adds the algorithm's next
// proposal, under the store's proposal lock.
func (r *runner[T]) propose(ctx context.Context) (*Trial[T], proposeOutcome, error) {
	r.proposing.Lock()
	defer r.proposing.Unlock()
	var (
		t       *Trial[T]
		outcome proposeOutcome
		fnErr   error
		decErr  error
	)
	spec := r.space.Spec()
	fn := func(changed []TrialRecord, seq int64) (*TrialRecord, error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		t, outcome, fnErr, decErr = nil, proposeStop, nil, nil
		if err := r.sync(ctx, changed, seq); err != nil {
			return nil, &permanentError{fmt.Errorf("search: catching up with the study: %w", err)}
		}
		v := &r.view
		if r.stopReason() != "" {
			// A done algorithm still needs the results of trials running
			// elsewhere: wait for them, and take over those whose workers
			// stopped, so that none is left running.
			if r.algoDone && v.othersRunning(r.isMine) {
				outcome = r.waitOutcome()
			}
			return nil, nil
		}
		if r.opts.MaxFailures > 0 && v.count[Failed] > r.opts.MaxFailures {
			fnErr = fmt.Errorf("%w: %d failed (limit %d)", ErrTooManyFailures, v.count[Failed], r.opts.MaxFailures)
			return nil, nil
		}
		if r.budgetTaken() {
			outcome = r.waitOutcome()
			return nil, nil
		}
		// An enqueued trial goes first: it is started as it is, and the
		// algorithm, which replayed it in sync, learns from its result.
		if w, ok := v.firstWaiting(); ok {
			rec := TrialRecord{Number: w.Number, Claim: true, DNA: w.DNA, DNAText: w.DNAText, State: Running, Attempt: 1,
				Worker: r.opts.Worker, Created: time.Now(), Watched: !r.unwatched || r.lease > 0, Lease: r.lease}
			var program T
			program, rec.Program, decErr = decode(r.space, w.DNA)
			t = &Trial[T]{DNA: w.DNA, Program: program, r: r, rec: rec}
			t.rec.Claim = false
			return &rec, nil
		}
		// The new trial is numbered next: after sync the view holds every
		// trial of the study.
		d, err := algorithms.ProposeTrial(ctx, r.algo, len(v.trials), 0)
		if errors.Is(err, algorithms.ErrDone) {
			r.algoDone = true
			if v.othersRunning(r.isMine) {
				outcome = r.waitOutcome()
			}
			return nil, nil
		}
		if err != nil {
			return nil, &permanentError{fmt.Errorf("search: propose: %w", err)}
		}
		rec := TrialRecord{DNA: d, DNAText: spec.Format(d), State: Running, Attempt: 1, Worker: r.opts.Worker,
			Created: time.Now(), Watched: !r.unwatched || r.lease > 0, Lease: r.lease}
		var program T
		var tree symbolic.Value
		program, tree, decErr = decode(r.space, d)
		rec.Program = tree
		t = &Trial[T]{DNA: d, Program: program, r: r, rec: rec}
		return &rec, nil
	}
	type added struct {
		n   int
		seq int64
	}
	num, err := retry(ctx, r, "propose", func() (added, error) {
		r.mu.Lock()
		since := r.view.seq
		r.mu.Unlock()
		n, seq, err := r.opts.Store.Propose(ctx, r.opts.Study, since, fn)
		return added{n, seq}, err
	})
	if err != nil {
		return nil, proposeStop, err
	}
	if fnErr != nil {
		return nil, proposeStop, fnErr
	}
	if t == nil {
		return nil, outcome, nil
	}
	r.mu.Lock()
	t.Number, t.rec.Number = num.n, num.n
	r.view.seq = num.seq
	r.view.at(t.Number).known = true
	r.view.set(t.Number, Running, "", time.Time{}) // this runner's: never stale to it
	r.active[t.Number] = t
	r.started++
	r.mu.Unlock()
	if decErr != nil {
		_ = t.finish(ctx, Failed, nil, "decode: "+decErr.Error())
		return nil, proposeReclaim, nil // next proposes again
	}
	return t, proposeStop, nil
}

// reclaim takes over a stale trial of a stopped worker, if the study has
// one.
func (r *runner[T]) reclaim(ctx context.Context) (*Trial[T], error) {
	r.proposing.Lock()
	defer r.proposing.Unlock()
	r.mu.Lock()
	if !r.view.staleLooking(r.opts, r.isMine) {
		r.mu.Unlock()
		return nil, nil
	}
	dead := r.view.deadWorkers(r.opts.Worker, r.isMine)
	r.mu.Unlock()
	rec, err := retry(ctx, r, "reclaim", func() (TrialRecord, error) {
		return r.opts.Store.Reclaim(ctx, r.opts.Study, ReclaimRequest{Worker: r.opts.Worker,
			Timeout: r.opts.HeartbeatTimeout, MaxAttempts: r.opts.MaxAttempts, Dead: dead})
	})
	if errors.Is(err, ErrNotFound) {
		r.mu.Lock()
		r.view.reclaimMiss = time.Now()
		r.mu.Unlock()
		return nil, nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil
		}
		return nil, err
	}
	program, _, decErr := decode(r.space, rec.DNA)
	t := &Trial[T]{Number: rec.Number, DNA: rec.DNA, Program: program, r: r, rec: rec}
	r.mu.Lock()
	r.view.set(rec.Number, Running, "", time.Time{}) // this runner's now
	r.active[rec.Number] = t
	r.started++
	r.mu.Unlock()
	r.logf("trial %d: taken over from a stopped worker (attempt %d)", rec.Number, rec.Attempt)
	if decErr != nil {
		_ = t.finish(ctx, Failed, nil, "decode: "+decErr.Error())
		return nil, nil
	}
	return t, nil
}

// finish records a trial's end and feeds it back to the algorithm.
// Metrics that lack an objective or hold NaN or an infinity make the
// trial failed; that error is returned (after the store's, if any). A
// trial whose attempt was taken over by another worker is not fed back
// (the other worker's result will be); ErrSuperseded is returned.
func (r *runner[T]) finish(ctx context.Context, t *Trial[T], state State, m Metrics, reason string) error {
	var rw []float64
	var badMetrics error
	if state == Completed || state == EarlyStopped && m != nil {
		if rw, badMetrics = rewards(r.opts.Objectives, m); badMetrics != nil {
			state, reason, rw = Failed, badMetrics.Error(), nil
		}
	}
	if state == Completed && len(r.opts.Constraints) > 0 {
		// Infeasible: skipped with its metrics kept (see Constraint).
		why, err := violation(r.opts.Constraints, m)
		switch {
		case err != nil:
			state, reason, rw, badMetrics = Failed, err.Error(), nil, err
		case why != "":
			state, reason, rw = Skipped, why, nil
		}
	}
	reason = storableText(reason) // it may come from a program's output
	t.mu.Lock()
	t.rec.State, t.rec.Metrics, t.rec.Error, t.rec.Finished = state, m, reason, time.Now()
	rec := t.rec
	t.mu.Unlock()
	err := r.record(ctx, rec)
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.active, t.Number)
	close(r.wake)
	r.wake = make(chan struct{})
	switch {
	case errors.Is(err, ErrSuperseded):
		r.logf("trial %d: the result of attempt %d is rejected: %v", t.Number, rec.Attempt, err)
		return err
	case err != nil:
		r.logf("trial %d: its result could not be recorded, so it will be run again: %v", t.Number, err)
		return err
	}
	r.view.set(t.Number, state, "", time.Time{})
	r.view.at(t.Number).fed = true
	r.view.noteBest(state, rw)
	r.algo.Feedback(algorithms.Result{Trial: t.Number, DNA: t.DNA, Rewards: rw})
	if r.opts.Stopping != nil {
		r.view.stepped[t.Number] = -1 // the policy had this runner's reports
		r.opts.Stopping.Finish(t.Number, state == Completed)
	}
	if r.opts.Progress != nil {
		r.opts.Progress(r.progress())
	}
	return badMetrics
}

// record keeps a finished trial in the store. A result is worth more
// than any other write: it is retried, with backoff, for as long as the
// search runs (a database outage of any length loses nothing), and for
// Options.RetryFor more once the search is interrupted. A retried
// update is a no-op if an earlier try got through.
func (r *runner[T]) record(ctx context.Context, rec TrialRecord) error {
	// The common case first, without the machinery of a long retry.
	err := r.opts.Store.UpdateTrial(context.WithoutCancel(ctx), r.opts.Study, rec)
	if err == nil || !transient(err) {
		return err
	}
	keep, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(r.opts.RetryFor, cancel)
		context.AfterFunc(keep, func() { t.Stop() })
	})
	defer stop()
	what := "recording the result of trial " + strconv.Itoa(rec.Number)
	return retryForever(keep, r, what, func() error {
		return r.opts.Store.UpdateTrial(keep, r.opts.Study, rec)
	})
}

// progress returns the study's counts as this runner knows them. It is
// called with mu held.
func (r *runner[T]) progress() Progress {
	v := &r.view
	best := v.best
	if r.opts.Objectives[0].Direction == Minimize {
		best = -best
	}
	return Progress{Completed: v.count[Completed], Failed: v.count[Failed], Skipped: v.count[Skipped],
		EarlyStopped: v.count[EarlyStopped], Running: v.count[Running], Budget: r.opts.Trials, CompletedBudget: r.opts.Completed,
		Best: best, HaveBest: v.haveBest, Elapsed: time.Since(r.start)}
}

func (r *runner[T]) logf(format string, args ...any) {
	if r.opts.Logf != nil {
		r.opts.Logf(format, args...)
	}
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
