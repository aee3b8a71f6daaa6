package search

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

func TestCommandObjective(t *testing.T) {
	ctx := context.Background()
	s := testSpace(t, "x: !oneof [1, 2, 3]\n")
	tests := []struct {
		name    string
		script  string
		timeout time.Duration
		state   State
		reason  string
	}{
		{"metrics from the last line", `read p; echo "working"; echo "{\"value\": 1.5, \"p\": 1}"`, 0, Completed, ""},
		{"program on stdin", `read p; case "$p" in '{"x":'*) echo '{"value": 1}';; *) echo "bad input $p" >&2; exit 3;; esac`, 0, Completed, ""},
		{"non-zero exit", `echo "first" >&2; echo "CUDA out of memory" >&2; exit 1`, 0, Failed, "sh: exit status 1; stderr: first | CUDA out of memory"},
		{"the last lines of stderr", `for i in 1 2 3 4 5 6 7 8; do echo "line $i" >&2; done; exit 2`, 0, Failed,
			"sh: exit status 2; stderr: line 4 | line 5 | line 6 | line 7 | line 8"},
		{"killed", `kill -9 $$`, 0, Failed, "sh: signal: killed"},
		{"unparseable output", `echo "value=1.5"`, 0, Failed, `sh: last line of output "value=1.5" is not a JSON object of metrics`},
		{"not numbers", `echo '{"value": "high"}'`, 0, Failed, `metric "value" is a string, want a number`},
		{"null", `echo '{"value": null}'`, 0, Failed, `metric "value" is null, want a number`},
		{"not finite", `echo '{"value": 1e999}'`, 0, Failed, `metric "value" is 1e999, not a finite number`},
		{"name not UTF-8", `printf '{"\377": 1, "value": 1}\n'`, 0, Failed, "not valid UTF-8"},
		{"no output", `echo "only a log" >&2`, 0, Failed, "sh: no output; want a JSON object of metrics, such as {\"value\": 1.5}, on the last line; stderr: only a log"},
		{"hangs", `echo "loading" >&2; sleep 30`, 200 * time.Millisecond, Failed, "sh: timed out after 200ms; stderr: loading"},
		{"a background child holds stdout", `sleep 30 & echo '{"value": 1}'`, 0, Completed, ""},
		{"a background child holds stderr", `sleep 30 >&2 & echo '{"value": 1}'`, 0, Completed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj, err := commandObjective([]string{"sh", "-c", tt.script}, tt.timeout, 300*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			st := NewMemStore()
			start := time.Now()
			res, err := Run(ctx, Searchable[symbolic.Value](s), &onceAlgo{randomAlgo{seed: 1}}, obj,
				&Options{Store: st, Objectives: []Metric{{Name: "value"}}})
			if err != nil {
				t.Fatal(err)
			}
			if time.Since(start) > 2*time.Second {
				t.Fatalf("took %v", time.Since(start))
			}
			trials, _ := st.Trials(ctx, "default")
			got := trials[0]
			if got.State != tt.state || !strings.Contains(got.Error, tt.reason) {
				t.Fatalf("state %v reason %q; want %v containing %q (result %+v)", got.State, got.Error, tt.state, tt.reason, res)
			}
		})
	}
}

// onceAlgo proposes one DNA, then is done.
type onceAlgo struct{ randomAlgo }

func (a *onceAlgo) Propose(ctx context.Context) (space.DNA, error) {
	if a.proposed > 0 {
		return space.DNA{}, algorithms.ErrDone
	}
	return a.randomAlgo.Propose(ctx)
}

func TestCommandEnv(t *testing.T) {
	base := []string{"PATH=/bin", "GOGLOVE_STORE=postgres://u:p@h/d", "goglove_store=x", "PGPASSWORD=p", "PGUSER=u",
		"GOGLOVE_TEST_POSTGRES=postgres://", "GOGLOVE_ATTEMPT=7", "HOME=/h", "EMPTY="}
	got := commandEnv(base, "st", 4, 2)
	want := []string{"PATH=/bin", "PGUSER=u", "HOME=/h", "EMPTY=", "GOGLOVE_STUDY=st", "GOGLOVE_TRIAL=4", "GOGLOVE_ATTEMPT=2"}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("env (-want +got):\n%s", d)
	}
}
