package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// Run runs the conformance suite, one named subtest per part of the
// contract. open must return a new, empty store each time it is called;
// Run closes every store it opens when its subtest ends, so open must not.
func Run(t *testing.T, open func(t *testing.T) search.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s search.Store)
	}{
		{"Studies", testStudies},
		{"StudyRoundTrip", testStudyRoundTrip},
		{"StudyIsolation", testStudyIsolation},
		{"StudyNames", testStudyNames},
		{"TrialNumbers", testTrialNumbers},
		{"TrialsOrder", testTrialsOrder},
		{"TrialRoundTrip", testTrialRoundTrip},
		{"UpdateTrial", testUpdateTrial},
		{"NotFound", testNotFound},
		{"TrialIsolation", testTrialIsolation},
		{"CancelledContext", testCancelledContext},
		{"ConcurrentAddTrial", testConcurrentAddTrial},
		{"EndedTrialsDoNotChange", testEndedTrialsDoNotChange},
		{"SupersededAttempt", testSupersededAttempt},
		{"ProposeChanges", testProposeChanges},
		{"ConcurrentPropose", testConcurrentPropose},
		{"Heartbeat", testHeartbeat},
		{"Reclaim", testReclaim},
		{"ReclaimLimit", testReclaimLimit},
		{"ConcurrentReclaim", testConcurrentReclaim},
		{"Lease", testLease},
		{"Waiting", testWaiting},
		{"DeleteStudy", testDeleteStudy},
		{"RenameStudy", testRenameStudy},
		{"CopyStudy", testCopyStudy},
		{"StudyOpsCancelled", testStudyOpsCancelled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(t, s)
		})
	}
}

// epoch is a fixed time with microseconds, which every store keeps.
var epoch = time.Date(2026, 11, 26, 19, 37, 11, 123456000, time.UTC)

func ctxOf(t *testing.T) context.Context { return t.Context() }

func mustCreate(t *testing.T, s search.Store, info search.StudyInfo) {
	t.Helper()
	if err := s.CreateStudy(ctxOf(t), info); err != nil {
		t.Fatalf("CreateStudy(%q): %v", info.Name, err)
	}
}

func mustAdd(t *testing.T, s search.Store, study string, r search.TrialRecord) int {
	t.Helper()
	n, err := s.AddTrial(ctxOf(t), study, r)
	if err != nil {
		t.Fatalf("AddTrial(%q): %v", study, err)
	}
	return n
}

func mustTrials(t *testing.T, s search.Store, study string) []search.TrialRecord {
	t.Helper()
	rs, err := s.Trials(ctxOf(t), study)
	if err != nil {
		t.Fatalf("Trials(%q): %v", study, err)
	}
	return rs
}

func study(name string) search.StudyInfo {
	return search.StudyInfo{
		Name:       name,
		Objectives: []search.Metric{{Name: "acc", Direction: search.Maximize}},
		Created:    epoch,
	}
}

// config returns a study config: nested dicts and lists of every scalar.
func config() symbolic.Value {
	sp := symbolic.NewDict(2)
	sp.Set("lr", symbolic.Float(0.001))
	sp.Set("units", symbolic.NewList(symbolic.Int(16), symbolic.Int(32), symbolic.Int(-7)))
	d := symbolic.NewDict(4)
	d.Set("space", sp)
	d.Set("algorithm", symbolic.String("evolution \"quoted\" ü"))
	d.Set("budget", symbolic.Int(100))
	d.Set("resume", symbolic.Bool(true))
	d.Set("note", symbolic.Null{})
	return d
}

// program returns a child program: a tree of dicts, lists and floats.
func program(i int) symbolic.Value {
	layer := symbolic.NewDict(2)
	layer.Set("units", symbolic.Int(int64(8*(i+1))))
	layer.Set("dropout", symbolic.Float(0.1+float64(i)/3))
	d := symbolic.NewDict(3)
	d.Set("layers", symbolic.NewList(layer, symbolic.NewList(symbolic.Float(1e-300), symbolic.Float(-2.5))))
	d.Set("act", symbolic.String("gelu"))
	d.Set("lr", symbolic.Float(1.0/3))
	return d
}

// dna returns a DNA with nested children, floats and an empty leaf.
func dna(i int) space.DNA {
	return space.DNA{Children: []space.DNA{
		{Value: float64(i % 3), Children: []space.DNA{{Value: 0.123456789012345}, {Value: 2}}},
		{Value: 1, Children: []space.DNA{
			{Value: 0, Children: []space.DNA{{Value: -1e-9}}},
			{Value: 2},
		}},
		{Value: 1.0 / 3},
	}}
}

