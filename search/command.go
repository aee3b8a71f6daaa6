package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/symbolic"
)

// CommandObjective returns an objective that evaluates each program with
// an external command, so objectives can be written in any language. The
// program is written to the command's standard input as one line of JSON;
// the command prints a JSON object of metrics, such as {"value": 1.5}, as
// the last line of its standard output. Each metric must be a finite
// number (null, a string or 1e999 fails the trial) and each name valid
// UTF-8, given once.
//
// A non-zero exit, a run longer than timeout (0: no limit) or output that
// is not such an object makes the trial fail, with the last few lines of
// the command's standard error as the reason. Only the last megabyte of
// standard output and 64 KiB of standard error are kept in memory.
//
// The command runs in a process group of its own. When the command
// exits, the rest of its group (children it left in the background) is
// ended; on timeout or when ctx is done, the whole group is: SIGTERM,
// then SIGKILL after a grace period of 5s. On Unix, a watchdog ends the
// group with SIGKILL when this process dies, even by SIGKILL (see
// command_proc_unix.go); a process that leaves the group (setsid) is on
// its own.
//
// Environment: the command inherits this process's environment without
// goglove's secrets (GOGLOVE_STORE, GOGLOVE_TEST_POSTGRES and PGPASSWORD,
// which may hold a database password), and with GOGLOVE_STUDY (the
// study's name), GOGLOVE_TRIAL (the trial's number) and GOGLOVE_ATTEMPT
// (its attempt, from 1; a trial taken over from a stopped worker runs
// again with the next attempt).
func CommandObjective(argv []string, timeout time.Duration) (Objective[symbolic.Value], error) {
	return commandObjective(argv, timeout, commandGrace)
}

// commandObjective is CommandObjective with the grace period given.
func commandObjective(argv []string, timeout, grace time.Duration) (Objective[symbolic.Value], error) {
	if len(argv) == 0 || argv[0] == "" {
		return nil, errors.New("search: command objective: empty command")
	}
	argv = append([]string(nil), argv...)
	name := filepath.Base(argv[0])
	return func(ctx context.Context, t *Trial[symbolic.Value]) (Metrics, error) {
		input, err := symbolic.EncodeJSONCompact(t.Program)
		if err != nil {
			return nil, fmt.Errorf("encode program: %w", err)
		}
		t.mu.Lock()
		attempt := t.rec.Attempt
		t.mu.Unlock()
		run, err := runCommand(ctx, commandSpec{
			argv:    argv,
			env:     commandEnv(os.Environ(), t.Study(), t.Number, attempt),
			input:   append(input, '\n'),
			timeout: timeout,
			grace:   grace,
			drain:   commandDrain,
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		reason := stderrSuffix(stderrReason(run.stderr.Bytes(), run.stderr.Truncated()))
		switch {
		case run.canceled:
			return nil, fmt.Errorf("%s: %w", name, context.Cause(ctx))
		case run.timedOut:
			return nil, fmt.Errorf("%s: timed out after %v%s", name, timeout, reason)
		case run.waitErr != nil:
			return nil, fmt.Errorf("%s: %v%s", name, run.waitErr, reason)
		}
		m, err := parseCommandOutput(run.stdout.Bytes(), run.stdout.Truncated())
		if err != nil {
			return nil, fmt.Errorf("%s: %w%s", name, err, reason)
		}
		return m, nil
	}, nil
}

// commandSecrets are the variables of goglove's environment a command
// objective does not inherit: they may hold a database password.
var commandSecrets = []string{"GOGLOVE_STORE", "GOGLOVE_TEST_POSTGRES", "PGPASSWORD"}

// commandEnv returns the environment of a command objective evaluating
// trial number of study: base without commandSecrets (and without any
// GOGLOVE_STUDY, GOGLOVE_TRIAL or GOGLOVE_ATTEMPT of its own), with the
// trial's.
func commandEnv(base []string, study string, number, attempt int) []string {
	drop := append([]string{"GOGLOVE_STUDY", "GOGLOVE_TRIAL", "GOGLOVE_ATTEMPT"}, commandSecrets...)
	env := make([]string, 0, len(base)+3)
	for _, kv := range base {
		key, _, _ := strings.Cut(kv, "=")
		if !containsFold(drop, key) {
			env = append(env, kv)
		}
	}
	return append(env, "GOGLOVE_STUDY="+study, "GOGLOVE_TRIAL="+strconv.Itoa(number), "GOGLOVE_ATTEMPT="+strconv.Itoa(attempt))
}

// containsFold reports whether list holds s, ignoring case (as Windows
// does for variable names; on Unix a name in other cases is dropped too,
// which is the safer error).
func containsFold(list []string, s string) bool {
	for _, l := range list {
		if strings.EqualFold(l, s) {
			return true
		}
	}
	return false
}

func stderrSuffix(reason string) string {
	if reason == "" {
		return ""
	}
	return "; stderr: " + reason
}
