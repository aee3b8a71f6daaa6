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
// Intermediate steps: while it runs, the command may print step reports,
// each a line of its own on standard output, {"step": 3, "metrics":
// {"value": 2.5}} (step an integer from 0, increasing; metrics finite
// numbers, which should hold the primary objective for early stopping to
// judge). Each is read as it arrives (lines up to 64 KiB), recorded with
// Trial.Report and shown to the study's stopping policy. When the policy
// stops the trial (Trial.ShouldStop), the command's process group is
// ended as on timeout (SIGTERM, then SIGKILL after the grace period) and
// the trial ends early-stopped with the metrics of the last step
// reported. A step report that is malformed (another key, a step that is
// not an integer, a metric that is not a finite number) fails the trial.
// Any other line is output like any other; the last line must still be
// the final metrics, not a step report.
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
		st := &commandSteps{t: t, stop: make(chan struct{})}
		run, err := runCommand(ctx, commandSpec{
			argv:    argv,
			env:     commandEnv(os.Environ(), t.Study(), t.Number, attempt),
			input:   append(input, '\n'),
			timeout: timeout,
			grace:   grace,
			drain:   commandDrain,
			line:    func(line []byte) { st.line(ctx, line) },
			stop:    st.stop,
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		// runCommand has waited for the goroutine that calls st.line.
		reason := stderrSuffix(stderrReason(run.stderr.Bytes(), run.stderr.Truncated()))
		switch {
		case run.canceled:
			return nil, fmt.Errorf("%s: %w", name, context.Cause(ctx))
		case st.err != nil:
			return nil, fmt.Errorf("%s: %w%s", name, st.err, reason)
		case run.stopped:
			return st.last, nil // Finish records it as early-stopped
		case run.timedOut:
			return nil, fmt.Errorf("%s: timed out after %v%s", name, timeout, reason)
		case run.waitErr != nil:
			if st.ended {
				return st.last, nil // it exited as it was being stopped
			}
			return nil, fmt.Errorf("%s: %v%s", name, run.waitErr, reason)
		}
		m, err := parseCommandOutput(run.stdout.Bytes(), run.stdout.Truncated())
		if err != nil {
			if st.ended {
				return st.last, nil
			}
			return nil, fmt.Errorf("%s: %w%s", name, err, reason)
		}
		return m, nil
	}, nil
}

// commandSteps feeds the step reports of a running command objective to
// its trial; one goroutine calls line, and the fields are read once the
// command has ended.
type commandSteps struct {
	t    *Trial[symbolic.Value]
	stop chan struct{} // closed to end the command
	// last holds the metrics of the last step reported; ended is set once
	// the command is being stopped, because the stopping policy said so
	// or (err) a report was malformed or could not be recorded.
	last  Metrics
	ended bool
	err   error
}

// line reads one line of the command's output: a step report is recorded
// with Trial.Report, and the command stopped when Trial.ShouldStop says
// so. Lines after that are ignored.
func (s *commandSteps) line(ctx context.Context, line []byte) {
	if s.ended {
		return
	}
	step, ok, err := parseStepLine(line)
	if !ok {
		return
	}
	if err == nil {
		err = s.t.Report(ctx, step.Step, step.Metrics)
	}
	if err != nil {
		s.err, s.ended = err, true
		close(s.stop)
		return
	}
	s.last = step.Metrics
	if s.t.ShouldStop() {
		s.ended = true
		close(s.stop)
	}
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
