package trainer_test

import (
	"context"
	"errors"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// hookProgram is a small Go program of 3 epochs of 7 steps each (the last
// of 20 rows), with dropout, LayerNorm and a cosine schedule after a
// warm-up.
func hookProgram() *trainer.Classifier {
	return &trainer.Classifier{
		Data:      trainer.Synthetic{Train: 500, Validation: 200, Test: 200, Features: 12, Classes: 3, Clusters: 2, Noise: 0.3},
		Model:     trainer.MLP{Hidden: []int{16}, Activation: "gelu", LayerNorm: true, Dropout: 0.1},
		Optimizer: trainer.AdamW{LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01},
		Epochs:    3, Batch: 80, Seed: 5, Schedule: "cosine", Warmup: 4, LRFloor: 0.1,
	}
}

// initial returns the network c starts from.
func initial(t *testing.T, c *trainer.Classifier) *nn.Sequential {
	t.Helper()
	net, err := c.Model.Network(12, 3, uint64(c.Seed))
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// sameBits reports whether a and b hold the same float32 values, bit for
// bit.
func sameBits(a, b []float32) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) })
}

// TestHooksChooseTrainedParams checks the two ways a Start hook decides
// which parameters train: frozen parameters and narrowed Model.Params
// both end bit-unchanged, while the others train.
func TestHooksChooseTrainedParams(t *testing.T) {
	tests := []struct {
		name  string
		start func(*trainer.Run) error
		fixed func(*nn.Param) bool // the parameters that must not change
	}{
		{"freeze the first layer", func(r *trainer.Run) error {
			for _, p := range r.Net.Params() {
				p.Frozen = strings.HasPrefix(p.Name, "layers[0].")
			}
			return nil
		}, func(p *nn.Param) bool { return strings.HasPrefix(p.Name, "layers[0].") }},
		{"train the weights only", func(r *trainer.Run) error {
			r.Model.Params = nn.ParamsByRole(r.Net.Params(), nn.RoleWeight)
			return nil
		}, func(p *nn.Param) bool { return p.Role != nn.RoleWeight }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := hookProgram()
			m, net, err := trainer.TrainNetwork(context.Background(), c, &trainer.TrainOptions{Hooks: []trainer.Hooks{{Start: tc.start}}})
			if err != nil {
				t.Fatal(err)
			}
			if m[trainer.MetricSteps] != 21 {
				t.Errorf("steps %v, want 21", m[trainer.MetricSteps])
			}
			start := initial(t, c)
			fixed := 0
			for i, p := range net.Params() {
				unchanged := sameBits(p.Value.Data, start.Params()[i].Value.Data)
				if tc.fixed(p) {
					fixed++
					if !unchanged {
						t.Errorf("%s (%s) changed", p.Name, p.Role)
					}
				} else if unchanged {
					t.Errorf("%s (%s) did not train", p.Name, p.Role)
				}
			}
			if fixed == 0 || fixed == len(net.Params()) {
				t.Errorf("%d of %d parameters fixed: the test tests nothing", fixed, len(net.Params()))
			}
		})
	}
}

// call is one call of a step hook, as recorded.
type call struct {
	point                     string
	epoch, index, batch, rows int
	modelSteps                int
	loss                      float64
}

