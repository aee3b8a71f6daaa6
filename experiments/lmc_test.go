package experiments_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/experiments"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/c2602f9e/goglove/trainer/data"
)

func TestLMCCheckOptions(t *testing.T) {
	for _, tt := range []struct {
		o    experiments.LMCOptions
		want string
	}{
		{experiments.LMCOptions{Width: -1}, "experiments: lmc: width: -1 is out of range; want 1 to 65536"},
		{experiments.LMCOptions{Epochs: -2}, "experiments: lmc: epochs: -2 is out of range; want 1 to 100000"},
		{experiments.LMCOptions{Seeds: []int64{0, 1}}, "experiments: lmc: seeds: 2 seeds; want three (models 1, 2 and 3)"},
		{experiments.LMCOptions{Seeds: []int64{0, 1, 1}}, "experiments: lmc: seeds: 1 is given twice"},
		{experiments.LMCOptions{Seeds: []int64{0, -1, 1}}, "experiments: lmc: seeds: -1 is out of range; want seeds ≥ 0"},
	} {
		if err := tt.o.Check(); err == nil || err.Error() != tt.want {
			t.Errorf("Check(%+v) = %v, want %s", tt.o, err, tt.want)
		}
	}
	if err := (experiments.LMCOptions{}).Check(); err != nil {
		t.Errorf("the protocol: %v", err)
	}
}

// The program is the protocol, inside the schema (so the cache keys it).
func TestLMCProgram(t *testing.T) {
	p := experiments.LMCProgram(256, 5, 1)
	b, err := trainer.Canonical(p)
	if err != nil {
		t.Fatalf("the program is outside the schema: %v", err)
	}
	v, err := newRegistry(t).DecodeYAML(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := symbolic.To[*trainer.Classifier](v)
	if err != nil {
		t.Fatal(err)
	}
	if b2, _ := trainer.Canonical(again); string(b2) != string(b) {
		t.Errorf("the canonical form changes through YAML:\n%s\n%s", b, b2)
	}
	s := string(b)
	for _, want := range []string{"standardize: true", "validation: 0", "batch: 500", "init: torch_linear", "lr: 0.001", "weight_decay: 0", "seed: 1", "epochs: 5", "units: 256", "units: 10", "schedule: constant"} {
		if !strings.Contains(s, want) {
			t.Errorf("the program has no %q:\n%s", want, s)
		}
	}
	if strings.Count(s, "units: 256") != 3 || strings.Count(s, "_type: trainer.ReLU") != 3 {
		t.Errorf("not 784-256-256-256-10 ReLU:\n%s", s)
	}
	net, err := p.Model.Network(784, 10, 1)
	if err != nil || net.NumParams() != 784*256+256+2*(256*256+256)+256*10+10 {
		t.Errorf("network: %v, %d parameters", err, net.NumParams())
	}
}

// lmcResult is a result whose figures bear every claim out.
func lmcResult() experiments.LMCResult {
	return experiments.LMCResult{
		LossBarrierNaive: 1.2, LossBarrierWM: 0.1, LossBarrierSTE: 0.2,
		AccBarrierNaive: 0.4, AccBarrierWM: 0.03, MidAccNaive: 0.45, MidAccWM: 0.84, MidAccSTE: 0.8,
		L2Ratio: 0.9, PermSingularValuesMaxDiff: 1e-12, SVAlignmentNaive: 0.3, SVAlignmentWM: 0.8,
		BCLossBarrierNaive: 1.3, BCLossBarrierWMAnchor: 0.3, BCLossBarrierSTE: 0.6,
		Avg3AccNaive: 0.1, Avg3AccWM: 0.8, Avg3AccSTE: 0.7,
	}
}

func verdicts(cs []experiments.Check) []experiments.Verdict {
	var out []experiments.Verdict
	for _, c := range cs {
		out = append(out, c.Verdict)
	}
	return out
}

// CheckLMC says yes, no or partly as the figures say, and the answers
// carry them.
func TestCheckLMC(t *testing.T) {
	yes, no, partly := experiments.VerdictYes, experiments.VerdictNo, experiments.VerdictPartly
	all := lmcResult()
	got := experiments.CheckLMC(all)
	if want := []experiments.Verdict{yes, yes, yes, yes, yes, yes, yes}; !slices.Equal(verdicts(got), want) {
		t.Errorf("verdicts %v, want %v", verdicts(got), want)
	}
	if a := got[1].Answer; a != "Yes: the loss barrier falls from 1.2000 to 0.1000 nats (91.67% of it removed; most means at least half), the accuracy barrier from 40.00 to 3.00 points." {
		t.Errorf("answer %q", a)
	}
	for _, tt := range []struct {
		name   string
		change func(*experiments.LMCResult)
		want   []experiments.Verdict
	}{
		{"low barrier", func(r *experiments.LMCResult) { r.LossBarrierNaive, r.LossBarrierWM = 0.05, 0.01 }, []experiments.Verdict{no, yes, yes, yes, yes, yes, yes}},
		{"wm lowers it a little", func(r *experiments.LMCResult) { r.LossBarrierWM = 0.9 }, []experiments.Verdict{yes, partly, yes, yes, yes, no, yes}},
		{"wm raises it", func(r *experiments.LMCResult) { r.LossBarrierWM = 1.5 }, []experiments.Verdict{yes, no, no, yes, yes, no, yes}},
		{"distance falls much", func(r *experiments.LMCResult) { r.L2Ratio = 0.5 }, []experiments.Verdict{yes, yes, no, yes, yes, yes, yes}},
		{"singular values move", func(r *experiments.LMCResult) { r.PermSingularValuesMaxDiff = 0.01 }, []experiments.Verdict{yes, yes, yes, no, yes, yes, yes}},
		{"vectors not aligned", func(r *experiments.LMCResult) { r.SVAlignmentWM = 0.2 }, []experiments.Verdict{yes, yes, yes, yes, no, yes, yes}},
		{"ste better on three", func(r *experiments.LMCResult) { r.Avg3AccSTE, r.BCLossBarrierSTE = 0.9, 0.1 }, []experiments.Verdict{yes, yes, yes, yes, yes, yes, no}},
		{"ste better average", func(r *experiments.LMCResult) { r.Avg3AccSTE = 0.9 }, []experiments.Verdict{yes, yes, yes, yes, yes, yes, partly}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := lmcResult()
			tt.change(&r)
			if got := verdicts(experiments.CheckLMC(r)); !slices.Equal(got, tt.want) {
				t.Errorf("verdicts %v, want %v", got, tt.want)
			}
		})
	}
}

