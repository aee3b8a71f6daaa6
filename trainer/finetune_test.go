package trainer

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// ftBase is a small trained base: a 16-32-32-4 MLP on synthetic data.
func ftBase() *Classifier {
	return &Classifier{
		Data:      Synthetic{Train: 800, Validation: 0, Test: 400, Features: 16, Classes: 4, Clusters: 2, Noise: 0.3, Seed: 1},
		Model:     MLP{Hidden: []int{32, 32}, Activation: "relu"},
		Optimizer: AdamW{LR: 3e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
		Epochs:    4, Batch: 64, Seed: 0, Schedule: "constant",
	}
}

// ftTask is another synthetic task of the base's features and classes.
var ftTask = Synthetic{Train: 800, Validation: 0, Test: 400, Features: 16, Classes: 4, Clusters: 2, Noise: 0.3, Seed: 2}

func ftLoRA(rank int) FineTune {
	return FineTune{
		Base: ftBase(), Task: ftTask, Head: "new",
		Method:    LoRA{Rank: rank, Alpha: 2 * float64(rank), Bias: true},
		Optimizer: AdamW{LR: 3e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8},
		Epochs:    3, Batch: 64, Seed: 0,
	}
}

func trainedBase(t *testing.T) *Trained {
	t.Helper()
	b, err := ftBase().TrainedModel(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func forward(net *nn.Sequential, x *tensor.Tensor) []float32 {
	return append([]float32(nil), net.Forward(x, false).Data...)
}

func testInputs() *tensor.Tensor {
	x := tensor.New(10, 16)
	rng := nn.NewRand(3, 3)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	return x
}

// TestFineTuneStartsAtTheBase: with the head kept, the network a LoRA
// fine-tune starts from (B = 0) computes exactly what the base does, and
// only the adapters, biases and head train.
func TestFineTuneStartsAtTheBase(t *testing.T) {
	base := trainedBase(t)
	f := ftLoRA(4)
	f.Head = "keep"
	s, err := f.withDefaults().setUp(base, 4)
	if err != nil {
		t.Fatal(err)
	}
	x := testInputs()
	want := forward(base.Net, x)
	got := forward(s.net, x)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("output %d: %v at step 0, base %v", i, got[i], want[i])
		}
	}
	var names []string
	for _, p := range nn.Select(s.net.Params(), nn.Trainable) {
		names = append(names, p.Name)
	}
	if got, want := strings.Join(names, " "), "layers[0].lora_a layers[0].lora_b layers[0].b layers[2].lora_a layers[2].lora_b layers[2].b layers[4].w layers[4].b"; got != want {
		t.Errorf("trainable %s, want %s", got, want)
	}
}

func TestFineTuneLoRA(t *testing.T) {
	ctx := context.Background()
	base := trainedBase(t)
	w0 := base.Net.Param("layers[0].w").Value.Clone()
	f := ftLoRA(4)
	r, err := f.TuneFrom(ctx, nil, base)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range base.Net.Param("layers[0].w").Value.Data {
		if v != w0.Data[i] {
			t.Fatal("the base's weights changed")
		}
	}
	m := r.Metrics
	// 4·(16+32) + 32 and 4·(32+32) + 32, and the head's 32·4 + 4.
	if got, want := m[MetricTrainableParams], float64(4*(16+32)+32+4*(32+32)+32+32*4+4); got != want {
		t.Errorf("trainable_params %v, want %v", got, want)
	}
	if !(m[MetricTargetAccuracy] > 0.5) {
		t.Errorf("target_accuracy %v after fine-tuning, want > 0.5", m[MetricTargetAccuracy])
	}
	for _, k := range []string{MetricOrigAccuracy, MetricOrigLoss, MetricIntruders, "intruders.layers[0]", "intruders.layers[2]", "update_effective_rank.layers[2]", "lambda0.5_target_accuracy", "lambda0.75_orig_loss"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no metric %s", k)
		}
	}
	if len(r.Layers) != 2 || len(r.Scaled) != 2 || r.Scaled[0].Lambda != 0.75 {
		t.Fatalf("%d layers, %d scaled figures", len(r.Layers), len(r.Scaled))
	}
	for _, l := range r.Layers {
		// A rank-4 update has at most 4 nonzero singular values.
		if !(l.UpdateEffectiveRank >= 1 && l.UpdateEffectiveRank <= 4.01) {
			t.Errorf("%s: effective rank of a rank-4 update %v", l.Path, l.UpdateEffectiveRank)
		}
		if l.Update[4] > 1e-4*l.Update[0] {
			t.Errorf("%s: fifth singular value of the update %v, first %v", l.Path, l.Update[4], l.Update[0])
		}
	}
	// The fine-tuned model is a trained model like any: an Evaluation of
	// its checkpoint gives the target figures.
	tree, err := ProgramTree(r.Trained.Program)
	if err != nil {
		t.Fatal(err)
	}
	ckpt, err := NewCheckpoint(tree, r.Trained.Net, r.Metrics, "")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := Evaluate(ctx, ckpt)
	if err != nil {
		t.Fatal(err)
	}
	if ev[MetricTestAccuracy] != m[MetricTargetAccuracy] {
		t.Errorf("checkpoint test_accuracy %v, fine-tune's target_accuracy %v", ev[MetricTestAccuracy], m[MetricTargetAccuracy])
	}
}