// record returns a full trial record.
func record(i int) search.TrialRecord {
	return search.TrialRecord{
		DNA:     dna(i),
		DNAText: fmt.Sprintf("[%d, 0.123456789012345, 2, 1, 0, -1e-09, 2, 0.3333333333333333]", i%3),
		Program: program(i),
		State:   search.Running,
		Steps: []search.Step{
			{Step: 1, Metrics: search.Metrics{"acc": 0.5, "loss": 1.25}},
			{Step: 10, Metrics: search.Metrics{"acc": 0.75}},
		},
		Attempt: 1,
		Worker:  "host-a/42",
		Created: epoch.Add(time.Duration(i) * time.Second),
	}
}

// finished returns r completed, with every updatable field changed.
func finished(r search.TrialRecord) search.TrialRecord {
	r.State = search.Completed
	r.Metrics = search.Metrics{"acc": 0.9375, "loss": 0.1, "latency_ms": 12}
	r.Steps = append(slices.Clone(r.Steps), search.Step{Step: 20, Metrics: search.Metrics{"acc": 0.9375}})
	r.Error = "none, but a multi-line\ntext with 'quotes'"
	r.Worker = "host-b/7"
	r.Finished = r.Created.Add(1500 * time.Microsecond)
	return r
}

// recordOptions compare what a store keeps of a trial: programs and
// configs as trees (symbolic.Equal, a nil one only equal to a nil one),
// DNA and times with their Equal methods, a nil map or slice equal to an
// empty one.
var recordOptions = cmp.Options{
	cmp.Comparer(func(a, b symbolic.Value) bool {
		return (a == nil) == (b == nil) && (a == nil || symbolic.Equal(a, b))
	}),
	cmpopts.EquateEmpty(),
}

// diff describes how got differs from want, headed "(-want +got):", or
// returns "".
func diff(want, got any, opts ...cmp.Option) string {
	if d := cmp.Diff(want, got, append(opts, recordOptions)...); d != "" {
		return "(-want +got):\n" + d
	}
	return ""
}

// diffRecord describes how got differs from want, or returns "": every
// field but the bookkeeping ones (Heartbeat, Watched, Lease, Claim, Seq),
// which the tests check where they matter.
func diffRecord(got, want search.TrialRecord) string {
	return diff(want, got, cmpopts.IgnoreFields(search.TrialRecord{}, "Heartbeat", "Watched", "Lease", "Claim", "Seq"))
}

func testTrialNumbers(t *testing.T, s search.Store) {
	mustCreate(t, s, study("a"))
	mustCreate(t, s, study("b"))
	var gotA, gotB []int
	for i := range 3 {
		r := record(i)
		r.Number = 99 // ignored: the store numbers trials
		gotA = append(gotA, mustAdd(t, s, "a", r))
	}
	for i := range 2 {
		gotB = append(gotB, mustAdd(t, s, "b", record(i)))
	}
	gotA = append(gotA, mustAdd(t, s, "a", record(3)))
	if want := []int{0, 1, 2, 3}; !slices.Equal(gotA, want) {
		t.Errorf("AddTrial numbers in study a = %v, want %v", gotA, want)
	}
	if want := []int{0, 1}; !slices.Equal(gotB, want) {
		t.Errorf("AddTrial numbers in study b = %v, want %v", gotB, want)
	}
	for name, n := range map[string]int{"a": 4, "b": 2} {
		rs := mustTrials(t, s, name)
		if len(rs) != n {
			t.Errorf("Trials(%q): %d trials, want %d", name, len(rs), n)
		}
		for i, r := range rs {
			if r.Number != i {
				t.Errorf("Trials(%q)[%d].Number = %d", name, i, r.Number)
			}
		}
	}
	mustCreate(t, s, study("empty"))
	if rs := mustTrials(t, s, "empty"); len(rs) != 0 {
		t.Errorf("Trials of a study without trials = %d trials", len(rs))
	}
}

