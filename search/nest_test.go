package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// nestedOuter and nestedInner are the spaces of the nested tests: the
// outer trial picks a scale, the inner search a point.
const (
	nestedOuter = "scale: !oneof [1, 2, 3]\n"
	nestedInner = "x: !int {min: 0, max: 50}\n"
)

func intAt(t testing.TB, p symbolic.Value, key string) int {
	t.Helper()
	v, err := symbolic.GetPath(p, key)
	if err != nil {
		t.Fatal(err)
	}
	n, ok := v.(symbolic.Int)
	if !ok {
		t.Fatalf("%s is %v, want an int", key, v)
	}
	return int(n)
}

// innerSearch returns an inner search of budget trials whose loss is
// scale·|x−20| and whose cost is x.
func innerSearch(t testing.TB, budget int, seed uint64, opts *Options) func(ctx context.Context, outer *Trial[symbolic.Value]) (*InnerSearch[symbolic.Value], error) {
	in := testSpace(t, nestedInner)
	return func(ctx context.Context, outer *Trial[symbolic.Value]) (*InnerSearch[symbolic.Value], error) {
		scale := float64(intAt(t, outer.Program, "scale"))
		o := Options{Trials: budget, Objectives: []Metric{{"loss", Minimize}}}
		if opts != nil {
			o = *opts
		}
		return &InnerSearch[symbolic.Value]{Name: "arch", Space: Searchable[symbolic.Value](in),
			Algorithm: &randomAlgo{seed: seed + uint64(outer.Number)},
			Objective: func(ctx context.Context, it *Trial[symbolic.Value]) (Metrics, error) {
				x := float64(intAt(t, it.Program, "x"))
				return Metrics{"loss": scale * math.Abs(x-20), "cost": x}, nil
			}, Options: &o}, nil
	}
}

func innerName(outer string, n int) string { return fmt.Sprintf("%s/trial-%d/arch", outer, n) }

