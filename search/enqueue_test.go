package search

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// program returns the program {x: x, y: y} of xySpace.
func xyProgram(x float64, y int64) symbolic.Value {
	d := symbolic.NewDict(2)
	d.Set("x", symbolic.Float(x))
	d.Set("y", symbolic.Int(y))
	return d
}

// TestEnqueue: enqueued programs are the study's first trials, evaluated
// as given and in order before the algorithm's proposals, and the
// algorithm is fed their results.
func TestEnqueue(t *testing.T) {
	ctx := context.Background()
	s := testSpace(t, xySpace)
	st := NewMemStore()
	opts := &Options{Store: st, Study: "warm", Trials: 5}
	for i, p := range []symbolic.Value{xyProgram(0.25, 3), xyProgram(-0.5, 1)} {
		n, err := Enqueue(ctx, s, p, opts)
		if err != nil || n != i {
			t.Fatalf("Enqueue %d: trial %d, %v", i, n, err)
		}
	}
	trials, _ := st.Trials(ctx, "warm")
	if len(trials) != 2 || trials[0].State != Waiting || trials[0].Program == nil {
		t.Fatalf("before the search: %+v, want two waiting trials with programs", trials)
	}
	algo := &randomAlgo{seed: 5}
	var evaluated []string
	res, err := Run(ctx, Searchable[symbolic.Value](s), algo, func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
		x, y := xy(t, tr.Program)
		evaluated = append(evaluated, tr.DNAText())
		return Metrics{"reward": x + y}, nil
	}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Completed != 5 {
		t.Fatalf("%d completed, want 5", res.Completed)
	}
	spec := s.Spec()
	for i, p := range []symbolic.Value{xyProgram(0.25, 3), xyProgram(-0.5, 1)} {
		d, _ := s.Encode(p)
		if evaluated[i] != spec.Format(d) {
			t.Errorf("trial %d evaluated %s, want the enqueued %s", i, evaluated[i], spec.Format(d))
		}
	}
	if len(evaluated) != 5 {
		t.Errorf("%d trials evaluated, want 5", len(evaluated))
	}
	fed := map[int]bool{}
	for _, f := range algo.feedbacks {
		fed[f.Trial] = f.Rewards != nil
	}
	if !fed[0] || !fed[1] {
		t.Errorf("the algorithm was fed %v, want the enqueued trials 0 and 1 with rewards", algo.feedbacks)
	}
	trials, _ = st.Trials(ctx, "warm")
	for _, tr := range trials {
		if tr.State != Completed || tr.Attempt != 1 {
			t.Errorf("trial %d: %s at attempt %d, want completed at 1", tr.Number, tr.State, tr.Attempt)
		}
	}
}

// TestEnqueueNotInSpace: a program the space cannot produce is refused,
// naming the key path, and nothing is enqueued.
func TestEnqueueNotInSpace(t *testing.T) {
	ctx := context.Background()
	s := testSpace(t, xySpace)
	st := NewMemStore()
	tests := []struct {
		name    string
		program symbolic.Value
		path    string
	}{
		{"y not a candidate", xyProgram(0.5, 7), "y"},
		{"x out of range", xyProgram(3, 1), "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Enqueue(ctx, s, tt.program, &Options{Store: st, Study: "warm"})
			if !errors.Is(err, space.ErrNotInSpace) || !strings.Contains(err.Error(), tt.path) {
				t.Fatalf("Enqueue: %v, want ErrNotInSpace naming %s", err, tt.path)
			}
		})
	}
	if trials, _ := st.Trials(ctx, "warm"); len(trials) != 0 {
		t.Errorf("%d trials enqueued, want none", len(trials))
	}
}

