package trainer_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/data"
)

func newRegistry(t testing.TB) *symbolic.Registry {
	t.Helper()
	r := symbolic.NewRegistry()
	if err := trainer.Register(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// decode decodes a YAML program and binds it.
func decode(t testing.TB, src string) *trainer.Classifier {
	t.Helper()
	v, err := newRegistry(t).DecodeYAML([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := symbolic.To[*trainer.Classifier](v)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// synthProgram is a small synthetic classifier that trains in well under a
// second.
const synthProgram = `
_type: trainer.Classifier
data: {_type: trainer.Synthetic, train: 4000, validation: 1000, test: 1000}
model: {_type: trainer.MLP, hidden: [32], activation: relu}
optimizer: {_type: trainer.AdamW, lr: 0.01}
epochs: 8
batch: 64
seed: 1
`

func TestTrainSynthetic(t *testing.T) {
	c := decode(t, synthProgram)
	var progress []trainer.Progress
	m, err := trainer.Train(context.Background(), c, &trainer.TrainOptions{Progress: func(p trainer.Progress) { progress = append(progress, p) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("metrics %v", m)
	if m["test_accuracy"] < 0.8 || m["val_accuracy"] < 0.8 {
		t.Errorf("accuracy val %v test %v, want ≥ 0.8", m["val_accuracy"], m["test_accuracy"])
	}
	wantParams := 64*32 + 32 + 32*10 + 10
	if m["params"] != float64(wantParams) || m["size_bits"] != 32*float64(wantParams) {
		t.Errorf("params %v size_bits %v, want %d", m["params"], m["size_bits"], wantParams)
	}
	if m["epochs"] != 8 || m["steps"] != 8*63 || m["stopped_early"] != 0 || !(m["train_seconds"] > 0) {
		t.Errorf("epochs %v steps %v stopped %v seconds %v", m["epochs"], m["steps"], m["stopped_early"], m["train_seconds"])
	}
	for _, k := range []string{"val_loss", "test_loss", "train_loss"} {
		if v, ok := m[k]; !ok || !(v > 0) || math.IsInf(v, 0) {
			t.Errorf("%s = %v", k, v)
		}
	}
	if len(progress) != 8 || progress[7].Epoch != 8 || progress[0].TrainLoss <= progress[7].TrainLoss {
		t.Errorf("progress %+v", progress)
	}
}

func TestTrainDeterministic(t *testing.T) {
	variants := map[string]string{
		"adamw relu":                synthProgram,
		"sgd gelu layernorm drop":   strings.NewReplacer("activation: relu", "activation: gelu, layernorm: true, dropout: 0.2", "trainer.AdamW, lr: 0.01", "trainer.SGD, lr: 0.05, weight_decay: 0.0001", "epochs: 8", "epochs: 2").Replace(synthProgram),
		"cosine warmup tanh no val": strings.NewReplacer("activation: relu", "activation: tanh", "validation: 1000", "validation: 0", "epochs: 8", "epochs: 2\nschedule: cosine\nwarmup: 20\nlr_floor: 0.1").Replace(synthProgram),
	}
	for name, src := range variants {
		t.Run(name, func(t *testing.T) {
			a, err := trainer.Train(context.Background(), decode(t, src), nil)
			if err != nil {
				t.Fatal(err)
			}
			b, err := trainer.Train(context.Background(), decode(t, src), nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range a {
				if k == "train_seconds" {
					continue
				}
				if math.Float64bits(v) != math.Float64bits(b[k]) {
					t.Errorf("%s: %v vs %v", k, v, b[k])
				}
			}
			if _, ok := a["val_accuracy"]; ok == strings.Contains(src, "validation: 0") {
				t.Errorf("val_accuracy present = %v for %s", ok, name)
			}
		})
	}
}

// stopper records reports and stops after stopAt of them.
type stopper struct {
	steps  []int
	keys   [][]string
	stopAt int
	err    error
}

func (s *stopper) Report(ctx context.Context, step int, m map[string]float64) error {
	s.steps = append(s.steps, step)
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	s.keys = append(s.keys, keys)
	return s.err
}

func (s *stopper) ShouldStop() bool { return s.stopAt > 0 && len(s.steps) >= s.stopAt }

func TestTrainReporter(t *testing.T) {
	t.Run("every epoch", func(t *testing.T) {
		r := &stopper{}
		m, err := trainer.Train(context.Background(), decode(t, synthProgram), &trainer.TrainOptions{Reporter: r})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.steps) != 8 || r.steps[0] != 1 || r.steps[7] != 8 || len(r.keys[0]) != 3 || m["stopped_early"] != 0 {
			t.Errorf("steps %v keys %v stopped %v", r.steps, r.keys, m["stopped_early"])
		}
	})
	t.Run("stop early", func(t *testing.T) {
		r := &stopper{stopAt: 2}
		m, err := trainer.Train(context.Background(), decode(t, synthProgram), &trainer.TrainOptions{Reporter: r})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.steps) != 2 || m["epochs"] != 2 || m["stopped_early"] != 1 || m["test_accuracy"] == 0 {
			t.Errorf("steps %v metrics %v", r.steps, m)
		}
	})
	t.Run("report error", func(t *testing.T) {
		boom := errors.New("boom")
		_, err := trainer.Train(context.Background(), decode(t, synthProgram), &trainer.TrainOptions{Reporter: &stopper{err: boom}})
		if !errors.Is(err, boom) {
			t.Errorf("err = %v, want boom", err)
		}
	})
}

func TestTrainCancel(t *testing.T) {
	t.Run("before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		m, err := trainer.Train(ctx, decode(t, synthProgram), nil)
		if !errors.Is(err, context.Canceled) || m["steps"] != 0 {
			t.Errorf("err %v steps %v", err, m["steps"])
		}
	})
	t.Run("during", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		m, err := trainer.Train(ctx, decode(t, synthProgram), &trainer.TrainOptions{Progress: func(p trainer.Progress) {
			if p.Epoch == 3 {
				cancel()
			}
		}})
		if !errors.Is(err, context.Canceled) || m["epochs"] != 3 || m["steps"] != 3*63 {
			t.Errorf("err %v metrics %v", err, m)
		}
		if _, ok := m["test_accuracy"]; ok {
			t.Error("test metrics after cancellation")
		}
	})
}

func TestDecodeErrors(t *testing.T) {
	base := "_type: trainer.Classifier\ndata: {_type: trainer.Synthetic}\nmodel: {_type: trainer.MLP}\noptimizer: {_type: trainer.AdamW}\n"
	tests := []struct {
		name, src, want string
		sentinel        error
	}{
		{"zero lr", strings.Replace(base, "trainer.AdamW", "trainer.AdamW, lr: 0", 1), "optimizer.lr: want float in [1e-12, 10]", symbolic.ErrRange},
		{"zero epochs", base + "epochs: 0\n", "epochs: want int in [1, 100000]", symbolic.ErrRange},
		{"zero batch", base + "batch: 0\n", "batch: want int in [1, 65536]", symbolic.ErrRange},
		{"wide layer", strings.Replace(base, "trainer.MLP", "trainer.MLP, hidden: [64, 70000]", 1), "model.hidden[1]: want int in [1, 65536]", symbolic.ErrRange},
		{"activation", strings.Replace(base, "trainer.MLP", "trainer.MLP, activation: swish", 1), "model.activation: want one of relu, gelu, tanh", symbolic.ErrRange},
		{"dropout", strings.Replace(base, "trainer.MLP", "trainer.MLP, dropout: 1.0", 1), "model.dropout: want float in [0, 0.95]", symbolic.ErrRange},
		{"schedule", base + "schedule: step\n", "schedule: want one of constant, cosine", symbolic.ErrRange},
		{"validation", strings.Replace(base, "trainer.Synthetic", "trainer.FashionMNIST, validation: -1", 1), "data.validation: want int in [0, 59999]", symbolic.ErrRange},
		{"model as data", strings.Replace(base, "trainer.Synthetic", "trainer.MLP", 1), "data: want object of a type implementing trainer.Dataset", symbolic.ErrKind},
		{"missing model", strings.Replace(base, "model: {_type: trainer.MLP}\n", "", 1), "model", symbolic.ErrRequired},
		{"unknown field", strings.Replace(base, "trainer.AdamW", "trainer.AdamW, momentum: 0.9", 1), "optimizer.momentum", symbolic.ErrUnknownField},
	}
	r := newRegistry(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.DecodeYAML([]byte(tc.src), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, tc.sentinel) {
				t.Errorf("err = %v, want %q (%v)", err, tc.want, tc.sentinel)
			}
		})
	}
}

func TestRegisterTwice(t *testing.T) {
	r := newRegistry(t)
	if err := trainer.Register(r); err == nil {
		t.Error("second Register succeeded")
	}
}

func TestTrainGoProgramErrors(t *testing.T) {
	ok := trainer.Classifier{Data: trainer.Synthetic{Train: 100, Test: 10, Features: 4, Classes: 2, Clusters: 1, Noise: 0.3},
		Model: trainer.MLP{Activation: "relu"}, Optimizer: trainer.SGD{LR: 0.1}, Epochs: 1, Batch: 10}
	tests := []struct {
		name   string
		change func(*trainer.Classifier)
	}{
		{"no data", func(c *trainer.Classifier) { c.Data = nil }},
		{"zero epochs", func(c *trainer.Classifier) { c.Epochs = 0 }},
		{"zero lr", func(c *trainer.Classifier) { c.Optimizer = trainer.AdamW{} }},
		{"bad schedule", func(c *trainer.Classifier) { c.Schedule = "step" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.change(&c)
			if _, err := trainer.Train(context.Background(), &c, nil); !errors.Is(err, trainer.ErrProgram) {
				t.Errorf("err = %v, want ErrProgram", err)
			}
		})
	}
	if _, err := trainer.Train(context.Background(), &ok, nil); err != nil {
		t.Errorf("valid Go program: %v", err)
	}
	bad := ok
	bad.Model = trainer.MLP{Activation: "swish"}
	if _, err := trainer.Train(context.Background(), &bad, nil); err == nil || !strings.Contains(err.Error(), "swish") {
		t.Errorf("bad activation: %v", err)
	}
}

// fashionProgram is the reference Fashion-MNIST program.
const fashionProgram = `
_type: trainer.Classifier
data: {_type: trainer.FashionMNIST, validation: 5000}
model: {_type: trainer.MLP, hidden: [256, 256, 256], activation: relu}
optimizer: {_type: trainer.AdamW, lr: 0.001, weight_decay: 0.0}
epochs: 5
batch: 500
seed: 0
`

// TestTrainFashionMNIST trains the reference program with seeds 0 to 4
// (two at a time): the program as given (seed 0) must reach 87% test
// accuracy, as PyTorch's 87.2–87.7% on it, and so must the mean over the
// seeds, which spread over about 87.0%–87.9% (seed 0: 87.4% on the AVX-512
// path), so that a lucky seed cannot hide a worse trainer.
func TestTrainFashionMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on Fashion-MNIST five times (about a minute on two cores); skipped in -short mode")
	}
	if _, err := data.FashionMNIST("", 5000); errors.Is(err, data.ErrNotFound) {
		t.Skipf("Fashion-MNIST is not installed: %v", err)
	}
	const seeds = 5
	results := make([]map[string]float64, seeds)
	errs := make([]error, seeds)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for s := range seeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			c := decode(t, fashionProgram)
			c.Seed = int64(s)
			results[s], errs[s] = trainer.Train(context.Background(), c, nil)
		}()
	}
	wg.Wait()
	var mean float64
	for s, m := range results {
		if errs[s] != nil {
			t.Fatalf("seed %d: %v", s, errs[s])
		}
		t.Logf("seed %d: test_accuracy %.4f test_loss %.4f val_accuracy %.4f train_seconds %.1f params %v",
			s, m["test_accuracy"], m["test_loss"], m["val_accuracy"], m["train_seconds"], m["params"])
		if m["test_accuracy"] < 0.86 {
			t.Errorf("seed %d: test accuracy %.4f, want ≥ 0.86", s, m["test_accuracy"])
		}
		mean += m["test_accuracy"] / seeds
	}
	t.Logf("mean test accuracy %.4f", mean)
	if acc := results[0]["test_accuracy"]; acc < 0.87 {
		t.Errorf("the reference program (seed 0): test accuracy %.4f, want ≥ 0.87", acc)
	}
	if mean < 0.87 {
		t.Errorf("mean test accuracy %.4f, want ≥ 0.87", mean)
	}
}
