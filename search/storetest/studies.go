package storetest

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
)

// diffStudy describes how got differs from want, or returns "".
func diffStudy(got, want search.StudyInfo) string {
	return diff(want, got)
}

func testStudies(t *testing.T, s search.Store) {
	ctx := ctxOf(t)
	if got, err := s.Studies(ctx); err != nil || len(got) != 0 {
		t.Fatalf("Studies on an empty store = %v, %v; want none", got, err)
	}
	for _, name := range []string{"b", "a/trial-3/inner", "c", "a"} {
		mustCreate(t, s, study(name))
	}
	got, err := s.Studies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, st := range got {
		names = append(names, st.Name)
	}
	if want := []string{"a", "a/trial-3/inner", "b", "c"}; !slices.Equal(names, want) {
		t.Errorf("Studies = %q, want %q", names, want)
	}
	if err := s.CreateStudy(ctx, study("b")); !errors.Is(err, search.ErrExists) {
		t.Errorf("CreateStudy of an existing study: %v, want ErrExists", err)
	}
	if st, err := s.Study(ctx, "b"); err != nil {
		t.Errorf("Study(b): %v", err)
	} else if d := diffStudy(st, study("b")); d != "" {
		t.Errorf("Study(b):\n%s", d)
	}
	if _, err := s.Study(ctx, "missing"); !errors.Is(err, search.ErrNotFound) {
		t.Errorf("Study(missing): %v, want ErrNotFound", err)
	}
}

func testStudyRoundTrip(t *testing.T, s search.Store) {
	ctx := ctxOf(t)
	want := []search.StudyInfo{
		{Name: "nil-config", Objectives: []search.Metric{{Name: "acc"}}, Created: epoch},
		{
			Name: "with-config",
			Objectives: []search.Metric{
				{Name: "acc", Direction: search.Maximize},
				{Name: "latency", Direction: search.Minimize},
			},
			Config:  config(),
			Created: epoch.Add(time.Microsecond),
		},
	}
	for _, w := range want {
		mustCreate(t, s, w)
	}
	for _, w := range want {
		got, err := s.Study(ctx, w.Name)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffStudy(got, w); d != "" {
			t.Errorf("Study(%q):\n%s", w.Name, d)
		}
	}
	list, err := s.Studies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(want) {
		t.Fatalf("Studies: %d studies, want %d", len(list), len(want))
	}
	for i := range want {
		if d := diffStudy(list[i], want[i]); d != "" {
			t.Errorf("Studies()[%d]:\n%s", i, d)
		}
	}
}

func testStudyIsolation(t *testing.T, s search.Store) {
	ctx := ctxOf(t)
	in := study("s")
	in.Config = config()
	mustCreate(t, s, in)
	in.Objectives[0].Name = "changed"
	in.Config.(*symbolic.Dict).Set("budget", symbolic.Int(-1))

	want := study("s")
	want.Config = config()
	got, err := s.Study(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if d := diffStudy(got, want); d != "" {
		t.Fatalf("changing the StudyInfo passed to CreateStudy changed the stored one:\n%s", d)
	}
	got.Objectives[0].Name = "changed"
	got.Config.(*symbolic.Dict).Set("budget", symbolic.Int(-2))
	list, err := s.Studies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	list[0].Objectives[0].Name = "changed"
	list[0].Config.(*symbolic.Dict).Set("budget", symbolic.Int(-3))
	got, err = s.Study(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if d := diffStudy(got, want); d != "" {
		t.Errorf("changing a StudyInfo returned by Study or Studies changed the stored one:\n%s", d)
	}
}

// testStudyNames checks that a store refuses the names CheckStudyName
// refuses, storing nothing, and keeps every name it accepts exactly.
func testStudyNames(t *testing.T, s search.Store) {
	ctx := ctxOf(t)
	bad := []struct{ name, study string }{
		{"empty", ""},
		{"NUL byte", "a\x00b"},
		{"newline", "a\nb"},
		{"escape sequence", "a\x1b[31mred"},
		{"invalid UTF-8", "a\xffb"},
		{"DEL", "a\x7fb"},
		{"leading space", " a"},
		{"too long", strings.Repeat("x", search.MaxStudyNameBytes+1)},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.CreateStudy(ctx, study(tc.study)); !errors.Is(err, search.ErrInvalidName) {
				t.Errorf("CreateStudy(%q): %v, want ErrInvalidName", tc.study, err)
			}
		})
	}
	if got, err := s.Studies(ctx); err != nil || len(got) != 0 {
		t.Fatalf("Studies after refused names = %v, %v; want none", got, err)
	}
	good := []string{"a b", "über/trial-0/日本", "x!@#$%^&*()", strings.Repeat("y", search.MaxStudyNameBytes)}
	for _, name := range good {
		mustCreate(t, s, study(name))
		if st, err := s.Study(ctx, name); err != nil || st.Name != name {
			t.Errorf("Study(%q) = %q, %v", name, st.Name, err)
		}
	}
}
