package trainer_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

// mergeModel is the YAML of a small Classifier on a synthetic task, from
// seed.
func mergeModel(seed int) string {
	return fmt.Sprintf(`
  - _type: trainer.Classifier
    data: {_type: trainer.Synthetic, train: 2000, validation: 0, test: 500, features: 16, classes: 4}
    model: {_type: trainer.MLP, hidden: [32, 32]}
    optimizer: {_type: trainer.AdamW, lr: 0.01}
    epochs: 8
    seed: %d`, seed)
}

func mergeProgram(t *testing.T, rest string, seeds ...int) trainer.Program {
	t.Helper()
	var models strings.Builder
	for _, s := range seeds {
		models.WriteString(mergeModel(s))
	}
	return program(t, "_type: trainer.Merge\nmodels:"+models.String()+"\n"+rest)
}

var mergeMetrics = []string{"test_accuracy", "test_loss", "model_test_accuracy", "loss_barrier", "accuracy_barrier", "loss_barrier_naive", "accuracy_barrier_naive", "l2_ratio", "sv_alignment", "sv_alignment_naive", "align_seconds", "models", "cached", "size_bits"}

// Weight matching lowers the barrier and the distance; with no alignment
// the barriers are the naive ones.
func TestMergeWeightMatching(t *testing.T) {
	ctx := context.Background()
	wm, err := mergeProgram(t, "align: {_type: trainer.WeightMatching}", 1, 2).Run(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range mergeMetrics {
		if _, ok := wm[k]; !ok {
			t.Errorf("no %s in %v", k, wm)
		}
	}
	if !(wm["loss_barrier"] < wm["loss_barrier_naive"]) || !(wm["l2_ratio"] < 1) || !(wm["sv_alignment"] > 0 && wm["sv_alignment"] <= 1) || wm["models"] != 2 {
		t.Errorf("weight matching: %v", wm)
	}
	naive, err := mergeProgram(t, "", 1, 2).Run(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if naive["loss_barrier"] != naive["loss_barrier_naive"] || naive["l2_ratio"] != 1 || naive["loss_barrier_naive"] != wm["loss_barrier_naive"] {
		t.Errorf("no alignment: %v", naive)
	}
	if !(wm["test_accuracy"] > naive["test_accuracy"]) {
		t.Errorf("the merged accuracy %g with weight matching, %g naive", wm["test_accuracy"], naive["test_accuracy"])
	}
}

// Each alignment and combination runs, three models by every protocol.
func TestMergeAlignmentsAndCombinations(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name, rest string
		seeds      []int
	}{
		{"activation matching", "align: {_type: trainer.ActivationMatching, batches: 2}", []int{1, 2}},
		{"ste", "align: {_type: trainer.STE, steps: 20, lr: 0.01}", []int{1, 2}},
		{"interpolation", "align: {_type: trainer.WeightMatching}\ncombine: {_type: trainer.Interpolation, lambda: 0.3}", []int{1, 2}},
		{"three by anchor", "align: {_type: trainer.WeightMatching}\ncombine: {_type: trainer.Average, weights: [1, 1, 2]}", []int{1, 2, 3}},
		{"three by merge_many", "align: {_type: trainer.WeightMatching}\nprotocol: merge_many", []int{1, 2, 3}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := mergeProgram(t, tt.rest, tt.seeds...).Run(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !(m["test_accuracy"] > 0.25) || !(m["loss_barrier"] < m["loss_barrier_naive"]) || m["models"] != float64(len(tt.seeds)) {
				t.Errorf("%v", m)
			}
		})
	}
}

// Task arithmetic and TIES over fine-tunes equal to their base give the
// base back.
func TestMergeTaskVectors(t *testing.T) {
	ctx := context.Background()
	base, err := program(t, "_type: trainer.Evaluation\nmodel:"+strings.Replace(mergeModel(1), "  - ", "    ", 1)).Run(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"{_type: trainer.TaskArithmetic, scale: 0.7}", "{_type: trainer.TIES, density: 0.5}"} {
		m, err := mergeProgram(t, "combine: "+c+"\nbase:"+strings.Replace(mergeModel(1), "  - ", "    ", 1), 1, 1).Run(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if m["test_accuracy"] != base["test_accuracy"] {
			t.Errorf("%s: accuracy %g, the base's %g", c, m["test_accuracy"], base["test_accuracy"])
		}
	}
}

func TestMergeErrors(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		rest  string
		seeds []int
		want  string
	}{
		{"", []int{1}, "models: want at least two models, got 1"},
		{"combine: {_type: trainer.Interpolation}", []int{1, 2, 3}, "combine: trainer.Interpolation takes two models, got 3"},
		{"combine: {_type: trainer.TaskArithmetic}", []int{1, 2}, "base: trainer.TaskArithmetic needs the models' shared base"},
		{"align: {_type: trainer.STE}\nprotocol: merge_many", []int{1, 2}, "protocol: merge_many aligns by trainer.WeightMatching, got align trainer.STE"},
		{"combine: {_type: trainer.Average, weights: [1]}", []int{1, 2}, "combine.weights: merge: bad options: weights: 1 weights for 2 models"},
	} {
		_, err := mergeProgram(t, tt.rest, tt.seeds...).Run(ctx, nil)
		if !errors.Is(err, trainer.ErrProgram) || !strings.HasSuffix(err.Error(), tt.want) {
			t.Errorf("%q with %d models: %v, want …%s", tt.rest, len(tt.seeds), err, tt.want)
		}
	}
}

// A merge's models come from the trained-model cache when it runs again,
// and an Evaluation takes a Merge as its model.
func TestMergeCachedAndEvaluated(t *testing.T) {
	ctx := context.Background()
	env, epochs, _ := cachedEnv(t)
	p := mergeProgram(t, "align: {_type: trainer.WeightMatching}", 1, 2)
	first, err := p.Run(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	trainedEpochs := *epochs
	again, err := p.Run(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	if trainedEpochs != 16 || *epochs != 16 || first["cached"] != 0 || again["cached"] != 1 || again["test_accuracy"] != first["test_accuracy"] {
		t.Errorf("epochs %d then %d; first %v, again %v", trainedEpochs, *epochs, first, again)
	}
	var models strings.Builder
	for _, s := range []int{1, 2} {
		models.WriteString(strings.ReplaceAll(mergeModel(s), "\n", "\n  "))
	}
	ev, err := program(t, "_type: trainer.Evaluation\nmodel:\n  _type: trainer.Merge\n  align: {_type: trainer.WeightMatching}\n  models:"+models.String()).Run(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	if ev["test_accuracy"] != first["test_accuracy"] || ev["model_test_accuracy"] != first["test_accuracy"] {
		t.Errorf("evaluation of the merge: %v, the merge's own %v", ev, first)
	}
}

// A saved model (a trainer.Checkpoint) merges with a model trained now,
// residual blocks and LayerNorm included: with itself retrained (the same
// program) there is nothing to align and no barrier; with the program
// trained from another seed, weight matching lowers the barrier.
func TestMergeCheckpointWithResidualBlocks(t *testing.T) {
	_, ckpt := trainSaved(t)
	path := filepath.Join(t.TempDir(), "model.safetensors")
	if err := checkpoint.WriteFile(path, ckpt); err != nil {
		t.Fatal(err)
	}
	merge := func(seed string) map[string]float64 {
		t.Helper()
		second := strings.ReplaceAll(indent(strings.Replace(saveProgram, "seed: 5", seed, 1)), "\n", "\n  ")
		src := "_type: trainer.Merge\nalign: {_type: trainer.WeightMatching}\npoints: 5\nmodels:\n  - {_type: trainer.Checkpoint, path: " + path + "}\n  -\n  " + second
		m, err := program(t, src).Run(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	same := merge("seed: 5")
	if same["loss_barrier"] != 0 || same["loss_barrier_naive"] != 0 || same["test_accuracy"] != same["model_test_accuracy"] {
		t.Errorf("a model and its retrained copy: %v", same)
	}
	other := merge("seed: 7")
	if !(other["loss_barrier"] < other["loss_barrier_naive"]) || !(other["l2_ratio"] < 1) || other["models"] != 2 {
		t.Errorf("a model and another seed's: %v", other)
	}
}

// With a base, the models are aligned to the base: task arithmetic at
// scale 1 over [seed 2's model, the base itself] is base + (π(θ_2) −
// base) + 0 = π(θ_2), which computes what seed 2's model computes.
func TestMergeAlignsToTheBase(t *testing.T) {
	ctx := context.Background()
	baseModel := strings.Replace(mergeModel(1), "  - ", "    ", 1)
	seed2, err := program(t, "_type: trainer.Evaluation\nmodel:"+strings.Replace(mergeModel(2), "  - ", "    ", 1)).Run(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mergeProgram(t, "align: {_type: trainer.WeightMatching}\ncombine: {_type: trainer.TaskArithmetic, scale: 1}\nbase:"+baseModel, 2, 1).Run(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(m["test_loss"]-seed2["test_loss"]) > 1e-5 || m["test_accuracy"] != seed2["test_accuracy"] {
		t.Errorf("merged %v, seed 2's model %v", m, seed2)
	}
}

// Under merge_many every model may be permuted, models[0] too: l2_ratio
// compares the aligned distance with the distance of the models as
// trained, and stays below 1.
func TestMergeManyL2Ratio(t *testing.T) {
	m, err := mergeProgram(t, "align: {_type: trainer.WeightMatching}\nprotocol: merge_many", 1, 2, 3).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	anchor, err := mergeProgram(t, "align: {_type: trainer.WeightMatching}", 1, 2, 3).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !(m["l2_ratio"] > 0 && m["l2_ratio"] < 1) || !(anchor["l2_ratio"] > 0 && anchor["l2_ratio"] < 1) {
		t.Errorf("l2_ratio %g by merge_many, %g by anchor", m["l2_ratio"], anchor["l2_ratio"])
	}
}

// Quantized models merge too, trained now or loaded from the cache (whose
// quantized layers compute with fixed codes): the figures are the same
// both ways, and weight matching lowers the barrier.
func TestMergeQuantizedModels(t *testing.T) {
	ctx := context.Background()
	env, _, _ := cachedEnv(t)
	var models strings.Builder
	for _, s := range []int{1, 2} {
		models.WriteString(strings.Replace(mergeModel(s), "hidden: [32, 32]}", "hidden: [32, 32], quant: {_type: trainer.Ternary, scale: absmean}}", 1))
	}
	p := program(t, "_type: trainer.Merge\nalign: {_type: trainer.WeightMatching}\npoints: 11\nmodels:"+models.String())
	first, err := p.Run(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	again, err := p.Run(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	// 16→32→32→4 ternary: 1.6-bit weights (packed 5 a byte) plus β, and 32-bit biases.
	if want := float64(8*(103+205+26) + 3*32 + 32*(32+32+4)); first["size_bits"] != want {
		t.Errorf("size_bits %v, want %v", first["size_bits"], want)
	}
	if first["cached"] != 0 || again["cached"] != 1 || !(first["loss_barrier"] < first["loss_barrier_naive"]) || !(first["test_accuracy"] > 0.25) {
		t.Errorf("first %v, again %v", first, again)
	}
	for _, k := range []string{"test_accuracy", "test_loss", "loss_barrier", "loss_barrier_naive", "l2_ratio"} {
		if math.Abs(first[k]-again[k]) > 1e-6 {
			t.Errorf("%s: %v trained now, %v from the cache", k, first[k], again[k])
		}
	}
}
