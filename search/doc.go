// Package search runs studies: it connects a space, an algorithm and an
// objective, hands out trials through Go iterators (Sample) or evaluates an
// objective with parallel workers (Run), and records every trial in a store
// named by URL (mem://, sqlite://PATH, postgres://…) so that studies
// survive crashes and scale across machines.
//
// # Many workers, one study
//
// Any number of Sample and Run calls, in any number of processes, may
// share a study through its Store. Each keeps its own algorithm and its
// own view of the study (sync.go): it proposes inside Store.Propose, which
// holds the study's proposal lock and hands it the trials that changed
// since it last looked, so that before proposing it replays the trials
// others proposed (a proposal for the trial's number that it discards;
// see below) and feeds back the results they
// recorded; its early-stopping policy hears every worker's steps. Each
// running trial has a heartbeat (heartbeat.go); a trial
// whose heartbeat is older than Options.HeartbeatTimeout, or whose worker
// is a process of this host that has exited, is taken over by another
// worker with Store.Reclaim (a new attempt, up to Options.MaxAttempts); a
// result of a superseded attempt is rejected (ErrSuperseded) and the
// objective learns it from Trial.ShouldStop. Store calls are retried with
// backoff (retry.go): a retried result report is a no-op; what a store
// refuses for its content (ErrBadData, ErrInvalidName) is not retried.
// Ask and Tell drive a study from outside any worker; Tell refuses a
// trial a worker runs (ErrWorkerTrial) unless forced (TellWith). TellStep
// records an asked trial's intermediate step and says whether the study's
// stopping policy stops it; AskLease gives the trial a lease
// (TrialRecord.Lease), renewed by TellStep, after which it is reclaimed
// like a stopped worker's. A command objective (CommandObjective) reports
// steps as JSON lines on its standard output.
// Enqueue (enqueue.go) adds a program as a Waiting trial, nobody's until
// a proposal starts it (Store.Propose with Claim): the next proposal of
// any worker hands it out before asking the algorithm, which learns from
// its result as from any trial another worker proposed.
//
// # Searches inside searches
//
// Nest makes the objective of an outer search out of an inner search
// run for each outer trial (InnerSearch: its space, algorithm, objective
// and Options, completed by Trial.Inner), in the study
// InnerStudyName(outer, n, name) = "OUTER/trial-N/NAME" of the same
// store; its outer trial's metrics are the inner winner's (or a
// Reduction of the inner study), InnerTrialMetric naming the winner
// (InnerWinners finds it). A config does the same with objective.search,
// an inner config whose OuterRef values (!outer KEYPATH, the tag
// Register adds) are resolved from the outer trial's program when its
// inner search starts (nest_config.go, outer_ref.go). Options.Constraints
// make trials over a bound infeasible: skipped with their metrics
// (Constraint states the rule).
//
// # Untrusted input
//
// Configs, metrics and names come from users and programs, so they are
// checked where they enter (limits.go, names.go): a config is at most
// MaxConfigBytes and its counts and durations are bounded (MaxWorkers,
// MaxTrials, MinHeartbeatInterval, …); a study name must pass
// CheckStudyName, in every store's CreateStudy and in Run; metrics must
// pass CheckMetrics (finite values, names of valid UTF-8 without control
// characters) and a JSON null metric is refused (Metrics.UnmarshalJSON);
// a failure reason is stored with invalid UTF-8 and NUL bytes removed; a
// built-in objective checks a config's space (Builtin.Check).
//
// # What a config names
//
// A config's algorithm and early_stopping sections are built by package
// algorithms (algorithms.New, algorithms.NewStoppingPolicy), which holds
// the table of names beside the algorithms; this package names no
// concrete algorithm. Its objective.builtin names one of the built-in
// objectives the caller hands Config.Job (a map of Builtin): package
// search defines the type and holds none of its own; the command line's
// come from experiments.Builtins.
//
// # What the seed promises
//
// Every algorithm of package algorithms proposes for a trial by its
// number (algorithms.TrialProposer; the runner asks for the number the
// new trial gets): its random draws for trial n come from a stream
// derived from the seed and n alone, and the rest of what it proposes
// from the results it has been given, never from how many proposals it
// made or replayed before. So, with any number of workers sharing the
// seed (goglove worker takes it from the study):
//
//   - no two trials draw the same random numbers, and workers catching
//     up with each other never fall into step: on a continuous space
//     trials do not repeat each other's DNA;
//   - random and grid search propose the same DNA for every trial number
//     whatever the workers and their timing: the same proposals, in the
//     same order, as one worker;
//   - an algorithm that learns proposes for trial n what any worker given
//     the same results, in the same order, would. With one trial at a
//     time (one worker, Options.Workers 1) a study is reproduced by its seed;
//     with more, which results are in when trial n is proposed depends on
//     timing, so only proposals that depend on the number alone repeat
//     from run to run (evolution's first Population trials); past them,
//     two runs make different sets of proposals.
//
// Processes given different seeds for one study (goglove search --seed)
// still never draw alike, but no longer agree on what trial n is.
//
// Every store passes the conformance suite in package storetest: the
// in-memory store here, and the SQLite and PostgreSQL stores in packages
// sqlitestore and pgstore.
//
// Database drivers live only in the store sub-packages, so importing search
// does not pull in a driver; package storeurl opens any of the stores by
// URL (mem://, sqlite://PATH, postgres://…). Package search imports
// algorithms, space and symbolic, no concrete benchmark or trainer:
// built-in objectives come from the caller (Config.Job). The test of
// internal/layering checks both.
package search
