package search

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// randomAlgo is a minimal algorithm for the loop's tests: random proposals
// from a seed, with every call recorded.
type randomAlgo struct {
	spec      *space.DNASpec
	rng       *rand.Rand
	seed      uint64
	proposed  int
	feedbacks []algorithms.Result
}

func (a *randomAlgo) Setup(spec *space.DNASpec) error {
	a.spec, a.rng = spec, rand.New(rand.NewPCG(a.seed, 1))
	return nil
}

func (a *randomAlgo) Propose(context.Context) (space.DNA, error) {
	a.proposed++
	return a.spec.Random(a.rng), nil
}

func (a *randomAlgo) Feedback(r algorithms.Result) { a.feedbacks = append(a.feedbacks, r) }

func testSpace(t testing.TB, src string) *space.Space {
	t.Helper()
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		t.Fatal(err)
	}
	v, err := reg.DecodeYAML([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := space.New(v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const xySpace = "x: !float {min: -1, max: 1}\ny: !oneof [0, 1, 2, 3]\n"

func xy(t testing.TB, p symbolic.Value) (float64, float64) {
	t.Helper()
	x, err := symbolic.GetPath(p, "x")
	if err != nil {
		t.Fatal(err)
	}
	y, _ := symbolic.GetPath(p, "y")
	return float64(x.(symbolic.Float)), float64(y.(symbolic.Int))
}

func TestSampleFindsBest(t *testing.T) {
	ctx := context.Background()
	s := testSpace(t, xySpace)
	opts := &Options{Store: NewMemStore(), Trials: 30, Objectives: []Metric{{Name: "loss", Direction: Minimize}}}
	n := 0
	want := math.Inf(1)
	for tr, err := range Sample(ctx, Searchable[symbolic.Value](s), &randomAlgo{seed: 1}, opts) {
		if err != nil {
			t.Fatal(err)
		}
		x, y := xy(t, tr.Program)
		loss := x*x + y
		want = min(want, loss)
		if err := tr.Finish(ctx, Metrics{"loss": loss}); err != nil {
			t.Fatal(err)
		}
		if err := tr.Finish(ctx, Metrics{"loss": loss}); !errors.Is(err, ErrFinished) {
			t.Fatalf("second Finish: %v, want ErrFinished", err)
		}
		n++
	}
	if n != 30 {
		t.Fatalf("%d trials, want 30", n)
	}
	res, err := Summarize(ctx, opts.Store, "default")
	if err != nil {
		t.Fatal(err)
	}
	if res.Completed != 30 || res.Best == nil || res.Best.Metrics["loss"] != want {
		t.Fatalf("best %v, want loss %v", res.Best, want)
	}
}

// TestSampleRecordsMissingFeedbackAsFailed leaves every second trial
// without feedback: it is recorded as failed, spends a trial of a trial
// budget and none of a budget of completed trials.
func TestSampleRecordsMissingFeedbackAsFailed(t *testing.T) {
	for _, tc := range []struct {
		name                string
		opts                Options
		wantTrials, wantBad int
	}{
		{"trials", Options{Trials: 5}, 5, 2},
		{"completed", Options{Completed: 5}, 9, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := NewMemStore()
			s := testSpace(t, xySpace)
			algo := &randomAlgo{seed: 2}
			seen := map[int]bool{}
			i := 0
			opts := tc.opts
			opts.Store = st
			for tr, err := range Sample(ctx, Searchable[symbolic.Value](s), algo, &opts) {
				if err != nil {
					t.Fatal(err)
				}
				if seen[tr.Number] {
					t.Fatalf("trial %d handed out twice", tr.Number)
				}
				seen[tr.Number] = true
				i++
				if i%2 == 0 {
					continue // no feedback
				}
				_ = tr.Finish(ctx, Metrics{"reward": 1})
			}
			trials, _ := st.Trials(ctx, "default")
			failed := 0
			for _, tr := range trials {
				if tr.State == Failed {
					failed++
					if tr.Error != "the loop body returned without Finish, Fail or Skip" {
						t.Errorf("reason %q", tr.Error)
					}
				}
			}
			if failed != tc.wantBad || len(trials) != tc.wantTrials {
				t.Fatalf("%d trials, %d failed; want %d and %d", len(trials), failed, tc.wantTrials, tc.wantBad)
			}
			if len(algo.feedbacks) != tc.wantTrials || !algo.feedbacks[1].Failed() {
				t.Fatalf("feedbacks %d, second failed %v", len(algo.feedbacks), algo.feedbacks[1].Failed())
			}
		})
	}
}

func TestRunFailureHandling(t *testing.T) {
	ctx := context.Background()
	st := NewMemStore()
	s := testSpace(t, xySpace)
	var mu sync.Mutex
	calls := 0
	res, err := Run(ctx, Searchable[symbolic.Value](s), &randomAlgo{seed: 3},
		func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
			mu.Lock()
			calls++
			c := calls
			mu.Unlock()
			switch c % 5 {
			case 1:
				panic("boom")
			case 2:
				return nil, errors.New("diverged")
			case 3:
				return Metrics{"reward": math.NaN()}, nil
			case 4:
				return Metrics{"reward": math.Inf(1)}, nil
			}
			x, _ := xy(t, tr.Program)
			return Metrics{"reward": x}, nil
		}, &Options{Store: st, Completed: 6, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Completed != 6 || res.Failed < 20 {
		t.Fatalf("completed %d failed %d", res.Completed, res.Failed)
	}
	trials, _ := st.Trials(ctx, "default")
	reasons := map[string]bool{}
	for _, tr := range trials {
		if tr.State == Failed {
			switch {
			case strings.HasPrefix(tr.Error, "objective panicked: boom (at "):
				reasons["panic"] = true
			case tr.Error == "diverged":
				reasons["error"] = true
			case strings.Contains(tr.Error, "is NaN"):
				reasons["nan"] = true
			case strings.Contains(tr.Error, "is +Inf"):
				reasons["inf"] = true
			default:
				t.Errorf("unexpected reason %q", tr.Error)
			}
		}
	}
	if len(reasons) != 4 {
		t.Fatalf("reasons seen: %v", reasons)
	}
	if res.Best == nil || res.Best.State != Completed {
		t.Fatalf("best %+v", res.Best)
	}
	for _, tr := range trials {
		if tr.State == Completed && tr.Metrics["reward"] > res.Best.Metrics["reward"] {
			t.Fatalf("best %v is not the best (%v)", res.Best.Metrics, tr.Metrics)
		}
	}
}

func TestRunInterruptedReportsWhatWasFound(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := testSpace(t, xySpace)
	var once sync.Once
	res, err := Run(ctx, Searchable[symbolic.Value](s), &randomAlgo{seed: 4},
		func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
			if tr.Number == 10 {
				once.Do(cancel)
				<-ctx.Done()
				return nil, ctx.Err()
			}
			return Metrics{"reward": float64(tr.Number)}, nil
		}, &Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted || res.Best == nil || res.Completed < 9 || res.StopReason != "interrupted" {
		t.Fatalf("result %+v", res)
	}
}

// TestRunTimeBudget: no trial starts once Options.Duration has passed,
// and those running then finish. In fake time, two workers running 2ms
// trials for 100ms complete 100 trials.
func TestRunTimeBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := testSpace(t, xySpace)
		start := time.Now()
		res, err := Run(t.Context(), Searchable[symbolic.Value](s), &randomAlgo{seed: 5},
			func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
				time.Sleep(2 * time.Millisecond)
				return Metrics{"reward": 1}, nil
			}, &Options{Duration: 100 * time.Millisecond, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		if el := time.Since(start); el != 100*time.Millisecond || res.Completed != 100 || res.Interrupted {
			t.Fatalf("elapsed %v, %d completed, interrupted %v; want 100ms, 100 completed, not interrupted", el, res.Completed, res.Interrupted)
		}
	})
}

func TestResumeCountsCompletedTrials(t *testing.T) {
	ctx := context.Background()
	st := NewMemStore()
	s := testSpace(t, xySpace)
	obj := func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
		x, _ := xy(t, tr.Program)
		return Metrics{"reward": x}, nil
	}
	first := &randomAlgo{seed: 6}
	if _, err := Run(ctx, Searchable[symbolic.Value](s), first, obj, &Options{Store: st, Study: "s", Trials: 4}); err != nil {
		t.Fatal(err)
	}
	second := &randomAlgo{seed: 6}
	res, err := Run(ctx, Searchable[symbolic.Value](s), second, obj, &Options{Store: st, Study: "s", Trials: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Completed != 10 {
		t.Fatalf("completed %d, want 10", res.Completed)
	}
	// The second algorithm was rebuilt from the 4 finished trials, then
	// proposed 6 more: its random stream continued where the first stopped.
	if second.proposed != 10 || len(second.feedbacks) != 10 {
		t.Fatalf("second: proposed %d, feedbacks %d", second.proposed, len(second.feedbacks))
	}
	trials, _ := st.Trials(ctx, "s")
	ref := &randomAlgo{seed: 6}
	_ = ref.Setup(s.Spec())
	for i, tr := range trials {
		want, _ := ref.Propose(ctx)
		if !want.Equal(tr.DNA) {
			t.Fatalf("trial %d: DNA %s, want %s as if the search never stopped", i, tr.DNAText, s.Spec().Format(want))
		}
	}
	// Another objective is refused.
	_, err = Run(ctx, Searchable[symbolic.Value](s), &randomAlgo{}, obj, &Options{Store: st, Study: "s",
		Objectives: []Metric{{Name: "loss", Direction: Minimize}}})
	if !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "objective 0 is maximize reward, not minimize loss") {
		t.Fatalf("error %v", err)
	}
}

func TestMultiObjectivePareto(t *testing.T) {
	ctx := context.Background()
	s := testSpace(t, "a: !oneof [0, 1, 2, 3, 4]\n")
	res, err := Run(ctx, Searchable[symbolic.Value](s), &randomAlgo{seed: 7},
		func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
			a, _ := symbolic.GetPath(tr.Program, "a")
			v := float64(a.(symbolic.Int))
			// Trade-off on 0..3; 4 is dominated by 3.
			if v == 4 {
				return Metrics{"acc": 0.5, "size": 10}, nil
			}
			return Metrics{"acc": v, "size": v}, nil
		}, &Options{Trials: 60, Objectives: []Metric{{"acc", Maximize}, {"size", Minimize}}})
	if err != nil {
		t.Fatal(err)
	}
	front := map[float64]bool{}
	for _, p := range res.Pareto {
		front[p.Metrics["acc"]] = true
	}
	if len(front) != 4 || front[0.5] {
		t.Fatalf("front %v", front)
	}
}

