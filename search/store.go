package search

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"time"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// State is the state of a trial.
type State uint8

// Trial states. A Waiting trial was enqueued (Enqueue) and is handed out
// by the next proposal before the algorithm's own (see Store.Propose);
// nobody runs it yet, so it has no heartbeat and is never reclaimed.
const (
	Running State = iota
	Completed
	Failed
	Skipped
	EarlyStopped
	Waiting
)

var stateNames = [...]string{"running", "completed", "failed", "skipped", "early_stopped", "waiting"}

// String returns the state's name: running, completed, failed, skipped,
// early_stopped or waiting.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}

// Done reports whether the trial has finished (it is neither running nor
// waiting).
func (s State) Done() bool { return s != Running && s != Waiting }

// StudyInfo describes a study.
type StudyInfo struct {
	// Name identifies the study in its store. Nested studies are named
	// after their outer trial: "outer/trial-3/inner".
	Name string
	// Objectives are the study's metrics, the first one primary.
	Objectives []Metric
	// Config is the study's whole config as a symbolic tree, when it has
	// one (a search from a YAML config); stores keep it so that a study
	// can be resumed or joined from its name alone.
	Config symbolic.Value
	// Created is when the study was created.
	Created time.Time
}

// Step is one intermediate measurement of a trial.
type Step struct {
	Step    int     `json:"step"`
	Metrics Metrics `json:"metrics"`
}

// TrialRecord is what a store keeps about a trial.
type TrialRecord struct {
	Number   int
	DNA      space.DNA
	DNAText  string         // the DNA's numbers form
	Program  symbolic.Value // the decoded program, when the space gives a tree
	State    State
	Metrics  Metrics // final metrics
	Steps    []Step  // intermediate metrics, in report order
	Error    string  // why the trial failed, was skipped or stopped
	Attempt  int     // 1 for the first attempt; Reclaim adds one
	Worker   string  // who runs (or ran) the current attempt, "host:pid"
	Created  time.Time
	Finished time.Time
	// Heartbeat is when the running attempt last showed it was alive, by
	// the store's clock; stores set it (Propose with Watched, Heartbeat,
	// Reclaim), UpdateTrial leaves it. Zero for a trial nobody watches
	// (one handed out by goglove ask without a lease), which is never
	// reclaimed.
	Heartbeat time.Time
	// Watched asks Propose to start the new trial's heartbeat.
	Watched bool
	// Lease, if positive, is how long the running attempt stays its
	// worker's without a heartbeat: a trial handed out by goglove ask
	// --lease, stale once its heartbeat is older than its lease instead
	// of the reclaimer's timeout. Stores keep the Lease of a watched
	// trial Propose adds, set it to ReclaimRequest.Lease on Reclaim, and
	// leave it on UpdateTrial; it is 0 otherwise.
	Lease time.Duration
	// Claim asks Propose to start the Waiting trial numbered Number
	// rather than add a trial; see Store.Propose.
	Claim bool
	// Seq is the store's change number of the trial's last change
	// (adding, updating, reclaiming; not heartbeats): larger is later.
	// Stores set it; see Store.Propose.
	Seq int64
}

// ReclaimRequest says which running trials Store.Reclaim may take.
type ReclaimRequest struct {
	// Worker takes the trial.
	Worker string
	// Timeout: a trial whose heartbeat is older than this is stale. It
	// must be positive.
	Timeout time.Duration
	// MaxAttempts: a stale trial at this attempt fails ("abandoned")
	// instead of being handed out again. 0 means no limit.
	MaxAttempts int
	// Dead names workers known to have stopped (a process of this host
	// that no longer exists): their trials are stale at once.
	Dead []string
	// Lease is the Lease of the attempt handed out (0 for a worker,
	// which keeps heartbeats).
	Lease time.Duration
}

// AbandonedError is the error text of a trial that failed because its
// workers stopped MaxAttempts times.
func AbandonedError(attempts int) string {
	return "abandoned: its worker stopped before it finished, " + strconv.Itoa(attempts) + " times"
}

