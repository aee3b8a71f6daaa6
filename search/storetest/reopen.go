package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// Reopen checks that what a store keeps outlives it: a study (with a
// config holding hyper-values) and a trial written through one store are
// read back through another opened on the same database, which numbers
// the next trial after them. open must open the same database each time
// (with a registry that knows the space tags); Reopen closes the stores.
func Reopen(t *testing.T, open func(t *testing.T) search.Store) {
	t.Helper()
	ctx := t.Context()
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		t.Fatal(err)
	}
	// A config holding a hyper-value, as a search config does.
	config, err := reg.DecodeYAML([]byte("space:\n  act: !oneof [relu, gelu]\n  lr: !float {min: 1.0e-4, max: 0.1}\nbudget: 3\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	info := search.StudyInfo{
		Name:       "s",
		Objectives: []search.Metric{{Name: "loss", Direction: search.Minimize}},
		Config:     config,
		Created:    time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC),
	}
	rec := search.TrialRecord{
		DNA:     space.DNA{Children: []space.DNA{{Value: 1}, {Value: 0.05}}},
		DNAText: "[1, 0.05]",
		State:   search.Completed,
		Metrics: search.Metrics{"loss": 0.25},
		Attempt: 1,
		Created: info.Created,
	}
	s := open(t)
	if err := s.CreateStudy(ctx, info); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddTrial(ctx, "s", rec); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t)
	defer s.Close()
	got, err := s.Study(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if !symbolic.Equal(got.Config, config) || !slices.Equal(got.Objectives, info.Objectives) || !got.Created.Equal(info.Created) {
		t.Errorf("reopened study = %+v, want %+v", got, info)
	}
	rs, err := s.Trials(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || !rs[0].DNA.Equal(rec.DNA) || rs[0].Metrics["loss"] != 0.25 || rs[0].State != search.Completed {
		t.Errorf("reopened trials = %+v", rs)
	}
	if n, err := s.AddTrial(ctx, "s", rec); err != nil || n != 1 {
		t.Errorf("AddTrial after reopening = %d, %v; want 1", n, err)
	}
}