// stopBelow stops a trial whose reward at step 1 is below a threshold.
type stopBelow struct {
	threshold float64
	finished  []int
}

func (p *stopBelow) ShouldStop(trial, step int, reward float64) bool {
	return step >= 1 && reward < p.threshold
}
func (p *stopBelow) Finish(trial int, completed bool) { p.finished = append(p.finished, trial) }

func TestEarlyStopping(t *testing.T) {
	ctx := context.Background()
	s := testSpace(t, xySpace)
	pol := &stopBelow{threshold: 0}
	res, err := Run(ctx, Searchable[symbolic.Value](s), &randomAlgo{seed: 8},
		func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
			x, _ := xy(t, tr.Program)
			for step := range 5 {
				if err := tr.Report(ctx, step, Metrics{"reward": x}); err != nil {
					return nil, err
				}
				if tr.ShouldStop() {
					return Metrics{"reward": x}, nil
				}
			}
			return Metrics{"reward": x}, nil
		}, &Options{Trials: 20, Stopping: pol})
	if err != nil {
		t.Fatal(err)
	}
	if res.EarlyStopped == 0 || res.Best.Metrics["reward"] < 0 {
		t.Fatalf("result %+v", res)
	}
	if len(pol.finished) != res.Completed+res.EarlyStopped {
		t.Fatalf("policy told of %d ends, want %d", len(pol.finished), res.Completed+res.EarlyStopped)
	}
}