// Store keeps studies and their trials. Every method takes a context
// first and is safe for concurrent use. Implementations: the in-memory
// store of this package (NewMemStore) and, in sub-packages, SQLite and
// PostgreSQL; all pass one conformance suite.
type Store interface {
	// CreateStudy creates a study, or returns ErrExists if one of that
	// name exists.
	CreateStudy(ctx context.Context, s StudyInfo) error
	// Study returns a study, or ErrNotFound.
	Study(ctx context.Context, name string) (StudyInfo, error)
	// Studies lists the studies, sorted by name.
	Studies(ctx context.Context) ([]StudyInfo, error)
	// DeleteStudy removes a study with its config and its trials (their
	// programs, metrics and steps), or returns ErrNotFound. A study of
	// that name created afterwards starts empty. Studies nested in its
	// trials ("NAME/trial-3/inner") are studies of their own and stay.
	DeleteStudy(ctx context.Context, name string) error
	// RenameStudy gives the study old, with its trials as they are, the
	// name new: ErrNotFound if there is no study old, ErrExists if there
	// is a study new (also when new is old). Workers still running the
	// study under its old name get ErrNotFound.
	RenameStudy(ctx context.Context, old, new string) error
	// CopyStudy copies the study from, with its trials as they are
	// (running ones too, with their attempts and heartbeats, so that
	// workers of the copy take them over once they look stale), to a new
	// study to: its StudyInfo but for the name, and the same change
	// numbers. ErrNotFound if there is no study from, ErrExists if there
	// is a study to.
	CopyStudy(ctx context.Context, from, to string) error
	// AddTrial stores a new trial and returns its number, the next in the
	// study, from 0.
	AddTrial(ctx context.Context, study string, t TrialRecord) (int, error)
	// UpdateTrial replaces a running trial, found by its number, with t
	// (all but Heartbeat and Lease). t.Attempt must be the trial's current attempt,
	// else ErrSuperseded: a worker whose attempt was reclaimed cannot
	// overwrite the new attempt. Once a trial has ended it does not
	// change: updating it again with the same state, metrics and error
	// is a no-op (a retried report), with anything else ErrSuperseded.
	UpdateTrial(ctx context.Context, study string, t TrialRecord) error
	// Propose adds a trial the way many workers can share a study: in one
	// transaction that holds the study's proposal lock, it calls fn with
	// the trials changed since the change number since (pass -1 for all)
	// in number order, and the study's change number; fn returns the
	// trial to add (numbered next) or nil to add none. fn runs once, must
	// be quick and must not call the store; it may keep the records but
	// must not change their DNA, programs, metrics or steps, which a store
	// may share with what it keeps; an error from fn aborts the
	// transaction and is returned. A trial fn returns with Claim set
	// starts the Waiting trial numbered Number instead: it becomes
	// Running with the returned State, Attempt, Worker and Created (its
	// DNA and program stay), a heartbeat if Watched, and a new change
	// number; if that trial is not waiting, Propose returns an
	// ErrSuperseded error. Propose returns the new (or started) trial's
	// number (-1 if none) and the study's change number after the
	// transaction, to pass as since next time.
	Propose(ctx context.Context, study string, since int64, fn func(changed []TrialRecord, seq int64) (*TrialRecord, error)) (number int, seq int64, err error)
	// Heartbeat records that the given attempt of a running trial is
	// alive, or returns ErrSuperseded if that attempt no longer runs (it
	// ended, or was reclaimed).
	Heartbeat(ctx context.Context, study string, number, attempt int) error
	// Reclaim hands the lowest-numbered stale running trial to another
	// worker (attempt + 1, req.Worker, a fresh heartbeat, no steps) and
	// returns it; a stale trial already at req.MaxAttempts fails instead.
	// A trial is stale when its heartbeat is older than its Lease (if it
	// has one, else req.Timeout) or its worker is in req.Dead; unwatched
	// trials never are. The new attempt's Lease is req.Lease. Concurrent
	// Reclaims never hand out one attempt twice. ErrNotFound: none.
	Reclaim(ctx context.Context, study string, req ReclaimRequest) (TrialRecord, error)
	// Trials returns a study's trials in number order.
	Trials(ctx context.Context, study string) ([]TrialRecord, error)
	// Close releases the store.
	Close() error
}

// CheckUpdate applies the rules of Store.UpdateTrial to a stored trial and
// an update of it, for stores to call inside the transaction that
// updates: write is true if the update may replace the stored trial. If
// the stored trial has ended exactly as the update says, write is false
// and err nil (a retried report: a no-op); otherwise err is an
// ErrSuperseded error.
func CheckUpdate(stored, update TrialRecord) (write bool, err error) {
	if stored.Attempt != update.Attempt {
		return false, fmt.Errorf("%w: trial %d is at attempt %d, not %d", ErrSuperseded, update.Number, stored.Attempt, update.Attempt)
	}
	if !stored.State.Done() {
		return true, nil
	}
	if stored.State != update.State || stored.Error != update.Error || !maps.Equal(stored.Metrics, update.Metrics) {
		return false, fmt.Errorf("%w: trial %d already ended (%s)", ErrSuperseded, update.Number, stored.State)
	}
	return false, nil
}
