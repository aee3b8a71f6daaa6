package search

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// The fuzz targets' seed corpora are in testdata/fuzz/FuzzNAME; the f.Add
// seeds below are a few more. Run a target with, for example,
//
//	go test ./search -run '^$' -fuzz '^FuzzConfigJob$' -fuzztime 60s

// FuzzConfigJob feeds untrusted config text through ParseConfig and
// Config.Job, as goglove search and goglove worker do: neither may panic,
// an error is one line and bad input (a *symbolic.Error or a
// *space.Error), and a job that is built stays inside the limits.
func FuzzConfigJob(f *testing.F) {
	for _, s := range []string{
		"study: s\nobjective: {builtin: branin}\n",
		"study: s\nspace: {a: !oneof [1, 2], b: !float {min: 0, max: 1}}\nalgorithm: {name: tpe}\nobjective: {command: [x], metrics: {v: min}, timeout: 1s}\n",
		"study: s\nobjective: {builtin: hartmann6, metrics: {regret: minimize}}\nworkers: 4\nheartbeat: {interval: 1s, timeout: 5s}\nmax_attempts: 2\n",
		"study: \"a\\0b\"\nobjective: {builtin: branin}\n",
		"study: s\nobjective: {builtin: branin}\nspace: {x: [!float {min: 0, max: 1}]}\n",
		"study: s\nspace_file: space.yaml\nobjective: {command: [x], metrics: {v: max}}\n",
	} {
		f.Add([]byte(s))
	}
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "space.yaml"), []byte("a: !oneof [1, 2, 3]\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	file := filepath.Join(dir, "c.yaml")
	builtins := testBuiltins()
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(reg, file, data)
		if err == nil {
			var j *Job
			if j, err = cfg.Job(file, builtins); err == nil {
				checkJob(t, j)
				return
			}
		}
		var se *symbolic.Error
		var spe *space.Error
		if !errors.As(err, &se) && !errors.As(err, &spe) {
			t.Fatalf("error %v (%T) is not bad input", err, err)
		}
		if strings.ContainsAny(err.Error(), "\n\r") {
			t.Fatalf("error spans lines: %q", err.Error())
		}
	})
}

// checkJob checks what a built job must be: a space, a study name every
// store keeps, and counts inside the limits.
func checkJob(t *testing.T, j *Job) {
	t.Helper()
	o := j.Options
	switch {
	case j.Space == nil || j.Algorithm == nil || j.Objective == nil:
		t.Fatalf("job without a space, algorithm or objective: %+v", j)
	case CheckStudyName(o.Study) != nil:
		t.Fatalf("job of study %q: %v", o.Study, CheckStudyName(o.Study))
	case o.Workers < 1 || o.Workers > MaxWorkers || o.Trials < 0 || o.Trials > MaxTrials || o.MaxAttempts > MaxAttemptsLimit:
		t.Fatalf("job out of the limits: workers %d, trials %d, attempts %d", o.Workers, o.Trials, o.MaxAttempts)
	case o.HeartbeatInterval != 0 && o.HeartbeatInterval < MinHeartbeatInterval,
		o.HeartbeatTimeout != 0 && o.HeartbeatTimeout < MinHeartbeatTimeout,
		o.Duration < 0:
		t.Fatalf("job with durations out of the limits: %+v", o)
	}
	if len(o.Objectives) == 0 {
		t.Fatal("job without objectives")
	}
	for _, m := range o.Objectives {
		if err := CheckMetricName(m.Name); err != nil {
			t.Fatalf("job objective: %v", err)
		}
	}
}
