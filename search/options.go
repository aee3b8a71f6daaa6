package search

import (
	"time"

	"github.com/c2602f9e/goglove/algorithms"

	"github.com/c2602f9e/goglove/symbolic"
)

// Options configure Sample and Run. A nil *Options, and every zero field,
// means the documented default.
type Options struct {
	// Study names the study. If Study is "", "default" is used. A study
	// that exists in Store is resumed: the algorithm is rebuilt from its
	// history and the budgets count its trials.
	Study string
	// Config, if not nil, is the study's config as a tree (see
	// Config.Tree): a new study keeps it, and resuming a study whose kept
	// config has another space or objective is refused, naming the
	// difference.
	Config symbolic.Value
	// Store keeps the study. If Store is nil, a new in-memory store is
	// used.
	Store Store
	// Objectives are the metrics trials report, the first one primary. If
	// Objectives is empty, one metric "reward", maximized, is used.
	Objectives []Metric
	// Trials is the budget in trials that ended, however they ended:
	// completed, failed, early-stopped or skipped (Optuna's n_trials).
	// Running trials count toward it while they run, so that workers
	// sharing the study never start more than Trials in all. If Trials is
	// 0, there is no limit in trials: the search runs until another
	// budget is spent, the algorithm is done or the context is cancelled.
	Trials int
	// Completed is the budget in completed trials only: failed,
	// early-stopped and skipped trials do not count toward it, so the
	// search runs until Completed trials have measured the objective
	// fully (bounded by MaxFailures). Running trials count toward it
	// while they run. If Completed is 0, there is no such limit. With
	// both Trials and Completed, the search stops at the first one
	// reached.
	Completed int
	// Duration is the wall-time budget: no trial starts after it, and the
	// trials running then finish. If Duration is 0, there is no limit.
	Duration time.Duration
	// Workers is the number of trials Run evaluates in parallel, at most
	// MaxWorkers. If Workers is 0, 1 is used. Sample hands out one trial
	// at a time.
	Workers int
	// MaxFailures stops the search with ErrTooManyFailures once more of
	// the study's trials than this have failed (all its failures count,
	// also those of earlier runs and other workers; to continue a study
	// that reached the limit, raise it). It guards budgets that failures
	// do not spend: if MaxFailures is 0, the default is max(100,
	// 10·Completed) with a Completed budget, no limit with only a Trials
	// budget (the failures count toward it), and 100 with neither. A
	// negative value means no limit.
	MaxFailures int
	// Constraints bound metrics: a trial that completes with metrics
	// breaking one is recorded as skipped, infeasible (see Constraint for
	// the rule). If Constraints is empty, every completed trial is
	// feasible.
	Constraints []Constraint
	// Stopping decides, from the measurements trials report at
	// intermediate steps, which to stop early. If Stopping is nil, no
	// trial is stopped early.
	Stopping StoppingPolicy
	// Worker names this process in trial records. If Worker is "", the
	// host name and process id are used.
	Worker string
	// Limit is the most trials this process starts in the study (a
	// worker's own share; Trials is the study's budget). If Limit is 0,
	// there is no limit.
	Limit int
	// HeartbeatInterval is how often a worker records that its running
	// trials are alive. If it is 0, a default of 2s is used.
	HeartbeatInterval time.Duration
	// HeartbeatTimeout: a running trial whose heartbeat is older than
	// this is taken over by another worker (its worker is presumed dead).
	// It should be several intervals. If it is 0, a default of 10 ×
	// HeartbeatInterval is used.
	HeartbeatTimeout time.Duration
	// MaxAttempts is how many times a trial is handed out (its first
	// attempt and the takeovers after its workers stopped) before it is
	// recorded as failed. If it is 0, a default of 3 is used.
	MaxAttempts int
	// RetryFor is how long a worker keeps retrying a store that fails
	// (a database restarting, a dropped connection) before it gives up.
	// If it is 0, a default of 2 minutes is used.
	RetryFor time.Duration
	// Logf, if not nil, receives notes on events a user may want to
	// see: retries of a failing store, trials taken over.
	Logf func(format string, args ...any)
	// Progress, if not nil, is called after each trial ends, from one
	// goroutine at a time, with the study's counts and best value so far.
	// It must be quick (it holds up the search).
	Progress func(Progress)
}

// Progress is a snapshot of a running search, for progress displays.
type Progress struct {
	Completed, Failed, Skipped, EarlyStopped, Running int
	// Budget is Options.Trials, in ended trials (0: none).
	Budget int
	// CompletedBudget is Options.Completed (0: none).
	CompletedBudget int
	// Best is the best primary metric value so far (in the metric's own
	// direction), and HaveBest reports whether there is one.
	Best     float64
	HaveBest bool
	Elapsed  time.Duration
}

// StoppingPolicy decides which running trials to stop early, from the
// primary reward (larger is better) they report at steps. It is package
// algorithms' interface, named here too so that Options reads on its
// own; the search loop calls it from one goroutine at a time. The
// policies of package algorithms (median stopping, ASHA, …) implement it.
type StoppingPolicy = algorithms.StoppingPolicy

func (o *Options) withDefaults() Options {
	var out Options
	if o != nil {
		out = *o
	}
	if out.Study == "" {
		out.Study = "default"
	}
	if out.Store == nil {
		out.Store = NewMemStore()
	}
	if len(out.Objectives) == 0 {
		out.Objectives = []Metric{{Name: "reward", Direction: Maximize}}
	}
	if out.Workers <= 0 {
		out.Workers = 1
	}
	if out.MaxFailures == 0 {
		switch {
		case out.Completed > 0:
			out.MaxFailures = max(100, 10*out.Completed)
		case out.Trials > 0:
			out.MaxFailures = -1 // the failures count toward Trials
		default:
			out.MaxFailures = 100
		}
	}
	if out.HeartbeatInterval <= 0 {
		out.HeartbeatInterval = defaultHeartbeatInterval
	}
	out.HeartbeatTimeout = out.StaleAfter()
	if out.MaxAttempts <= 0 {
		out.MaxAttempts = 3
	}
	if out.RetryFor <= 0 {
		out.RetryFor = 2 * time.Minute
	}
	if out.Worker == "" {
		out.Worker = defaultWorkerName()
	}
	out.Worker = storableText(out.Worker)
	return out
}

// defaultHeartbeatInterval is Options.HeartbeatInterval's default.
const defaultHeartbeatInterval = 2 * time.Second

// StaleAfter returns how old a running trial's heartbeat may get before
// workers take the trial over (its worker is presumed dead):
// HeartbeatTimeout, or its default. A trial with a younger heartbeat has
// a live worker.
func (o *Options) StaleAfter() time.Duration {
	if o != nil && o.HeartbeatTimeout > 0 {
		return o.HeartbeatTimeout
	}
	if o != nil && o.HeartbeatInterval > 0 {
		return 10 * o.HeartbeatInterval
	}
	return 10 * defaultHeartbeatInterval
}

// pollInterval is how often a worker waiting for trials running
// elsewhere looks at the study again.
func (o *Options) pollInterval() time.Duration {
	return min(max(o.HeartbeatInterval/4, 10*time.Millisecond), 100*time.Millisecond)
}
