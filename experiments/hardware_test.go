package experiments_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/experiments"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer/data"
)

func needFashionMNIST(t *testing.T) {
	t.Helper()
	if _, err := data.FashionMNIST("", 0); errors.Is(err, data.ErrNotFound) {
		t.Skipf("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): %v", err)
	} else if err != nil {
		t.Fatal(err)
	}
}

// TestHardwareQuick runs the quick mode: 4 outer trials of 2 inner
// trials; the outer trial whose budget no program meets fails with its
// inner programs skipped as infeasible, and every point of the front is
// a feasible winner of its inner study.
func TestHardwareQuick(t *testing.T) {
	needFashionMNIST(t)
	ctx := t.Context()
	st := search.NewMemStore()
	res, err := experiments.RunHardware(ctx, experiments.HardwareOptions{Quick: true, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	if res.OuterTrials != 4 || res.InnerTrials != 8 {
		t.Fatalf("%d outer and %d inner trials, want 4 and 8", res.OuterTrials, res.InnerTrials)
	}
	if res.Failed != 2 || res.Infeasible < 4 {
		t.Errorf("%d outer trials failed, %d inner trials infeasible; want the 2 with the budget of 0.001 µs, with their 4 inner trials", res.Failed, res.Infeasible)
	}
	if len(res.Front) == 0 {
		t.Fatal("an empty front")
	}
	outer, _ := st.Trials(ctx, res.Study)
	for _, o := range outer {
		budget := 1000.0
		if b, _ := symbolic.GetPath(o.Program, "latency_budget_us"); b.String() != "1000" {
			budget = 0.001
		}
		inner, _ := st.Trials(ctx, search.InnerStudyName(res.Study, o.Number, "arch"))
		for _, it := range inner {
			lat, ok := it.Metrics[experiments.MetricLatencyUS]
			switch {
			case !ok || !(lat > 0):
				t.Errorf("outer %d, inner %d: latency %v", o.Number, it.Number, lat)
			case lat > budget && (it.State != search.Skipped || !strings.HasPrefix(it.Error, "infeasible: latency_us")):
				t.Errorf("outer %d, inner %d: latency %v over the budget %v, but %s %q", o.Number, it.Number, lat, budget, it.State, it.Error)
			case lat <= budget && it.State != search.Completed:
				t.Errorf("outer %d, inner %d: latency %v within the budget %v, but %s", o.Number, it.Number, lat, budget, it.State)
			}
		}
		if (budget < 1) != (o.State == search.Failed) {
			t.Errorf("outer trial %d (budget %v): %s %q", o.Number, budget, o.State, o.Error)
		}
	}
	for _, p := range res.Front {
		if len(p.LatencyBudgetsUS) == 0 || p.LatencyUS > slices.Min(p.LatencyBudgetsUS) || p.Threads != 1 || p.Batch != 32 || (p.Kernel != "fp32" && p.Kernel != "ternary") {
			t.Errorf("front point %+v: want a feasible fp32 or ternary deployment of 1 thread, batch 32", p)
		}
		if !(p.ValAccuracy > 0.5) || !(p.TestAccuracy > 0.5) {
			t.Errorf("front point %+v: accuracy at chance on three classes", p)
		}
		if h, ok := p.Architecture["hidden"].([]any); !ok || len(h) != 1 {
			t.Errorf("front point %+v: architecture without its hidden widths", p)
		}
		trials, _ := st.Trials(ctx, p.InnerStudy)
		for _, it := range trials {
			if it.State == search.Completed && it.Metrics["val_accuracy"] > p.ValAccuracy {
				t.Errorf("%s: trial %d has val_accuracy %v above the winner's %v", p.InnerStudy, it.Number, it.Metrics["val_accuracy"], p.ValAccuracy)
			}
		}
	}
	t.Logf("front: %+v", res.Front)
}

// TestHardwareConfig: the experiment's config loads with the CLI's
// builtins, is nested (an inner search as its objective) and refers to
// the outer program's quantizer, threads, batch and budget.
func TestHardwareConfig(t *testing.T) {
	reg, err := experiments.HardwareRegistry()
	if err != nil {
		t.Fatal(err)
	}
	for _, quick := range []bool{false, true} {
		cfg, err := experiments.HardwareConfig(reg, quick)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cfg.Job(experiments.HardwareConfigFile, experiments.Builtins()); err != nil {
			t.Fatalf("quick %v: %v", quick, err)
		}
		text := cfg.Tree().String()
		for _, ref := range []string{"!outer quant", "!outer threads", "!outer batch", "!outer latency_budget_us"} {
			if !strings.Contains(text, ref) {
				t.Errorf("quick %v: the config has no %s", quick, ref)
			}
		}
	}
	_ = context.Background
}