func TestNestedSearch(t *testing.T) {
	ctx := context.Background()
	st := NewMemStore()
	whole := testSpace(t, "hw: !oneof {candidates: [1, 2, 4], hints: [hw]}\narch: !oneof {candidates: [8, 16, 32], hints: [arch]}\n")
	outer := whole.Filter(space.ByHints("hw"))
	res, err := Run(ctx, Searchable[symbolic.Value](outer), &randomAlgo{seed: 9},
		func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
			inner, err := space.New(tr.Program)
			if err != nil {
				return nil, err
			}
			innerOpts := tr.Inner("arch", &Options{Trials: 6})
			ir, err := Run(ctx, Searchable[symbolic.Value](inner), &randomAlgo{seed: uint64(tr.Number)},
				func(ctx context.Context, it *Trial[symbolic.Value]) (Metrics, error) {
					hw, _ := symbolic.GetPath(it.Program, "hw")
					arch, _ := symbolic.GetPath(it.Program, "arch")
					return Metrics{"reward": float64(hw.(symbolic.Int)) * float64(arch.(symbolic.Int))}, nil
				}, innerOpts)
			if err != nil {
				return nil, err
			}
			return ir.Best.Metrics, nil
		}, &Options{Store: st, Study: "outer", Trials: 4})
	if err != nil {
		t.Fatal(err)
	}
	if res.Completed != 4 {
		t.Fatalf("outer completed %d", res.Completed)
	}
	studies, _ := st.Studies(ctx)
	var names []string
	for _, s := range studies {
		names = append(names, s.Name)
	}
	if len(studies) != 5 || names[1] != "outer/trial-0/arch" {
		t.Fatalf("studies %v", names)
	}
}