func testTrialsOrder(t *testing.T, s search.Store) {
	mustCreate(t, s, study("s"))
	const n = 12 // past 10, to catch ordering by text
	for i := range n {
		mustAdd(t, s, "s", record(i))
	}
	// Update in reverse so that storage order differs from number order.
	for i := n - 1; i >= 0; i-- {
		r := finished(record(i))
		r.Number = i
		if err := s.UpdateTrial(ctxOf(t), "s", r); err != nil {
			t.Fatal(err)
		}
	}
	rs := mustTrials(t, s, "s")
	if len(rs) != n {
		t.Fatalf("Trials: %d trials, want %d", len(rs), n)
	}
	for i, r := range rs {
		if r.Number != i || !r.Created.Equal(record(i).Created) {
			t.Errorf("Trials()[%d] is trial %d created %v", i, r.Number, r.Created)
		}
	}
}

func testTrialRoundTrip(t *testing.T, s search.Store) {
	mustCreate(t, s, study("s"))
	bare := search.TrialRecord{DNA: space.DNA{}, State: search.Running, Created: epoch}
	want := []search.TrialRecord{record(0), bare, finished(record(2))}
	for i := range want {
		want[i].Number = mustAdd(t, s, "s", want[i])
	}
	for _, st := range []search.State{search.Failed, search.Skipped, search.EarlyStopped} {
		r := finished(record(len(want)))
		r.State = st
		r.Number = mustAdd(t, s, "s", r)
		want = append(want, r)
	}
	got := mustTrials(t, s, "s")
	if len(got) != len(want) {
		t.Fatalf("Trials: %d trials, want %d", len(got), len(want))
	}
	for i := range want {
		if d := diffRecord(got[i], want[i]); d != "" {
			t.Errorf("trial %d:\n%s", i, d)
		}
	}
	if !got[1].Finished.IsZero() {
		t.Errorf("a zero Finished came back as %v", got[1].Finished)
	}
}

func testUpdateTrial(t *testing.T, s search.Store) {
	mustCreate(t, s, study("s"))
	mustCreate(t, s, study("other"))
	for i := range 3 {
		mustAdd(t, s, "s", record(i))
		mustAdd(t, s, "other", record(i))
	}
	want := finished(record(1))
	want.Number = 1
	if err := s.UpdateTrial(ctxOf(t), "s", want); err != nil {
		t.Fatal(err)
	}
	got := mustTrials(t, s, "s")
	if d := diffRecord(got[1], want); d != "" {
		t.Errorf("updated trial:\n%s", d)
	}
	for _, i := range []int{0, 2} {
		w := record(i)
		w.Number = i
		if d := diffRecord(got[i], w); d != "" {
			t.Errorf("UpdateTrial of trial 1 changed trial %d:\n%s", i, d)
		}
	}
	other := mustTrials(t, s, "other")
	w := record(1)
	w.Number = 1
	if d := diffRecord(other[1], w); d != "" {
		t.Errorf("UpdateTrial in study s changed trial 1 of study other:\n%s", d)
	}

	// A running trial may be updated again, also with emptier values.
	again := record(2)
	again.Number = 2
	again.Steps = nil
	if err := s.UpdateTrial(ctxOf(t), "s", again); err != nil {
		t.Fatal(err)
	}
	if d := diffRecord(mustTrials(t, s, "s")[2], again); d != "" {
		t.Errorf("second update:\n%s", d)
	}
	again.State, again.Error = search.Failed, "boom"
	if err := s.UpdateTrial(ctxOf(t), "s", again); err != nil {
		t.Fatal(err)
	}
	if d := diffRecord(mustTrials(t, s, "s")[2], again); d != "" {
		t.Errorf("failing update:\n%s", d)
	}
}

func testNotFound(t *testing.T, s search.Store) {
	ctx := ctxOf(t)
	mustCreate(t, s, study("s"))
	mustAdd(t, s, "s", record(0))
	check := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, search.ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", what, err)
		}
	}
	_, err := s.Study(ctx, "missing")
	check("Study(missing)", err)
	_, err = s.AddTrial(ctx, "missing", record(0))
	check("AddTrial(missing)", err)
	_, err = s.Trials(ctx, "missing")
	check("Trials(missing)", err)
	for _, n := range []int{-1, 1, 1000} {
		r := record(0)
		r.Number = n
		check(fmt.Sprintf("UpdateTrial(s, %d)", n), s.UpdateTrial(ctx, "s", r))
	}
	r := record(0)
	check("UpdateTrial(missing, 0)", s.UpdateTrial(ctx, "missing", r))
	if rs := mustTrials(t, s, "s"); len(rs) != 1 {
		t.Errorf("failed calls changed the study: %d trials, want 1", len(rs))
	}
}

