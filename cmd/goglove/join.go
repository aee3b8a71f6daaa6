package main

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/c2602f9e/goglove/search"
)

// joinOptions are the flags of the verbs that join an existing study
// from its name (worker, ask, tell).
type joinOptions struct {
	Store string
	Study string
	// Heartbeat overrides, 0: the study config's.
	HeartbeatInterval, HeartbeatTimeout time.Duration
}

// joinStudy opens the store and rebuilds the study's job from the config
// the study keeps. An unknown study, or one without a config, is bad
// input.
func joinStudy(ctx context.Context, verb, usage string, o joinOptions) (search.Store, *search.Job, error) {
	if err := checkStudyFlag(verb, o.Study, usage); err != nil {
		return nil, nil, err
	}
	if err := checkHeartbeatFlags(verb, o.HeartbeatInterval, o.HeartbeatTimeout); err != nil {
		return nil, nil, err
	}
	store, err := openExistingStore(ctx, verb, o.Store, usage)
	if err != nil {
		return nil, nil, err
	}
	job, err := studyJob(ctx, store, o)
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return store, job, nil
}

func studyJob(ctx context.Context, store search.Store, o joinOptions) (*search.Job, error) {
	info, err := store.Study(ctx, o.Study)
	if err != nil {
		return nil, studyError(err)
	}
	cfg, err := search.ConfigFromStudy(newRegistry(), info)
	if err != nil {
		return nil, badInput(err) // no config kept, or one this binary cannot read
	}
	dir, _ := os.Getwd()
	job, err := cfg.Job(filepath.Join(dir, "study-config"), newBuiltins())
	if err != nil {
		return nil, badInput(err)
	}
	if o.HeartbeatInterval > 0 {
		job.Options.HeartbeatInterval = o.HeartbeatInterval
	}
	if o.HeartbeatTimeout > 0 {
		job.Options.HeartbeatTimeout = o.HeartbeatTimeout
	}
	if t, i := job.Options.HeartbeatTimeout, job.Options.HeartbeatInterval; t > 0 && i > 0 && t <= i {
		return nil, usageErrorf("heartbeat timeout %s is not longer than the interval %s", t, i)
	}
	return job, nil
}

// checkStudyFlag checks a verb's --study: given, and a name a store can
// keep (search.CheckStudyName), so that a careless name is one line of
// bad input before any store is opened.
func checkStudyFlag(verb, name, usage string) error {
	if name == "" {
		return usageErrorf("%s: missing --study NAME; usage: %s", verb, usage)
	}
	if err := search.CheckStudyName(name); err != nil {
		return usageErrorf("%s: --study: %w", verb, err)
	}
	return nil
}

// checkHeartbeatFlags checks --heartbeat-interval and --heartbeat-timeout
// (0: not given) against the bounds a config's heartbeat section has.
func checkHeartbeatFlags(verb string, interval, timeout time.Duration) error {
	if interval != 0 && (interval < search.MinHeartbeatInterval || interval > search.MaxHeartbeat) {
		return usageErrorf("%s: --heartbeat-interval is %s, want %s to %s", verb, interval, search.MinHeartbeatInterval, search.MaxHeartbeat)
	}
	if timeout != 0 && (timeout < search.MinHeartbeatTimeout || timeout > search.MaxHeartbeat) {
		return usageErrorf("%s: --heartbeat-timeout is %s, want %s to %s", verb, timeout, search.MinHeartbeatTimeout, search.MaxHeartbeat)
	}
	return nil
}