// TestNestBudgets: an outer budget of 3 with an inner budget of 4
// records exactly 3 outer and 12 inner trials, and each outer trial's
// metrics are its inner study's best, naming it.
func TestNestBudgets(t *testing.T) {
	ctx := t.Context()
	st := NewMemStore()
	res, err := Run(ctx, Searchable[symbolic.Value](testSpace(t, nestedOuter)), &randomAlgo{seed: 1},
		Nest(innerSearch(t, 4, 10, nil)),
		&Options{Store: st, Study: "hw", Trials: 3, Objectives: []Metric{{"loss", Minimize}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Completed != 3 {
		t.Fatalf("outer: %d completed, want 3", res.Completed)
	}
	outer, _ := st.Trials(ctx, "hw")
	innerTotal := 0
	for _, o := range outer {
		name := innerName("hw", o.Number)
		in, err := Summarize(ctx, st, name)
		if err != nil {
			t.Fatalf("outer trial %d: %v", o.Number, err)
		}
		trials, _ := st.Trials(ctx, name)
		innerTotal += len(trials)
		if len(trials) != 4 || in.Completed != 4 {
			t.Errorf("%s: %d trials, %d completed; want 4, 4", name, len(trials), in.Completed)
		}
		if o.Metrics["loss"] != in.Best.Metrics["loss"] || o.Metrics["cost"] != in.Best.Metrics["cost"] {
			t.Errorf("outer trial %d: metrics %v, want the inner best's %v", o.Number, o.Metrics, in.Best.Metrics)
		}
		if int(o.Metrics[InnerTrialMetric]) != in.Best.Number {
			t.Errorf("outer trial %d: %s %v, want the inner winner %d", o.Number, InnerTrialMetric, o.Metrics[InnerTrialMetric], in.Best.Number)
		}
	}
	if len(outer) != 3 || innerTotal != 12 {
		t.Errorf("%d outer and %d inner trials, want 3 and 12", len(outer), innerTotal)
	}
}

// TestNestReductions: mean and median reduce each metric over the inner
// study's completed trials; the winner is named either way.
func TestNestReductions(t *testing.T) {
	trials := []TrialRecord{
		{Number: 0, State: Completed, Metrics: Metrics{"loss": 4}},
		{Number: 1, State: Completed, Metrics: Metrics{"loss": 1}},
		{Number: 2, State: Failed},
		{Number: 3, State: Completed, Metrics: Metrics{"loss": 10}},
		{Number: 4, State: Skipped, Metrics: Metrics{"loss": 0}},
	}
	res := summarize("s", []Metric{{"loss", Minimize}}, trials)
	for _, tt := range []struct {
		reduce Reduction
		loss   float64
	}{{ReduceBest, 1}, {ReduceMean, 5}, {ReduceMedian, 4}} {
		t.Run(string(tt.reduce), func(t *testing.T) {
			m, err := reduceInner(tt.reduce, res, trials)
			if err != nil {
				t.Fatal(err)
			}
			if m["loss"] != tt.loss || m[InnerTrialMetric] != 1 {
				t.Errorf("%v, want loss %v and the winner 1", m, tt.loss)
			}
		})
	}
	if _, err := reduceInner(ReduceBest, summarize("s", []Metric{{"loss", Minimize}}, trials[2:3]), trials[2:3]); !errors.Is(err, ErrNoInnerResult) {
		t.Errorf("no completed inner trial: %v, want ErrNoInnerResult", err)
	}
}

// TestNestInfeasible: an inner program breaking a constraint is skipped
// with its metrics kept, never the winner; an inner study with no
// feasible program fails its outer trial, which the outer level counts.
func TestNestInfeasible(t *testing.T) {
	ctx := t.Context()
	st := NewMemStore()
	inner := func(ctx context.Context, outer *Trial[symbolic.Value]) (*InnerSearch[symbolic.Value], error) {
		scale := intAt(t, outer.Program, "scale")
		// scale 1: cost ≤ 25 (some feasible); scale 3: cost ≤ -1 (none).
		bound := 25.0
		if scale == 3 {
			bound = -1
		}
		s, _ := innerSearch(t, 6, 5, &Options{Trials: 6, Objectives: []Metric{{"loss", Minimize}},
			Constraints: []Constraint{{Metric: "cost", Bound: bound}}})(ctx, outer)
		return s, nil
	}
	sp := testSpace(t, nestedOuter)
	res, err := Run(ctx, Searchable[symbolic.Value](sp), &fixedAlgo{dnas: [][]int{{0}, {2}}},
		Nest(inner), &Options{Store: st, Study: "hw", Trials: 2, Objectives: []Metric{{"loss", Minimize}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Completed != 1 || res.Failed != 1 {
		t.Fatalf("outer: %d completed, %d failed; want 1 and 1", res.Completed, res.Failed)
	}
	outer, _ := st.Trials(ctx, "hw")
	for _, o := range outer {
		trials, _ := st.Trials(ctx, innerName("hw", o.Number))
		bound := 25.0
		if o.State == Failed {
			bound = -1
			if !errorsContain(o.Error, "no completed trial") {
				t.Errorf("outer trial %d failed with %q, want it to say the inner search has no completed trial", o.Number, o.Error)
			}
		}
		for _, it := range trials {
			infeasible := it.Metrics["cost"] > bound
			if infeasible && (it.State != Skipped || !errorsContain(it.Error, "infeasible: cost")) {
				t.Errorf("inner trial %d (cost %v > %v): %v %q, want skipped as infeasible", it.Number, it.Metrics["cost"], bound, it.State, it.Error)
			}
			if !infeasible && it.State != Completed {
				t.Errorf("inner trial %d (cost %v ≤ %v): %v, want completed", it.Number, it.Metrics["cost"], bound, it.State)
			}
		}
		if o.State == Completed && o.Metrics["cost"] > bound {
			t.Errorf("outer trial %d: the winner's cost %v is over the bound", o.Number, o.Metrics["cost"])
		}
	}
}

// TestNestInnerFailuresCountPerLevel: the inner failure limit is the
// inner search's; the outer trial it fails is one outer failure.
func TestNestInnerFailuresCountPerLevel(t *testing.T) {
	ctx := t.Context()
	st := NewMemStore()
	in := testSpace(t, nestedInner)
	inner := func(ctx context.Context, outer *Trial[symbolic.Value]) (*InnerSearch[symbolic.Value], error) {
		return &InnerSearch[symbolic.Value]{Name: "arch", Space: Searchable[symbolic.Value](in), Algorithm: &randomAlgo{seed: 1},
			Objective: func(ctx context.Context, it *Trial[symbolic.Value]) (Metrics, error) {
				if outer.Number == 0 {
					return nil, errors.New("broken")
				}
				return Metrics{"loss": 1}, nil
			}, Options: &Options{Completed: 3, MaxFailures: 2, Objectives: []Metric{{"loss", Minimize}}}}, nil
	}
	res, err := Run(ctx, Searchable[symbolic.Value](testSpace(t, nestedOuter)), &randomAlgo{seed: 1}, Nest(inner),
		&Options{Store: st, Study: "hw", Trials: 2, Objectives: []Metric{{"loss", Minimize}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 1 || res.Completed != 1 {
		t.Errorf("outer: %d failed, %d completed; want 1, 1", res.Failed, res.Completed)
	}
	broken, _ := Summarize(ctx, st, innerName("hw", 0))
	fine, _ := Summarize(ctx, st, innerName("hw", 1))
	if broken.Failed != 3 || broken.Completed != 0 || fine.Completed != 3 || fine.Failed != 0 {
		t.Errorf("inner studies: %d failed (want 3: the limit 2, then one over it), %d completed; want 0 failed, 3 completed: got %d, %d",
			broken.Failed, broken.Completed, fine.Failed, fine.Completed)
	}
}

// TestNestResumesBothLevels: a search interrupted in the middle of an
// inner search resumes at both levels: the outer trial is taken over,
// not proposed again, and its inner study continues, nothing run twice
// but the interrupted inner trial (a second attempt), nothing lost.
func TestNestResumesBothLevels(t *testing.T) {
	st := NewMemStore()
	outerSpace := Searchable[symbolic.Value](testSpace(t, nestedOuter))
	opts := &Options{Store: st, Study: "hw", Trials: 3, Objectives: []Metric{{"loss", Minimize}}}
	ctx, cancel := context.WithCancel(t.Context())
	base := innerSearch(t, 4, 10, nil)
	interrupting := func(ctx context.Context, outer *Trial[symbolic.Value]) (*InnerSearch[symbolic.Value], error) {
		in, err := base(ctx, outer)
		if err != nil || outer.Number != 1 {
			return in, err
		}
		obj := in.Objective
		in.Objective = func(ictx context.Context, it *Trial[symbolic.Value]) (Metrics, error) {
			if it.Number == 2 {
				cancel()
				<-ictx.Done()
				return nil, ictx.Err()
			}
			return obj(ictx, it)
		}
		return in, nil
	}
	if _, err := Run(ctx, outerSpace, &randomAlgo{seed: 1}, Nest(interrupting), opts); err != nil {
		t.Fatal(err)
	}
	before, _ := st.Trials(t.Context(), innerName("hw", 1))
	outer, _ := st.Trials(t.Context(), "hw")
	if len(outer) != 2 || outer[1].State != Running || len(before) != 3 || before[2].State != Running {
		t.Fatalf("after the interrupt: %d outer trials, %d inner; want 2 (the last running) and 3 (the last running)", len(outer), len(before))
	}
	if _, err := Run(t.Context(), outerSpace, &randomAlgo{seed: 1}, Nest(base), opts); err != nil {
		t.Fatal(err)
	}
	outer, _ = st.Trials(t.Context(), "hw")
	total := 0
	for _, o := range outer {
		trials, _ := st.Trials(t.Context(), innerName("hw", o.Number))
		total += len(trials)
		for _, it := range trials {
			if it.State != Completed {
				t.Errorf("inner trial %d of outer %d: %v, want completed", it.Number, o.Number, it.State)
			}
			want := 1
			if o.Number == 1 && it.Number == 2 {
				want = 2
			}
			if it.Attempt != want {
				t.Errorf("inner trial %d of outer %d: attempt %d, want %d", it.Number, o.Number, it.Attempt, want)
			}
		}
		if o.State != Completed {
			t.Errorf("outer trial %d: %v, want completed", o.Number, o.State)
		}
	}
	if len(outer) != 3 || total != 12 || outer[1].Attempt != 2 {
		t.Errorf("%d outer, %d inner trials, outer trial 1 at attempt %d; want 3, 12, 2", len(outer), total, outer[1].Attempt)
	}
	after, _ := st.Trials(t.Context(), innerName("hw", 1))
	for i := range 2 {
		if after[i].DNAText != before[i].DNAText || after[i].Finished != before[i].Finished {
			t.Errorf("inner trial %d was changed by the resumed search", i)
		}
	}
}

// stopAtStep stops every trial at the given step.
type stopAtStep struct{ step int }

func (p stopAtStep) ShouldStop(trial, step int, reward float64) bool { return step >= p.step }
func (p stopAtStep) Finish(int, bool)                                {}

// TestNestOuterEarlyStopping: the outer policy is told each ended inner
// trial as a step; stopping the outer trial ends its inner search, and
// the outer trial is recorded as early-stopped with the inner best.
func TestNestOuterEarlyStopping(t *testing.T) {
	ctx := t.Context()
	st := NewMemStore()
	res, err := Run(ctx, Searchable[symbolic.Value](testSpace(t, nestedOuter)), &randomAlgo{seed: 1}, Nest(innerSearch(t, 10, 3, nil)),
		&Options{Store: st, Study: "hw", Trials: 2, Objectives: []Metric{{"loss", Minimize}}, Stopping: stopAtStep{2}})
	if err != nil {
		t.Fatal(err)
	}
	if res.EarlyStopped != 2 {
		t.Fatalf("outer: %d early-stopped, want 2", res.EarlyStopped)
	}
	outer, _ := st.Trials(ctx, "hw")
	for _, o := range outer {
		in, _ := Summarize(ctx, st, innerName("hw", o.Number))
		if in.Completed != 2 || len(o.Steps) != 2 || o.Metrics["loss"] != in.Best.Metrics["loss"] {
			t.Errorf("outer trial %d: inner %d completed, %d steps, loss %v; want 2, 2, the inner best %v",
				o.Number, in.Completed, len(o.Steps), o.Metrics["loss"], in.Best.Metrics["loss"])
		}
	}
}

func errorsContain(s, sub string) bool { return strings.Contains(s, sub) }

// fixedAlgo proposes the given choices in order, then is done.
type fixedAlgo struct {
	spec *space.DNASpec
	dnas [][]int
	next int
}

func (a *fixedAlgo) Setup(spec *space.DNASpec) error { a.spec = spec; return nil }
func (a *fixedAlgo) Propose(context.Context) (space.DNA, error) {
	if a.next >= len(a.dnas) {
		return space.DNA{}, algorithms.ErrDone
	}
	a.next++
	nums := make([]float64, len(a.dnas[a.next-1]))
	for i, c := range a.dnas[a.next-1] {
		nums[i] = float64(c)
	}
	return a.spec.FromNumbers(nums)
}
func (a *fixedAlgo) Feedback(algorithms.Result) {}

// TestParseInnerStudyName: the name of a nested study splits into its
// outer study, trial and own name, and back; other names do not.
func TestParseInnerStudyName(t *testing.T) {
	for _, tt := range []struct {
		study, outer string
		trial        int
		name         string
		ok           bool
	}{
		{"hw/trial-3/arch", "hw", 3, "arch", true},
		{"a/trial-0/b/trial-12/c", "a/trial-0/b", 12, "c", true},
		{"hw/trial-3/", "", 0, "", false},
		{"hw/trial-03/arch", "", 0, "", false},
		{"hw/trial--1/arch", "", 0, "", false},
		{"/trial-1/arch", "", 0, "", false},
		{"hw", "", 0, "", false},
	} {
		o, n, name, ok := ParseInnerStudyName(tt.study)
		if o != tt.outer || n != tt.trial || name != tt.name || ok != tt.ok {
			t.Errorf("%q: %q %d %q %v, want %q %d %q %v", tt.study, o, n, name, ok, tt.outer, tt.trial, tt.name, tt.ok)
		}
		if ok && InnerStudyName(o, n, name) != tt.study {
			t.Errorf("%q does not round-trip", tt.study)
		}
	}
}

// TestInnerWinners: the winner of an outer trial is the inner trial its
// metrics name.
func TestInnerWinners(t *testing.T) {
	ctx := t.Context()
	st := NewMemStore()
	if _, err := Run(ctx, Searchable[symbolic.Value](testSpace(t, nestedOuter)), &randomAlgo{seed: 1},
		Nest(innerSearch(t, 5, 10, nil)), &Options{Store: st, Study: "hw", Trials: 2, Objectives: []Metric{{"loss", Minimize}}}); err != nil {
		t.Fatal(err)
	}
	outer, _ := st.Trials(ctx, "hw")
	for _, o := range outer {
		ws, err := InnerWinners(ctx, st, "hw", o)
		if err != nil {
			t.Fatal(err)
		}
		in, _ := Summarize(ctx, st, innerName("hw", o.Number))
		if len(ws) != 1 || ws[0].Study != innerName("hw", o.Number) || ws[0].Trial.Number != in.Best.Number || ws[0].Trial.DNAText != in.Best.DNAText {
			t.Errorf("outer trial %d: winners %+v, want trial %d of its inner study", o.Number, ws, in.Best.Number)
		}
	}
}
