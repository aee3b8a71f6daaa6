package search

import "errors"

// Sentinel errors.
var (
	// ErrNotFound: a store has no study or trial of that name or number.
	ErrNotFound = errors.New("search: not found")
	// ErrExists: a study of that name already exists (with another config).
	ErrExists = errors.New("search: already exists")
	// ErrFinished: feedback was given twice, or for a trial already
	// finished.
	ErrFinished = errors.New("search: trial already finished")
	// ErrSuperseded: a worker reported for an attempt of a trial that
	// was reclaimed by another worker, or the trial already ended with
	// another result.
	ErrSuperseded = errors.New("search: trial attempt superseded")
	// ErrBadMetrics: reported metrics lack an objective metric, or hold
	// NaN or an infinity.
	ErrBadMetrics = errors.New("search: bad metrics")
	// ErrTooManyFailures: more trials failed than Options.MaxFailures.
	ErrTooManyFailures = errors.New("search: too many failed trials")
	// ErrInvalidName: a study name no store can keep (see
	// CheckStudyName).
	ErrInvalidName = errors.New("search: invalid name")
	// ErrBadData: a store refused the data it was given (PostgreSQL's
	// data exceptions and integrity violations): retrying cannot help.
	ErrBadData = errors.New("search: data the store refuses")
	// ErrWorkerTrial: Tell was given a trial a worker runs (it has a
	// heartbeat), not one Ask handed out; see TellOptions.Force.
	ErrWorkerTrial = errors.New("search: the trial is run by a worker")
)