// The quick mode on the real data: the figures are in range, weight
// matching lowers the naive barrier and keeps the singular values, and a
// second run takes the three models from the cache.
func TestRunLMCQuick(t *testing.T) {
	if _, err := data.FashionMNIST("", 0); errors.Is(err, data.ErrNotFound) {
		t.Skipf("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): %v", err)
	}
	c, err := cache.Open(t.TempDir(), 0)
	if err != nil {
		t.Fatal(err)
	}
	env := &trainer.Env{Cache: c}
	o := experiments.LMCOptions{Width: experiments.LMCQuickWidth, Epochs: experiments.LMCQuickEpochs, STESteps: experiments.LMCQuickSTESteps}
	var lines []string
	r, err := experiments.RunLMC(context.Background(), o, env, func(s string) { lines = append(lines, s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Acc) != 3 || len(lines) != 7 || !strings.Contains(lines[5], ", AM ") || !strings.HasPrefix(lines[0], "lmc: model 1 (seed 0): test accuracy ") {
		t.Fatalf("acc %v, progress %q", r.Acc, lines)
	}
	for i, a := range r.Acc {
		if !(a > 0.6 && a < 1) || !(r.TrainSeconds[i] > 0) {
			t.Errorf("model %d: accuracy %g, trained in %gs", i+1, a, r.TrainSeconds[i])
		}
	}
	if !(r.LossBarrierNaive > r.LossBarrierWM) || !(r.L2Ratio > 0 && r.L2Ratio < 1) || !(r.PermSingularValuesMaxDiff < 1e-5) ||
		!(r.Avg3AccWM > r.Avg3AccNaive) || !(r.LossBarrierAM < r.LossBarrierNaive) || !(r.AMSeconds > 0) || !(r.WMSeconds > 0) || len(r.Paths.Naive) != 11 || len(r.Paths.STE) != 11 {
		t.Errorf("result %+v", r)
	}
	// The ends are the models (model 2 permuted: float32 sums in another
	// order).
	if r.Paths.WM[0] != r.Paths.Naive[0] || math.Abs(r.Paths.WM[10].Loss-r.Paths.Naive[10].Loss) > 1e-6 || r.Paths.WM[10].Accuracy != r.Acc[1] {
		t.Errorf("the paths do not share their ends: %+v, %+v", r.Paths.WM, r.Paths.Naive)
	}
	again, err := experiments.RunLMC(context.Background(), o, env, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.Cached, []bool{true, true, true}) || !slices.Equal(again.Acc, r.Acc) || again.LossBarrierWM != r.LossBarrierWM {
		t.Errorf("second run: cached %v, acc %v (first %v)", again.Cached, again.Acc, r.Acc)
	}
}
