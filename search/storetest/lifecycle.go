package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/c2602f9e/goglove/search"
)

// The tests of this file check deleting, renaming and copying studies.

// fillStudy creates a study with a config and three trials: a completed
// one with steps, a failed one and a running, watched one; it returns
// the trials as stored.
func fillStudy(t *testing.T, s search.Store, name string) []search.TrialRecord {
	t.Helper()
	info := study(name)
	info.Config = config()
	mustCreate(t, s, info)
	mustAdd(t, s, name, record(0))
	if err := s.UpdateTrial(ctxOf(t), name, finished(record(0))); err != nil {
		t.Fatal(err)
	}
	n := mustAdd(t, s, name, record(1))
	bad := record(1)
	bad.Number, bad.State, bad.Error, bad.Finished = n, search.Failed, "diverged", epoch
	if err := s.UpdateTrial(ctxOf(t), name, bad); err != nil {
		t.Fatal(err)
	}
	propose(t, s, name, -1, 2)
	return mustTrials(t, s, name)
}

// sameTrials reports how the trials got differ from want, Heartbeat and
// Seq included, or "".
func sameTrials(got, want []search.TrialRecord) string {
	return diff(want, got, cmpopts.IgnoreFields(search.TrialRecord{}, "Watched", "Lease", "Claim"))
}

func studyNames(t *testing.T, s search.Store) []string {
	t.Helper()
	list, err := s.Studies(ctxOf(t))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, st := range list {
		names = append(names, st.Name)
	}
	return names
}

// gone checks that the study name does not exist for any method.
func gone(t *testing.T, s search.Store, name string) {
	t.Helper()
	ctx := ctxOf(t)
	if _, err := s.Study(ctx, name); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("Study(%q): %v, want ErrNotFound", name, err)
	}
	if _, err := s.Trials(ctx, name); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("Trials(%q): %v, want ErrNotFound", name, err)
	}
	if _, err := s.AddTrial(ctx, name, record(5)); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("AddTrial(%q): %v, want ErrNotFound", name, err)
	}
	if _, _, err := s.Propose(ctx, name, -1, func([]search.TrialRecord, int64) (*search.TrialRecord, error) {
		r := record(5)
		return &r, nil
	}); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("Propose(%q): %v, want ErrNotFound", name, err)
	}
	upd := finished(record(0))
	if err := s.UpdateTrial(ctx, name, upd); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("UpdateTrial(%q): %v, want ErrNotFound", name, err)
	}
}

func testDeleteStudy(t *testing.T, s search.Store) {
	ctx := ctxOf(t)
	fillStudy(t, s, "a")
	keep := fillStudy(t, s, "b")
	mustCreate(t, s, study("a/trial-0/inner"))
	if err := s.DeleteStudy(ctx, "a"); err != nil {
		t.Fatalf("DeleteStudy: %v", err)
	}
	gone(t, s, "a")
	if got, want := studyNames(t, s), []string{"a/trial-0/inner", "b"}; !slices.Equal(got, want) {
		t.Errorf("Studies after deleting a = %q, want %q (a nested study is a study of its own)", got, want)
	}
	if d := sameTrials(mustTrials(t, s, "b"), keep); d != "" {
		t.Errorf("deleting a changed the trials of b: %s", d)
	}
	if err := s.DeleteStudy(ctx, "a"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("deleting a again: %v, want ErrNotFound", err)
	}
	if err := s.DeleteStudy(ctx, "missing"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("DeleteStudy(missing): %v, want ErrNotFound", err)
	}

	// A study created under the name again starts empty, with its own
	// config and numbers from 0.
	mustCreate(t, s, study("a"))
	if st, err := s.Study(ctx, "a"); err != nil || st.Config != nil {
		t.Errorf("the new study a: %+v, %v; want no config (the deleted one had one)", st, err)
	}
	if rs := mustTrials(t, s, "a"); len(rs) != 0 {
		t.Errorf("the new study a has %d trials, want none", len(rs))
	}
	if n, seq := propose(t, s, "a", -1, 3); n != 0 {
		t.Errorf("first trial of the new study a: number %d, want 0", n)
	} else if changed := changes(t, s, "a", -1); len(changed) != 1 || changed[0].Number != 0 || changed[0].Seq != seq {
		t.Errorf("Propose(since -1) in the new study a sees %d trials, want only its own", len(changed))
	}
}

// changes returns what Propose hands its fn for the changes since since,
// adding nothing.
func changes(t *testing.T, s search.Store, study string, since int64) []search.TrialRecord {
	t.Helper()
	var out []search.TrialRecord
	_, _, err := s.Propose(ctxOf(t), study, since, func(changed []search.TrialRecord, _ int64) (*search.TrialRecord, error) {
		out = slices.Clone(changed)
		return nil, nil
	})
	if err != nil {
		t.Fatalf("Propose(%q): %v", study, err)
	}
	return out
}