// TestEnqueueSharedStudy: with several workers sharing a study, each
// enqueued trial is evaluated exactly once, and a Dedup never proposes
// an enqueued program again.
func TestEnqueueSharedStudy(t *testing.T) {
	ctx := context.Background()
	s := testSpace(t, "a: !oneof [1, 2, 3, 4]\nb: !oneof [1, 2, 3]\n") // 12 programs
	st := NewMemStore()
	opts := Options{Store: st, Study: "shared"}
	for _, ab := range [][2]int64{{4, 3}, {1, 1}, {2, 3}} {
		p := symbolic.NewDict(2)
		p.Set("a", symbolic.Int(ab[0]))
		p.Set("b", symbolic.Int(ab[1]))
		if _, err := Enqueue(ctx, s, p, &opts); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	runs := map[int]int{}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := opts
			o.Worker = "w" + string(rune('0'+w))
			_, errs[w] = Run(ctx, Searchable[symbolic.Value](s), &algorithms.Dedup{Inner: &algorithms.TPE{Seed: 1}},
				func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
					mu.Lock()
					runs[tr.Number]++
					mu.Unlock()
					return Metrics{"reward": 1}, nil
				}, &o)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	trials, _ := st.Trials(ctx, "shared")
	seen := map[string]bool{}
	for _, tr := range trials {
		if runs[tr.Number] != 1 || tr.State != Completed || seen[tr.DNAText] {
			t.Errorf("trial %d (%s): run %d times, %s, seen before %v", tr.Number, tr.DNAText, runs[tr.Number], tr.State, seen[tr.DNAText])
		}
		seen[tr.DNAText] = true
	}
	if len(trials) != 12 {
		t.Errorf("%d trials, want the 12 programs once each", len(trials))
	}
}

// TestAskHandsOutEnqueued: Ask hands out an enqueued trial first,
// unwatched, and Tell records it.
func TestAskHandsOutEnqueued(t *testing.T) {
	ctx := context.Background()
	s := testSpace(t, xySpace)
	st := NewMemStore()
	opts := &Options{Store: st, Study: "ask"}
	n, err := Enqueue(ctx, s, xyProgram(0.75, 2), opts)
	if err != nil {
		t.Fatal(err)
	}
	rec, reason, err := Ask(ctx, Searchable[symbolic.Value](s), &randomAlgo{seed: 1}, opts)
	if err != nil || rec == nil {
		t.Fatalf("Ask: %v, %q", err, reason)
	}
	d, _ := s.Encode(xyProgram(0.75, 2))
	if rec.Number != n || rec.DNAText != s.Spec().Format(d) || rec.State != Running {
		t.Fatalf("Ask handed out trial %d %s (%s), want the enqueued %d %s", rec.Number, rec.DNAText, rec.State, n, s.Spec().Format(d))
	}
	if got, _ := st.Trials(ctx, "ask"); !got[n].Heartbeat.IsZero() || got[n].Attempt != 1 {
		t.Errorf("asked trial: heartbeat %v, attempt %d; want none and 1", got[n].Heartbeat, got[n].Attempt)
	}
	if _, err := Tell(ctx, st, "ask", n, Metrics{"reward": 1}, ""); err != nil {
		t.Fatal(err)
	}
}

// TestEnqueuedFedOnce: a Dedup (which rebuilds its state with Recover)
// learns of an enqueued trial once, with its result: while it waits, it
// is taken but not fed back as a failure.
func TestEnqueuedFedOnce(t *testing.T) {
	ctx := context.Background()
	s := testSpace(t, xySpace)
	opts := &Options{Store: NewMemStore(), Study: "once", Trials: 3}
	if _, err := Enqueue(ctx, s, xyProgram(0.5, 2), opts); err != nil {
		t.Fatal(err)
	}
	inner := &randomAlgo{seed: 3}
	_, err := Run(ctx, Searchable[symbolic.Value](s), &algorithms.Dedup{Inner: inner},
		func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
			return Metrics{"reward": 1}, nil
		}, opts)
	if err != nil {
		t.Fatal(err)
	}
	var fed []algorithms.Result
	for _, f := range inner.feedbacks {
		if f.Trial == 0 {
			fed = append(fed, f)
		}
	}
	if len(fed) != 1 || fed[0].Rewards == nil || fed[0].Pending {
		t.Errorf("trial 0 fed back %v, want once, with its reward", fed)
	}
}
