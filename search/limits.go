package search

import "time"

// Limits of a search config and of Options, documented maxima that keep a
// careless or hostile config (workers: 100000000, heartbeat: {interval:
// 1ns}) from exhausting a machine: ParseConfig and the command line refuse
// values outside them, and Run refuses Options.Workers above MaxWorkers.
const (
	// MaxConfigBytes bounds the size of a search config file and of its
	// space_file (a config is a few kilobytes). It is checked before the
	// YAML is parsed, so a huge file costs no memory.
	MaxConfigBytes = 1 << 20
	// MaxWorkers bounds the trials one process evaluates in parallel
	// (workers, --workers, Options.Workers).
	MaxWorkers = 1024
	// MaxTrials bounds a trial budget (budget.trials, budget.completed,
	// --trials, --completed) and the failure limit (max_failures).
	MaxTrials = 100_000_000
	// MaxBudgetSeconds bounds budget.seconds: ten years.
	MaxBudgetSeconds = 10 * 365 * 24 * 3600
	// MaxAttemptsLimit bounds max_attempts.
	MaxAttemptsLimit = 100
	// MinHeartbeatInterval and MinHeartbeatTimeout are the shortest
	// heartbeat interval and timeout; MaxHeartbeat is the longest of
	// either.
	MinHeartbeatInterval = 100 * time.Millisecond
	MinHeartbeatTimeout  = 500 * time.Millisecond
	MaxHeartbeat         = 24 * time.Hour
	// MinCommandTimeout is the shortest objective.timeout.
	MinCommandTimeout = 100 * time.Millisecond
)
