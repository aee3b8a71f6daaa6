package search

import (
	"context"
	"time"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// State is the state of a trial.
type State uint8

// Trial states.
const (
	Running State = iota
	Completed
	Failed
	Skipped
	EarlyStopped
)

var stateNames = [...]string{"running", "completed", "failed", "skipped", "early_stopped"}

// String returns the state's name: running, completed, failed, skipped or
// early_stopped.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}

// Done reports whether the trial has finished.
func (s State) Done() bool { return s != Running }

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
	Attempt  int
	Worker   string
	Created  time.Time
	Finished time.Time
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
	// AddTrial stores a new trial and returns its number, the next in the
	// study, from 0.
	AddTrial(ctx context.Context, study string, t TrialRecord) (int, error)
	// UpdateTrial replaces a trial, found by its number.
	UpdateTrial(ctx context.Context, study string, t TrialRecord) error
	// Trials returns a study's trials in number order.
	Trials(ctx context.Context, study string) ([]TrialRecord, error)
	// Close releases the store.
	Close() error
}
