package plots_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/c2602f9e/goglove/plots"
	"github.com/c2602f9e/goglove/search"
)

// TestHistoryBestSoFar checks that the best-so-far line is the running
// minimum of the objective points.
func TestHistoryBestSoFar(t *testing.T) {
	c, err := plots.History(fixture(t, 60))
	if err != nil {
		t.Fatal(err)
	}
	obj, best := c.Panels[0].Series[0], c.Panels[0].Series[1]
	if len(obj.Points) != len(best.Points) || len(obj.Points) == 0 {
		t.Fatalf("%d objective points, %d best", len(obj.Points), len(best.Points))
	}
	m := math.Inf(1)
	for i, p := range obj.Points {
		m = math.Min(m, p.Y)
		if best.Points[i].Y != m || best.Points[i].X != p.X {
			t.Fatalf("point %d: best so far %v, want (%v, %v)", i, best.Points[i], p.X, m)
		}
	}
}

// TestEDF checks that the distribution rises from 0 to 1 over sorted
// values.
func TestEDF(t *testing.T) {
	c, err := plots.EDF(fixture(t, 60))
	if err != nil {
		t.Fatal(err)
	}
	pts := c.Panels[0].Series[0].Points
	if pts[0].Y != 0 || pts[len(pts)-1].Y != 1 {
		t.Fatalf("EDF from %v to %v, want 0 to 1", pts[0].Y, pts[len(pts)-1].Y)
	}
	for i := 1; i < len(pts); i++ {
		if pts[i].X < pts[i-1].X || pts[i].Y < pts[i-1].Y {
			t.Fatalf("EDF falls between points %d and %d: %v, %v", i-1, i, pts[i-1], pts[i])
		}
	}
}

// TestParetoFront checks that no trial dominates a trial of the front,
// and that every other trial is dominated by one of it.
func TestParetoFront(t *testing.T) {
	s := fixture(t, 80)
	front, rest := plots.ParetoFront(s)
	dominates := func(a, b *search.TrialRecord) bool {
		l, z := a.Metrics["loss"], a.Metrics["size"]
		return l <= b.Metrics["loss"] && z <= b.Metrics["size"] && (l < b.Metrics["loss"] || z < b.Metrics["size"])
	}
	all := append(append([]*search.TrialRecord(nil), front...), rest...)
	for _, f := range front {
		for _, o := range all {
			if dominates(o, f) {
				t.Errorf("trial %d of the front is dominated by trial %d", f.Number, o.Number)
			}
		}
	}
	for _, r := range rest {
		ok := false
		for _, f := range front {
			ok = ok || dominates(f, r)
		}
		if !ok {
			t.Errorf("trial %d is off the front but no trial of it dominates it", r.Number)
		}
	}
	if len(front) == 0 {
		t.Fatal("empty front")
	}
}

// importanceStudy returns a study of n random trials of the fixture's
// space whose loss is f of the decisions.
func importanceStudy(t *testing.T, n int, f func(row map[string]float64) float64) *plots.Study {
	sp := spec(t, fixtureSpace)
	rng := rand.New(rand.NewPCG(7, 8))
	s := &plots.Study{Name: "imp", Spec: sp, Objectives: []search.Metric{{Name: "loss", Direction: search.Minimize}}}
	for i := range n {
		dna := sp.Random(rng)
		row := map[string]float64{}
		for k, c := range sp.Row(dna) {
			row[k] = c.Number
		}
		s.Trials = append(s.Trials, search.TrialRecord{Number: i, DNA: dna, State: search.Completed,
			Metrics: search.Metrics{"loss": f(row) + 1e-3*rng.Float64()}})
	}
	return s
}

// TestImportances checks the estimate's properties: the importances sum
// to 1; a decision the loss depends on outranks every other; a
// conditional decision that alone decides the loss where it exists
// outranks the decisions that do not matter, weighted by how often it
// exists.
func TestImportances(t *testing.T) {
	tests := []struct {
		name string
		loss func(map[string]float64) float64
		top  string
	}{
		{name: "lr decides", loss: func(r map[string]float64) float64 { return math.Abs(math.Log10(r["lr"]) + 2) }, top: "lr"},
		{name: "depth decides", loss: func(r map[string]float64) float64 { return r["depth"] }, top: "depth"},
		{name: "momentum decides where it exists", loss: func(r map[string]float64) float64 {
			if m, ok := r["opt[0].momentum"]; ok {
				return m
			}
			return 0.45 // adam is as good as the median sgd
		}, top: "opt[0].momentum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			imps, err := plots.Importances(importanceStudy(t, 400, tt.loss))
			if err != nil {
				t.Fatal(err)
			}
			sum, best := 0.0, plots.Importance{}
			for _, im := range imps {
				sum += im.Value
				if im.Value > best.Value {
					best = im
				}
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Errorf("importances sum to %v, want 1: %+v", sum, imps)
			}
			if best.Decision != tt.top {
				t.Errorf("most important %q, want %q: %+v", best.Decision, tt.top, imps)
			}
		})
	}
	t.Run("too few trials", func(t *testing.T) {
		_, err := plots.Importances(importanceStudy(t, 3, func(map[string]float64) float64 { return 0 }))
		if !errors.Is(err, plots.ErrNoData) {
			t.Fatalf("err = %v, want ErrNoData", err)
		}
	})
}

// TestDecisionPlotsNeedASpace checks that the plots of decisions refuse a
// study whose space is not known, and the others draw it.
func TestDecisionPlotsNeedASpace(t *testing.T) {
	s := fixture(t, 20)
	s.Spec = nil
	for _, kind := range plots.Kinds {
		_, err := plots.Build(kind, s, nil)
		switch kind {
		case "parallel", "slice", "importance":
			if !errors.Is(err, plots.ErrNoData) {
				t.Errorf("%s without a space: err = %v, want ErrNoData", kind, err)
			}
		default:
			if err != nil {
				t.Errorf("%s without a space: %v", kind, err)
			}
		}
	}
	if _, err := plots.Build("pie", s, nil); !errors.Is(err, plots.ErrKind) {
		t.Errorf("Build(pie) = %v, want ErrKind", err)
	}
}
