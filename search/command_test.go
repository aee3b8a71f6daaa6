package search

import (
	"context"
	"strings"
	"testing"
	"time"

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
		{"non-zero exit", `echo "first" >&2; echo "CUDA out of memory" >&2; exit 1`, 0, Failed, "sh: CUDA out of memory"},
		{"unparseable output", `echo "value=1.5"`, 0, Failed, `sh: last line of output "value=1.5" is not a JSON object of metrics`},
		{"not numbers", `echo '{"value": "high"}'`, 0, Failed, "is not a JSON object of metrics"},
		{"hangs", `sleep 30`, 200 * time.Millisecond, Failed, "sh: timed out after 200ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj, err := CommandObjective([]string{"sh", "-c", tt.script}, tt.timeout)
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
			if time.Since(start) > 4*time.Second {
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
