package dashboard_test

import (
	"context"
	"errors"
	"math"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/dashboard"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// testSpace has a conditional decision (momentum only with sgd).
const testSpace = `
optimizer: !oneof [{name: sgd, momentum: !float {min: 0, max: 0.9}}, {name: adam}]
lr: !float {min: 1.0e-4, max: 0.1, scale: log}
width: !int {min: 1, max: 64}
`

// compile returns the test space.
func compile(t testing.TB) *space.Space {
	t.Helper()
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		t.Fatal(err)
	}
	tree, err := reg.DecodeYAML([]byte(testSpace), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := space.New(tree)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// objective scores a program of the test space: loss from lr and width,
// size from width; every ninth trial fails; three steps are reported.
// Each trial takes delay.
func objective(delay time.Duration) search.Objective[symbolic.Value] {
	return func(ctx context.Context, t *search.Trial[symbolic.Value]) (search.Metrics, error) {
		lr, _ := symbolic.GetPath(t.Program, "lr")
		width, _ := symbolic.GetPath(t.Program, "width")
		l := math.Abs(math.Log10(float64(lr.(symbolic.Float)))+2) + 1/float64(width.(symbolic.Int))
		for step := range 3 {
			if err := t.Report(ctx, step, search.Metrics{"loss": l + float64(2-step)}); err != nil {
				return nil, err
			}
			if delay > 0 {
				select {
				case <-time.After(delay / 3):
				case <-ctx.Done():
					return nil, ctx.Err()
				}
			}
		}
		if t.Number%9 == 4 {
			return nil, errors.New("diverged: the loss is NaN at step 3 <script>alert(1)</script>")
		}
		return search.Metrics{"loss": l, "size": float64(width.(symbolic.Int)) * 10}, nil
	}
}

// dashboard0 are the options of the browser tests' servers.
var dashboard0 = dashboard.Options{StoreName: "the test store"}

// objectives are the test studies' metrics.
var objectives = []search.Metric{{Name: "loss", Direction: search.Minimize}, {Name: "size", Direction: search.Minimize}}

// runStudy runs n trials of the test space into st as study name.
func runStudy(t testing.TB, ctx context.Context, st search.Store, name string, n int, delay time.Duration) error {
	_, err := search.Run(ctx, compile(t), &algorithms.Random{Seed: 1}, objective(delay),
		&search.Options{Store: st, Study: name, Trials: n, Objectives: objectives})
	return err
}

// spaceOf gives every study the test space.
func spaceOf(t testing.TB) func(search.StudyInfo) (*space.DNASpec, error) {
	sp := compile(t).Spec()
	return func(search.StudyInfo) (*space.DNASpec, error) { return sp, nil }
}

// serve starts a dashboard over st on a loopback test server.
func serve(t testing.TB, st search.Store, o *dashboard.Options) *httptest.Server {
	t.Helper()
	var opts dashboard.Options
	if o != nil {
		opts = *o
	}
	o = &opts
	if o.SpaceOf == nil {
		o.SpaceOf = spaceOf(t)
	}
	if o.Refresh == 0 {
		o.Refresh = 100 * time.Millisecond
	}
	srv, err := dashboard.New(st, o)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

// doneStore returns a memory store with a finished study "done" of 60
// trials and a nested one, "done/trial-0/inner", of 10.
func doneStore(t testing.TB) *search.MemStore {
	t.Helper()
	st := search.NewMemStore()
	if err := runStudy(t, context.Background(), st, "done", 60, 0); err != nil {
		t.Fatal(err)
	}
	if err := runStudy(t, context.Background(), st, "done/trial-0/inner", 10, 0); err != nil {
		t.Fatal(err)
	}
	return st
}