func testTrialIsolation(t *testing.T, s search.Store) {
	mustCreate(t, s, study("s"))
	in := record(0)
	mustAdd(t, s, "s", in)
	want := record(0)
	mutate := func(r *search.TrialRecord) {
		r.DNA.Children[0].Value = 7
		r.DNA.Children[1].Children[0].Children[0].Value = 7
		r.Program.(*symbolic.Dict).Set("act", symbolic.String("changed"))
		r.Program.(*symbolic.Dict).Set("extra", symbolic.Int(1))
		r.Steps[0].Step = 7
		r.Steps[0].Metrics["acc"] = 7
		if r.Metrics != nil {
			r.Metrics["acc"] = 7
		}
	}
	mutate(&in)
	if d := diffRecord(mustTrials(t, s, "s")[0], want); d != "" {
		t.Fatalf("changing the record passed to AddTrial changed the stored one:\n%s", d)
	}

	upd := finished(record(0))
	if err := s.UpdateTrial(ctxOf(t), "s", upd); err != nil {
		t.Fatal(err)
	}
	mutate(&upd)
	want = finished(record(0))
	got := mustTrials(t, s, "s")[0]
	if d := diffRecord(got, want); d != "" {
		t.Fatalf("changing the record passed to UpdateTrial changed the stored one:\n%s", d)
	}

	mutate(&got)
	if d := diffRecord(mustTrials(t, s, "s")[0], want); d != "" {
		t.Errorf("changing a record returned by Trials changed the stored one:\n%s", d)
	}
}

func testCancelledContext(t *testing.T, s search.Store) {
	mustCreate(t, s, study("s"))
	mustAdd(t, s, "s", record(0))
	ctx, cancel := context.WithCancel(ctxOf(t))
	cancel()
	check := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v, want context.Canceled", what, err)
		}
	}
	check("CreateStudy", s.CreateStudy(ctx, study("t")))
	_, err := s.Study(ctx, "s")
	check("Study", err)
	_, err = s.Studies(ctx)
	check("Studies", err)
	_, err = s.AddTrial(ctx, "s", record(1))
	check("AddTrial", err)
	upd := finished(record(0))
	check("UpdateTrial", s.UpdateTrial(ctx, "s", upd))
	_, err = s.Trials(ctx, "s")
	check("Trials", err)

	// Nothing changed.
	if _, err := s.Study(ctxOf(t), "t"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("CreateStudy with a cancelled context created the study (%v)", err)
	}
	rs := mustTrials(t, s, "s")
	if len(rs) != 1 || rs[0].State != search.Running {
		t.Errorf("calls with a cancelled context changed the trials: %d trials, want 1 running", len(rs))
	}
}

func testConcurrentAddTrial(t *testing.T, s search.Store) {
	mustCreate(t, s, study("s"))
	AddConcurrently(t, []search.Store{s}, "s", 8, 10)
}

// AddConcurrently adds trials to study from goroutines (workers of them,
// each adding each trials) spread over the given stores, which may be
// several handles on one database, and checks that the numbers given are
// 0..n−1, each once, and that Trials returns them in order. Stores with
// several handles run it from their own tests.
func AddConcurrently(t *testing.T, stores []search.Store, study string, workers, each int) {
	t.Helper()
	var (
		mu   sync.Mutex
		nums []int
		wg   sync.WaitGroup
	)
	for w := range workers {
		s := stores[w%len(stores)]
		wg.Go(func() {
			for i := range each {
				r := record(w*each + i)
				r.Worker = fmt.Sprintf("w%d", w)
				n, err := s.AddTrial(ctxOf(t), study, r)
				if err != nil {
					t.Errorf("AddTrial: %v", err)
					return
				}
				mu.Lock()
				nums = append(nums, n)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.Sort(nums)
	for i, n := range nums {
		if n != i {
			t.Fatalf("concurrent AddTrial numbers %v: want 0..%d, each once", nums, workers*each-1)
		}
	}
	for _, s := range stores {
		rs := mustTrials(t, s, study)
		if len(rs) != workers*each {
			t.Fatalf("Trials: %d trials, want %d", len(rs), workers*each)
		}
		for i, r := range rs {
			if r.Number != i {
				t.Errorf("Trials()[%d].Number = %d", i, r.Number)
			}
		}
	}
}