// TestAdapterRoundTrip: the adapter file, read back and applied to the
// base, gives the fine-tuned network's outputs.
func TestAdapterRoundTrip(t *testing.T) {
	base := trainedBase(t)
	r, err := ftLoRA(2).TuneFrom(context.Background(), nil, base)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "adapter.safetensors")
	if err := r.Adapter.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	a, err := ReadAdapter(path)
	if err != nil {
		t.Fatal(err)
	}
	if a.Rank != 2 || a.Gamma != 2 || len(a.Targets) != 2 || a.Head != "layers[4]" {
		t.Fatalf("read back rank %d gamma %v targets %v head %s", a.Rank, a.Gamma, a.Targets, a.Head)
	}
	net, err := a.Apply(base)
	if err != nil {
		t.Fatal(err)
	}
	x := testInputs()
	want := forward(r.Trained.Net, x)
	got := forward(net, x)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("output %d: %v from the adapter file, %v fine-tuned", i, got[i], want[i])
		}
	}
	// A file that is not an adapter says so.
	ckpt, err := NewCheckpoint(mustTree(t, base.Program), base.Net, base.Metrics, "")
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "model.safetensors")
	if err := checkpoint.WriteFile(other, ckpt); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadAdapter(other); err == nil || !strings.Contains(err.Error(), "not an adapter") {
		t.Errorf("reading a model as an adapter: %v", err)
	}
	// A tensor missing is named.
	a.Tensors = a.Tensors[1:]
	if _, err := a.Apply(base); err == nil || !strings.Contains(err.Error(), `"layers[0].lora_a" is missing`) {
		t.Errorf("an adapter without layers[0].lora_a: %v", err)
	}
}

