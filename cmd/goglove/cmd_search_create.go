package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
)

// createStudy is search --create: it creates the study the job
// describes, keeping its config with the flags' values (the workers that
// join it run with them), or checks that the study of that name has the
// same space and objective, then says how to run it. A study that exists
// keeps the config it was created with, so a flag that would change it
// is refused rather than ignored.
func createStudy(ctx context.Context, store search.Store, job *search.Job, opts searchOptions, stdout io.Writer) error {
	o := job.Options
	o.Store = store
	info, err := store.Study(ctx, o.Study)
	switch {
	case err == nil:
		if err := checkKeptOverrides(info, opts); err != nil {
			return err
		}
	case !errors.Is(err, search.ErrNotFound):
		return err
	}
	if err := search.OpenStudy(ctx, &o); err != nil {
		if errors.Is(err, search.ErrExists) {
			return badInput(err)
		}
		return err
	}
	shown, hidden := redactedStoreURL(storeURL(opts.Store))
	var b strings.Builder
	fmt.Fprintf(&b, "study %s is ready in %s; ", o.Study, describeStore(storeURL(opts.Store)))
	if job.Objective == nil {
		fmt.Fprintf(&b, "it has no objective: ask for trials with: goglove ask --store %s --study %s, and tell their results with goglove tell", shown, o.Study)
	} else {
		fmt.Fprintf(&b, "start workers with: goglove worker --store %s --study %s", shown, o.Study)
	}
	if hidden {
		b.WriteString(" (the password is left out: put it in place of xxxxx, or in $PGPASSWORD)")
	}
	b.WriteByte('\n')
	_, err = io.WriteString(stdout, b.String())
	return err
}

// checkKeptOverrides refuses the flags of search --create that would
// change the config an existing study keeps (and its workers use).
func checkKeptOverrides(info search.StudyInfo, opts searchOptions) error {
	if info.Config == nil {
		return nil // a study without a config: OpenStudy decides
	}
	type flag struct {
		name, path string
		given      any
	}
	var flags []flag
	addInt := func(name, path string, v *int) {
		if v != nil {
			flags = append(flags, flag{name, path, int64(*v)})
		}
	}
	addInt("--trials", "budget.trials", opts.Trials)
	addInt("--completed", "budget.completed", opts.Completed)
	addInt("--max-failures", "max_failures", opts.MaxFailures)
	addInt("--workers", "workers", opts.Workers)
	if opts.Seed != nil {
		flags = append(flags, flag{"--seed", "seed", *opts.Seed})
	}
	for _, f := range flags {
		kept := int64(0) // a key the config lacks has the zero default
		if f.path == "workers" {
			kept = 1
		}
		if v, err := symbolic.GetPath(info.Config, f.path); err == nil {
			if n, ok := v.(symbolic.Int); ok {
				kept = int64(n)
			}
		}
		if kept != f.given {
			return usageErrorf("search: --create: study %s exists, and the config it keeps has %s %d, not %v (%s): a study keeps the config it was created with; give the study another name to create it with %s %v",
				info.Name, f.path, kept, f.given, f.name, f.name, f.given)
		}
	}
	durations := []struct {
		name, path string
		given      time.Duration
	}{{"--heartbeat-interval", "heartbeat.interval", opts.HeartbeatInterval}, {"--heartbeat-timeout", "heartbeat.timeout", opts.HeartbeatTimeout}}
	for _, f := range durations {
		if f.given == 0 {
			continue
		}
		var kept time.Duration
		if v, err := symbolic.GetPath(info.Config, f.path); err == nil {
			if s, ok := v.(symbolic.String); ok {
				kept, _ = time.ParseDuration(string(s))
			}
		}
		if kept != f.given {
			keptText := kept.String()
			if kept == 0 {
				keptText = "the default"
			}
			return usageErrorf("search: --create: study %s exists, and the config it keeps has %s %s, not %s (%s): a study keeps the config it was created with; give workers %s instead",
				info.Name, f.path, keptText, f.given, f.name, f.name)
		}
	}
	return nil
}