// TestHooksStepIndices checks that each step calls BeforeStep,
// BeforeUpdate and AfterStep once, in that order, with the step's epoch,
// index and place in the epoch, its batch and its loss; and that the
// losses the hooks see make the reported train_loss.
func TestHooksStepIndices(t *testing.T) {
	var calls []call
	rec := func(point string) func(*trainer.Run, *trainer.Step) error {
		return func(r *trainer.Run, s *trainer.Step) error {
			calls = append(calls, call{point, s.Epoch, s.Index, s.Batch, s.X.Shape[0], r.Model.Steps(), s.Loss})
			if len(s.Y) != s.X.Shape[0] {
				t.Errorf("%s: %d labels for %d rows", point, len(s.Y), s.X.Shape[0])
			}
			return nil
		}
	}
	var epochLosses []float64
	m, err := trainer.Train(context.Background(), hookProgram(), &trainer.TrainOptions{Hooks: []trainer.Hooks{{
		BeforeStep: rec("before"), BeforeUpdate: rec("update"), AfterStep: rec("after"),
		EndEpoch: func(r *trainer.Run, e *trainer.EpochEnd) error {
			epochLosses = append(epochLosses, e.Metrics[trainer.MetricTrainLoss])
			return nil
		},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 3*21 {
		t.Fatalf("%d calls, want 63", len(calls))
	}
	var sums [3]float64
	for i := range 21 {
		epoch, batch := i/7+1, i%7
		rows := 80
		if batch == 6 {
			rows = 20
		}
		want := []call{
			{"before", epoch, i, batch, rows, i, 0},
			{"update", epoch, i, batch, rows, i, calls[3*i+1].loss},
			{"after", epoch, i, batch, rows, i + 1, calls[3*i+1].loss},
		}
		if got := calls[3*i : 3*i+3]; !slices.Equal(got, want) {
			t.Fatalf("step %d: calls %v, want %v", i, got, want)
		}
		if !(calls[3*i+1].loss > 0) {
			t.Fatalf("step %d: loss %v", i, calls[3*i+1].loss)
		}
		sums[epoch-1] += calls[3*i+2].loss * float64(rows)
	}
	for e, sum := range sums {
		if got := sum / 500; math.Float64bits(got) != math.Float64bits(epochLosses[e]) {
			t.Errorf("epoch %d: the steps' losses give %v, train_loss is %v", e+1, got, epochLosses[e])
		}
	}
	if math.Float64bits(m[trainer.MetricTrainLoss]) != math.Float64bits(epochLosses[2]) {
		t.Errorf("train_loss %v, want the last epoch's %v", m[trainer.MetricTrainLoss], epochLosses[2])
	}
}

// TestHooksMetrics checks that an EndEpoch hook's metrics reach the
// Reporter at every epoch and the returned metrics, that an End hook's
// reach the returned metrics, and that Run.Evaluate gives the loop's
// figures bit for bit.
func TestHooksMetrics(t *testing.T) {
	rep := &stopper{}
	var ends []trainer.EpochEnd
	var evalLoss, evalAcc float64
	m, err := trainer.Train(context.Background(), hookProgram(), &trainer.TrainOptions{Reporter: rep, Hooks: []trainer.Hooks{{
		EndEpoch: func(r *trainer.Run, e *trainer.EpochEnd) error {
			ends = append(ends, trainer.EpochEnd{Epoch: e.Epoch, Steps: e.Steps, Metrics: maps.Clone(e.Metrics)})
			loss, acc := r.Evaluate(r.Splits.Val)
			if loss != e.Metrics[trainer.MetricValLoss] || acc != e.Metrics[trainer.MetricValAccuracy] {
				t.Errorf("epoch %d: Evaluate(Val) = %v, %v; the loop's %v", e.Epoch, loss, acc, e.Metrics)
			}
			e.Metrics["hook_epoch_x10"] = float64(10 * e.Epoch)
			return nil
		},
		End: func(r *trainer.Run, metrics map[string]float64) error {
			evalLoss, evalAcc = r.Evaluate(r.Splits.Test)
			metrics["hook_end"] = 1
			return nil
		},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ends) != 3 {
		t.Fatalf("EndEpoch called %d times, want 3", len(ends))
	}
	for i, e := range ends {
		if e.Epoch != i+1 || e.Steps != 7*(i+1) || len(e.Metrics) != 3 {
			t.Errorf("EndEpoch %d: %+v, want epoch %d, steps %d and train_loss, val_loss, val_accuracy", i, e, i+1, 7*(i+1))
		}
	}
	for i, keys := range rep.keys {
		if !slices.Contains(keys, "hook_epoch_x10") || len(keys) != 4 {
			t.Errorf("report %d: keys %v, want the hook's metric too", i+1, keys)
		}
	}
	if len(rep.keys) != 3 || m["hook_epoch_x10"] != 30 || m["hook_end"] != 1 {
		t.Errorf("%d reports; returned metrics %v, want hook_epoch_x10 = 30 and hook_end = 1", len(rep.keys), m)
	}
	if evalLoss != m[trainer.MetricTestLoss] || evalAcc != m[trainer.MetricTestAccuracy] {
		t.Errorf("Evaluate(Test) = %v, %v; test metrics %v, %v", evalLoss, evalAcc, m[trainer.MetricTestLoss], m[trainer.MetricTestAccuracy])
	}
}

// TestHooksErrors checks that an error of a hook at each point ends the
// run with the error wrapped, naming the point, and the metrics of the
// epochs completed.
func TestHooksErrors(t *testing.T) {
	boom := errors.New("boom")
	atStep := func(n int) func(*trainer.Run, *trainer.Step) error {
		return func(_ *trainer.Run, s *trainer.Step) error {
			if s.Index == n {
				return boom
			}
			return nil
		}
	}
	tests := []struct {
		name    string
		hooks   trainer.Hooks
		want    string
		epochs  float64 // completed epochs in the returned metrics; -1 for no metrics
		steps   float64
		metrics bool
	}{
		{"Start", trainer.Hooks{Start: func(*trainer.Run) error { return boom }}, "trainer: hook Start: boom", -1, 0, false},
		{"BeforeStep", trainer.Hooks{BeforeStep: atStep(9)}, "trainer: hook BeforeStep at epoch 2, step 9: boom", 1, 9, true},
		{"BeforeUpdate", trainer.Hooks{BeforeUpdate: atStep(9)}, "trainer: hook BeforeUpdate at epoch 2, step 9: boom", 1, 9, true},
		{"AfterStep", trainer.Hooks{AfterStep: atStep(9)}, "trainer: hook AfterStep at epoch 2, step 9: boom", 1, 10, true},
		{"EndEpoch", trainer.Hooks{EndEpoch: func(_ *trainer.Run, e *trainer.EpochEnd) error {
			if e.Epoch == 2 {
				return boom
			}
			return nil
		}}, "trainer: hook EndEpoch at epoch 2: boom", 1, 14, true},
		{"End", trainer.Hooks{End: func(*trainer.Run, map[string]float64) error { return boom }}, "trainer: hook End: boom", 3, 21, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, net, err := trainer.TrainNetwork(context.Background(), hookProgram(), &trainer.TrainOptions{Hooks: []trainer.Hooks{tc.hooks}})
			if !errors.Is(err, boom) || err.Error() != tc.want {
				t.Errorf("err = %v, want %q wrapping boom", err, tc.want)
			}
			if net != nil {
				t.Error("a network after a failed run")
			}
			if !tc.metrics {
				if m != nil {
					t.Errorf("metrics %v, want none", m)
				}
				return
			}
			if m[trainer.MetricEpochs] != tc.epochs || m[trainer.MetricSteps] != tc.steps {
				t.Errorf("epochs %v steps %v, want %v and %v", m[trainer.MetricEpochs], m[trainer.MetricSteps], tc.epochs, tc.steps)
			}
		})
	}
}

// TestHooksOrder checks that the hooks of several Hooks values are called
// in their order at every point, and that an error stops the later ones.
func TestHooksOrder(t *testing.T) {
	var log []string
	mk := func(name string) trainer.Hooks {
		note := func(point string) { log = append(log, point+" "+name) }
		return trainer.Hooks{
			Start:        func(*trainer.Run) error { note("start"); return nil },
			BeforeStep:   func(*trainer.Run, *trainer.Step) error { note("before"); return nil },
			BeforeUpdate: func(*trainer.Run, *trainer.Step) error { note("update"); return nil },
			AfterStep:    func(*trainer.Run, *trainer.Step) error { note("after"); return nil },
			EndEpoch:     func(*trainer.Run, *trainer.EpochEnd) error { note("epoch"); return nil },
			End:          func(*trainer.Run, map[string]float64) error { note("end"); return nil },
		}
	}
	c := hookProgram()
	c.Epochs = 1
	c.Batch = 500
	if _, err := trainer.Train(context.Background(), c, &trainer.TrainOptions{Hooks: []trainer.Hooks{mk("a"), {}, mk("b")}}); err != nil {
		t.Fatal(err)
	}
	want := []string{"start a", "start b", "before a", "before b", "update a", "update b", "after a", "after b", "epoch a", "epoch b", "end a", "end b"}
	if !slices.Equal(log, want) {
		t.Errorf("calls %v, want %v", log, want)
	}

	log = nil
	failing := mk("a")
	failing.BeforeStep = func(*trainer.Run, *trainer.Step) error { log = append(log, "before a"); return errors.New("no") }
	if _, err := trainer.Train(context.Background(), c, &trainer.TrainOptions{Hooks: []trainer.Hooks{failing, mk("b")}}); err == nil {
		t.Fatal("no error")
	}
	if want := []string{"start a", "start b", "before a"}; !slices.Equal(log, want) {
		t.Errorf("calls %v, want %v", log, want)
	}
}

// TestHooksKeepFigures checks that hooks which only observe leave every
// metric bit-identical to a run without hooks.
func TestHooksKeepFigures(t *testing.T) {
	plain, err := trainer.Train(context.Background(), hookProgram(), nil)
	if err != nil {
		t.Fatal(err)
	}
	nop := func(*trainer.Run, *trainer.Step) error { return nil }
	for name, o := range map[string]*trainer.TrainOptions{
		"empty Hooks": {Hooks: []trainer.Hooks{{}}},
		"observers": {Hooks: []trainer.Hooks{{
			Start: func(*trainer.Run) error { return nil }, BeforeStep: nop, BeforeUpdate: nop, AfterStep: nop,
			EndEpoch: func(*trainer.Run, *trainer.EpochEnd) error { return nil },
			End:      func(*trainer.Run, map[string]float64) error { return nil },
		}}},
	} {
		m, err := trainer.Train(context.Background(), hookProgram(), o)
		if err != nil {
			t.Fatal(err)
		}
		if len(m) != len(plain) {
			t.Errorf("%s: metrics %v, want %v", name, m, plain)
		}
		for k, v := range plain {
			if k != trainer.MetricTrainSeconds && math.Float64bits(v) != math.Float64bits(m[k]) {
				t.Errorf("%s: %s = %v, want %v", name, k, m[k], v)
			}
		}
	}
}