func mustTree(t *testing.T, p any) symbolic.Value {
	t.Helper()
	tree, err := ProgramTree(p)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// TestNullFineTuneHasNoIntruders: continuing the base's own training at
// a small rate (the null baseline) moves no singular vector far.
func TestNullFineTuneHasNoIntruders(t *testing.T) {
	base := trainedBase(t)
	f := FineTune{Base: ftBase(), Task: ftBase().Data, Head: "keep", Method: Full{},
		Optimizer: AdamW{LR: 1e-4, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}, Epochs: 1, Batch: 64}
	r, err := f.TuneFrom(context.Background(), nil, base)
	if err != nil {
		t.Fatal(err)
	}
	if n := r.Metrics[MetricIntruders]; n != 0 {
		t.Errorf("null baseline: %v intruders (max cos %v)", n, r.Layers[0].Intruders.MaxCos)
	}
	// The mitigation changes nothing without intruders.
	for _, s := range r.Scaled {
		if s.TargetAccuracy != r.Metrics[MetricTargetAccuracy] || s.OrigLoss != r.Metrics[MetricOrigLoss] {
			t.Errorf("λ = %v changed the figures without intruders", s.Lambda)
		}
	}
	if math.Abs(r.Metrics[MetricOrigAccuracy]-r.Metrics[MetricBaseAccuracy]) > 0.05 {
		t.Errorf("null baseline: orig accuracy %v, base %v", r.Metrics[MetricOrigAccuracy], r.Metrics[MetricBaseAccuracy])
	}
}

// TestFineTuneSequence: a FineTune whose base is a FineTune equals
// TuneFrom on the first stage's result, and Forgetting measures an
// earlier stage's task under its own head.
func TestFineTuneSequence(t *testing.T) {
	ctx := context.Background()
	first := ftLoRA(2)
	second := ftLoRA(2)
	second.Task = Synthetic{Train: 800, Validation: 0, Test: 400, Features: 16, Classes: 3, Clusters: 2, Noise: 0.3, Seed: 3}
	second.Base = first
	chained, err := second.Tune(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	r1, err := first.Tune(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := second.TuneFrom(ctx, nil, r1.Trained)
	if err != nil {
		t.Fatal(err)
	}
	if chained.Metrics[MetricTargetAccuracy] != r2.Metrics[MetricTargetAccuracy] || chained.Metrics[MetricOrigLoss] != r2.Metrics[MetricOrigLoss] {
		t.Errorf("chained %v, stage by stage %v", chained.Metrics, r2.Metrics)
	}
	if r2.Trained.Classes != 3 {
		t.Errorf("second stage has %d classes, want 3", r2.Trained.Classes)
	}
	// Under the first stage's own head, its trunk gives its figures.
	loss, acc, err := r1.Forgetting(r1.Trained)
	if err != nil {
		t.Fatal(err)
	}
	if acc != r1.Metrics[MetricTargetAccuracy] || loss != r1.Metrics[MetricTargetLoss] {
		t.Errorf("forgetting of a stage's own task %v, %v; its figures %v, %v", acc, loss, r1.Metrics[MetricTargetAccuracy], r1.Metrics[MetricTargetLoss])
	}
	// After the second stage, the first task under its head is the
	// forgetting that stage 2 reports as orig.
	_, acc2, err := r2.Forgetting(r1.Trained)
	if err != nil {
		t.Fatal(err)
	}
	if acc2 != r2.Metrics[MetricOrigAccuracy] {
		t.Errorf("forgetting of stage 1 after stage 2 %v, orig_accuracy %v", acc2, r2.Metrics[MetricOrigAccuracy])
	}
}

func TestFineTuneErrors(t *testing.T) {
	ctx := context.Background()
	base := trainedBase(t)
	for _, tc := range []struct {
		name string
		edit func(*FineTune)
		want string
	}{
		{"the head as a target", func(f *FineTune) { f.Method = LoRA{Rank: 2, Alpha: 4, Targets: []string{"layers[4]"}} }, `method.targets[0]: "layers[4]" selects no hidden dense layer; want one of layers[0], layers[2]`},
		{"an activation as a target", func(f *FineTune) { f.Method = Full{Targets: []string{"layers[0]", "layers[1]"}} }, `method.targets[1]: "layers[1]" selects no`},
		{"not a key path", func(f *FineTune) { f.Method = Full{Targets: []string{"dense"}} }, `method.targets[0]: "dense" is not a layer's key path`},
		{"rank too large", func(f *FineTune) { f.Method = LoRA{Rank: 17, Alpha: 4} }, "method.rank: 17 does not fit layers[0], a 16→32 layer; want 1 to 16"},
		{"task of other features", func(f *FineTune) {
			f.Task = Synthetic{Train: 100, Test: 100, Features: 8, Classes: 4, Clusters: 1, Noise: 0.3}
		}, "task: 8 features, the base takes 16"},
		{"keep with other classes", func(f *FineTune) {
			f.Head = "keep"
			f.Task = Synthetic{Train: 100, Test: 100, Features: 16, Classes: 3, Clusters: 1, Noise: 0.3}
		}, "head: keep needs the base's 4 classes, the task has 3"},
		{"bad eps", func(f *FineTune) { f.Eps = 2 }, "eps: want float in (0, 1]"},
		{"no method", func(f *FineTune) { f.Method = nil }, "method: want trainer.Full or trainer.LoRA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := ftLoRA(2)
			tc.edit(&f)
			_, err := f.TuneFrom(ctx, nil, base)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	// A base program's own error names where it is.
	f := ftLoRA(2)
	bad := ftBase()
	bad.Epochs = 0
	f.Base = bad
	if _, err := f.Run(ctx, nil); err == nil || !strings.Contains(err.Error(), "(in the program at base)") {
		t.Errorf("bad base: %v", err)
	}
}

// TestFineTuneDecoded: a FineTune written in YAML binds and runs; the
// declared defaults (head new, k 10, eps 0.5, λ 0.75 and 0.5) apply.
func TestFineTuneDecoded(t *testing.T) {
	r := symbolic.NewRegistry()
	if err := Register(r); err != nil {
		t.Fatal(err)
	}
	tree, err := r.DecodeYAML([]byte(`
_type: trainer.FineTune
base:
  _type: trainer.Classifier
  data: {_type: trainer.Synthetic, train: 800, validation: 0, test: 400, features: 16, classes: 4, clusters: 2, noise: 0.3, seed: 1}
  model: {_type: trainer.MLP, hidden: [32, 32]}
  optimizer: {_type: trainer.AdamW, lr: 0.003}
  epochs: 4
  batch: 64
task: {_type: trainer.Synthetic, train: 800, validation: 0, test: 400, features: 16, classes: 4, clusters: 2, noise: 0.3, seed: 2}
method: {_type: trainer.LoRA, rank: 2, alpha: 4, targets: ["layers[*]"]}
optimizer: {_type: trainer.AdamW, lr: 0.003}
epochs: 3
batch: 64
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := AsProgram(tree)
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ftLoRA(2).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{MetricTargetAccuracy, MetricOrigLoss, MetricIntruders, "lambda0.5_orig_accuracy"} {
		if m[k] != want[k] {
			t.Errorf("%s: decoded %v, Go literal %v", k, m[k], want[k])
		}
	}
	if _, ok := p.(ModelProgram); !ok {
		t.Error("a FineTune is not a ModelProgram")
	}
}
