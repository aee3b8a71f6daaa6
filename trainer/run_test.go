package trainer_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

// program decodes src and binds it to a trainer.Program.
func program(t *testing.T, src string) trainer.Program {
	t.Helper()
	tree, err := newRegistry(t).DecodeYAML([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := trainer.AsProgram(tree)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAsProgramRefusesWhatIsNotAProgram(t *testing.T) {
	for src, got := range map[string]string{
		"{_type: trainer.MLP}": "got trainer.MLP",
		"{a: 1}":               "got a dict",
		"null":                 "got nothing",
	} {
		tree, err := newRegistry(t).DecodeYAML([]byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = trainer.AsProgram(tree)
		if !errors.Is(err, trainer.ErrProgram) || !strings.Contains(err.Error(), "trainer.Classifier") || !strings.HasSuffix(err.Error(), got) {
			t.Errorf("AsProgram(%s) = %v, want an ErrProgram naming trainer.Classifier and ending %q", src, err, got)
		}
	}
}

func TestClassifierRunIsTrain(t *testing.T) {
	want, err := trainer.Train(context.Background(), decode(t, saveProgram), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := program(t, saveProgram).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got[trainer.MetricCached] != 0 {
		t.Errorf("cached = %v, want 0", got[trainer.MetricCached])
	}
	for k, v := range want {
		if k != trainer.MetricTrainSeconds && got[k] != v {
			t.Errorf("%s = %v, want %v (as Train)", k, got[k], v)
		}
	}
}

// TestEvaluationOfAClassifierAndOfItsCheckpoint evaluates one model three
// ways: trained inside the Evaluation, saved and read back as a
// trainer.Checkpoint, and on transformed data; the first two equal the
// training run's own test figures bit for bit.
func TestEvaluationOfAClassifierAndOfItsCheckpoint(t *testing.T) {
	trainM, ckpt := trainSaved(t)
	path := filepath.Join(t.TempDir(), "model.safetensors")
	if err := checkpoint.WriteFile(path, ckpt); err != nil {
		t.Fatal(err)
	}
	nested := "_type: trainer.Evaluation\nmodel:\n" + indent(saveProgram)
	fromFile := "{_type: trainer.Evaluation, model: {_type: trainer.Checkpoint, path: " + path + "}}"
	for name, src := range map[string]string{"nested classifier": nested, "checkpoint": fromFile} {
		m, err := program(t, src).Run(context.Background(), nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, k := range []string{trainer.MetricTestAccuracy, trainer.MetricTestLoss} {
			if m[k] != trainM[k] {
				t.Errorf("%s: %s = %v, the training run's %v", name, k, m[k], trainM[k])
			}
		}
		if m[trainer.MetricModelTestAccuracy] != trainM[trainer.MetricTestAccuracy] || m[trainer.MetricParams] != trainM[trainer.MetricParams] {
			t.Errorf("%s: model_test_accuracy %v, params %v; want %v and %v", name, m[trainer.MetricModelTestAccuracy], m[trainer.MetricParams], trainM[trainer.MetricTestAccuracy], trainM[trainer.MetricParams])
		}
	}
	// Other data of the same shape: a different test set, other figures.
	other := "{_type: trainer.Evaluation, model: {_type: trainer.Checkpoint, path: " + path + "}, data: {_type: trainer.Synthetic, train: 600, validation: 100, test: 300, features: 8, classes: 3, noise: 1.5}}"
	m, err := program(t, other).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if m[trainer.MetricTestLoss] == trainM[trainer.MetricTestLoss] {
		t.Errorf("noisier data gave the same test loss %v", m[trainer.MetricTestLoss])
	}
	// Data of another shape is refused, naming both shapes.
	bad := "{_type: trainer.Evaluation, model: {_type: trainer.Checkpoint, path: " + path + "}, data: {_type: trainer.Synthetic, features: 8, classes: 4}}"
	_, err = program(t, bad).Run(context.Background(), nil)
	if !errors.Is(err, trainer.ErrProgram) || !strings.Contains(err.Error(), "data: 8 features and 4 classes, the model takes 8 features to 3 classes") {
		t.Errorf("evaluation on 4 classes: %v", err)
	}
}

func TestCheckpointProgramErrorsNameTheFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.safetensors")
	_, err := trainer.Checkpoint{Path: missing}.TrainedModel(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: %v, want an error naming %s", err, missing)
	}
}

// indent indents a YAML document by two spaces, to nest it under a key.
func indent(doc string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(doc), "\n") {
		b.WriteString("  " + line + "\n")
	}
	return b.String()
}

// TestEvaluationReportsTheModelsSize evaluates a ternary model: the
// stage reports the size metrics its training run did.
func TestEvaluationReportsTheModelsSize(t *testing.T) {
	src := strings.Replace(saveProgram, "  _type: trainer.Sequential\n", "  _type: trainer.Sequential\n  quant: {_type: trainer.Ternary, scale: absmedian}\n", 1)
	trained, err := program(t, src).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := program(t, "_type: trainer.Evaluation\nmodel:\n"+indent(src)).Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{trainer.MetricSizeBits, trainer.MetricBitsPerWeight, trainer.MetricZeros, trainer.MetricTestAccuracy} {
		if v, ok := trained[k]; !ok || m[k] != v {
			t.Errorf("%s: evaluation %v, training run %v", k, m[k], trained[k])
		}
	}
	if trained[trainer.MetricSizeBits] >= 32*trained[trainer.MetricParams] {
		t.Errorf("size_bits %v of a ternary model, want far less than 32 × %v params", trained[trainer.MetricSizeBits], trained[trainer.MetricParams])
	}
}