func testRenameStudy(t *testing.T, s search.Store) {
	ctx := ctxOf(t)
	want := fillStudy(t, s, "a")
	keep := fillStudy(t, s, "b")
	if err := s.RenameStudy(ctx, "a", "c"); err != nil {
		t.Fatalf("RenameStudy: %v", err)
	}
	gone(t, s, "a")
	info := study("c")
	info.Config = config()
	if st, err := s.Study(ctx, "c"); err != nil {
		t.Errorf("Study(c): %v", err)
	} else if d := diffStudy(st, info); d != "" {
		t.Errorf("the renamed study:\n%s", d)
	}
	if d := sameTrials(mustTrials(t, s, "c"), want); d != "" {
		t.Errorf("the renamed study's trials: %s", d)
	}
	if got := studyNames(t, s); !slices.Equal(got, []string{"b", "c"}) {
		t.Errorf("Studies after renaming a to c = %q", got)
	}
	// The renamed study goes on: its next trial and change numbers
	// follow its own.
	n, seq := propose(t, s, "c", want[len(want)-1].Seq, 4)
	if n != len(want) || seq <= want[len(want)-1].Seq {
		t.Errorf("Propose in the renamed study: trial %d, change %d; want %d, after %d", n, seq, len(want), want[len(want)-1].Seq)
	}

	for _, tc := range []struct {
		name, old, new string
		want           error
	}{
		{"to an existing study", "c", "b", search.ErrExists},
		{"to itself", "c", "c", search.ErrExists},
		{"a missing study", "missing", "d", search.ErrNotFound},
		{"the old name", "a", "d", search.ErrNotFound},
	} {
		if err := s.RenameStudy(ctx, tc.old, tc.new); !errors.Is(err, tc.want) {
			t.Errorf("RenameStudy %s (%q to %q): %v, want %v", tc.name, tc.old, tc.new, err, tc.want)
		}
	}
	if d := sameTrials(mustTrials(t, s, "b"), keep); d != "" {
		t.Errorf("the refused renames changed b: %s", d)
	}
	if got := mustTrials(t, s, "c"); len(got) != len(want)+1 {
		t.Errorf("the refused renames changed c: %d trials, want %d", len(got), len(want)+1)
	}
	if got := studyNames(t, s); !slices.Equal(got, []string{"b", "c"}) {
		t.Errorf("Studies after the refused renames = %q", got)
	}
}

func testCopyStudy(t *testing.T, s search.Store) {
	ctx := ctxOf(t)
	want := fillStudy(t, s, "a")
	mustCreate(t, s, study("b"))
	if err := s.CopyStudy(ctx, "a", "c"); err != nil {
		t.Fatalf("CopyStudy: %v", err)
	}
	info := study("c")
	info.Config = config()
	if st, err := s.Study(ctx, "c"); err != nil {
		t.Errorf("Study(c): %v", err)
	} else if d := diffStudy(st, info); d != "" {
		t.Errorf("the copy:\n%s", d)
	}
	if d := sameTrials(mustTrials(t, s, "c"), want); d != "" {
		t.Errorf("the copy's trials: %s", d)
	}
	if d := sameTrials(changes(t, s, "c", -1), want); d != "" {
		t.Errorf("Propose(since -1) in the copy: %s", d)
	}
	// The two go separate ways.
	last := want[len(want)-1].Seq
	if n, seq := propose(t, s, "c", last, 5); n != len(want) || seq <= last {
		t.Errorf("Propose in the copy: trial %d, change %d; want %d, after %d", n, seq, len(want), last)
	}
	done := finished(want[2])
	if err := s.UpdateTrial(ctx, "c", done); err != nil {
		t.Fatal(err)
	}
	if d := sameTrials(mustTrials(t, s, "a"), want); d != "" {
		t.Errorf("changing the copy changed the original: %s", d)
	}
	if got := changes(t, s, "a", last); len(got) != 0 {
		t.Errorf("the original sees %d changes of the copy", len(got))
	}
	if err := s.DeleteStudy(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if got := mustTrials(t, s, "c"); len(got) != len(want)+1 || got[2].State != search.Completed {
		t.Errorf("deleting the original changed the copy: %d trials", len(got))
	}

	for _, tc := range []struct {
		name, from, to string
		want           error
	}{
		{"to an existing study", "c", "b", search.ErrExists},
		{"to itself", "c", "c", search.ErrExists},
		{"a missing study", "missing", "d", search.ErrNotFound},
	} {
		if err := s.CopyStudy(ctx, tc.from, tc.to); !errors.Is(err, tc.want) {
			t.Errorf("CopyStudy %s (%q to %q): %v, want %v", tc.name, tc.from, tc.to, err, tc.want)
		}
	}
	if got := mustTrials(t, s, "b"); len(got) != 0 {
		t.Errorf("the refused copy to b gave it %d trials", len(got))
	}
	if got := studyNames(t, s); !slices.Equal(got, []string{"b", "c"}) {
		t.Errorf("Studies = %q, want [b c]", got)
	}
}

func testStudyOpsCancelled(t *testing.T, s search.Store) {
	fillStudy(t, s, "a")
	ctx, cancel := context.WithCancel(ctxOf(t))
	cancel()
	for what, err := range map[string]error{
		"DeleteStudy": s.DeleteStudy(ctx, "a"),
		"RenameStudy": s.RenameStudy(ctx, "a", "b"),
		"CopyStudy":   s.CopyStudy(ctx, "a", "c"),
	} {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v, want context.Canceled", what, err)
		}
	}
	if got := studyNames(t, s); !slices.Equal(got, []string{"a"}) {
		t.Errorf("Studies after calls with a cancelled context = %q, want [a]", got)
	}
}
