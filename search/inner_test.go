package search

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/symbolic"
)

// TestInnerKeepsOptions: Trial.Inner keeps the inner search's budget,
// duration and failure limit as the caller set them, and fills the rest
// from the outer search.
func TestInnerKeepsOptions(t *testing.T) {
	ctx := context.Background()
	st := NewMemStore()
	outerStop := &recordingPolicy{steps: map[int][]int{}, finished: map[int]bool{}}
	sp := testSpace(t, "x: !int {min: 0, max: 100}\n")
	var got []*Options
	tests := []struct {
		name  string
		inner *Options
		check func(t *testing.T, o *Options)
	}{
		{"nil: defaults, nothing of the outer budget", nil, func(t *testing.T, o *Options) {
			if o.Trials != 0 || o.Completed != 0 || o.Duration != 0 || o.MaxFailures != 0 || o.Stopping != nil || o.Progress != nil {
				t.Errorf("inner options %+v: the outer budget leaked", o)
			}
		}},
		{"the caller's budget", &Options{Trials: 5, Completed: 3, Duration: time.Minute, MaxFailures: 2, Workers: 2, Limit: 4},
			func(t *testing.T, o *Options) {
				if o.Trials != 5 || o.Completed != 3 || o.Duration != time.Minute || o.MaxFailures != 2 || o.Workers != 2 || o.Limit != 4 {
					t.Errorf("inner options %+v: want the caller's budget", o)
				}
			}},
		{"the caller's objectives", &Options{Objectives: []Metric{{"acc", Maximize}}}, func(t *testing.T, o *Options) {
			if len(o.Objectives) != 1 || o.Objectives[0].Name != "acc" {
				t.Errorf("objectives %v, want the caller's", o.Objectives)
			}
		}},
	}
	_, err := Run(ctx, Searchable[symbolic.Value](sp), &randomAlgo{seed: 1},
		func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
			o := tr.Inner("in", tests[tr.Number].inner)
			got = append(got, o)
			return Metrics{"loss": 1}, nil
		}, &Options{Store: st, Study: "outer", Trials: len(tests), Duration: time.Hour, MaxFailures: 7,
			Objectives: []Metric{{"loss", Minimize}}, Stopping: outerStop, Worker: "w1", Progress: func(Progress) {}})
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := got[i]
			if o.Study != "outer/trial-"+string(rune('0'+i))+"/in" || o.Store != Store(st) || o.Worker != "w1" {
				t.Errorf("study %q, store %T, worker %q: want the outer's", o.Study, o.Store, o.Worker)
			}
			if tt.inner == nil || len(tt.inner.Objectives) == 0 {
				if len(o.Objectives) != 1 || o.Objectives[0].Name != "loss" {
					t.Errorf("objectives %v, want the outer's", o.Objectives)
				}
			}
			tt.check(t, o)
		})
	}
}

// TestInnerBudgetRuns: an inner search run with Inner's options spends
// the budget and honours the failure limit the caller gave it.
func TestInnerBudgetRuns(t *testing.T) {
	ctx := context.Background()
	sp := testSpace(t, "x: !int {min: 0, max: 100}\n")
	var innerRes *Result
	var innerErr error
	_, err := Run(ctx, Searchable[symbolic.Value](sp), &randomAlgo{seed: 1},
		func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
			innerRes, _ = Run(ctx, Searchable[symbolic.Value](sp), &randomAlgo{seed: 2},
				func(ctx context.Context, it *Trial[symbolic.Value]) (Metrics, error) {
					return Metrics{"reward": 1}, nil
				}, tr.Inner("ok", &Options{Trials: 3}))
			_, innerErr = Run(ctx, Searchable[symbolic.Value](sp), &randomAlgo{seed: 3},
				func(ctx context.Context, it *Trial[symbolic.Value]) (Metrics, error) {
					return nil, errors.New("broken")
				}, tr.Inner("failing", &Options{Trials: 50, MaxFailures: 2}))
			return Metrics{"reward": 1}, nil
		}, &Options{Study: "outer", Trials: 1, MaxFailures: -1})
	if err != nil {
		t.Fatal(err)
	}
	if innerRes == nil || innerRes.Completed != 3 {
		t.Errorf("inner search %+v, want 3 completed (its own budget)", innerRes)
	}
	if !errors.Is(innerErr, ErrTooManyFailures) {
		t.Errorf("failing inner search: %v, want ErrTooManyFailures after 2", innerErr)
	}
}
