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
	if o.Study == "" {
		return nil, nil, usageErrorf("%s: missing --study NAME; usage: %s", verb, usage)
	}
	if o.HeartbeatInterval < 0 || o.HeartbeatTimeout < 0 {
		return nil, nil, usageErrorf("%s: heartbeat durations must be positive", verb)
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
