package trainer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

// saveProgram is a tiny program with a residual block and a LayerNorm, so
// that nested parameter names are saved too.
const saveProgram = `
_type: trainer.Classifier
data: {_type: trainer.Synthetic, train: 600, validation: 100, test: 300, features: 8, classes: 3}
model:
  _type: trainer.Sequential
  layers:
  - {_type: trainer.Dense, units: 16}
  - {_type: trainer.Residual, body: [{_type: trainer.LayerNorm}, {_type: trainer.Dense, units: 16}]}
  - {_type: trainer.ReLU}
  - {_type: trainer.Dense, units: 3}
optimizer: {_type: trainer.AdamW, lr: 0.01}
epochs: 3
batch: 32
seed: 5
`

// trainSaved trains saveProgram and returns its metrics and checkpoint
// after a round trip through a file.
func trainSaved(t *testing.T) (map[string]float64, *checkpoint.Checkpoint) {
	t.Helper()
	tree, err := newRegistry(t).DecodeYAML([]byte(saveProgram), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := symbolic.To[*trainer.Classifier](tree)
	if err != nil {
		t.Fatal(err)
	}
	m, net, err := trainer.TrainNetwork(context.Background(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	ckpt, err := trainer.NewCheckpoint(tree, net, m, "v-test")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "model.safetensors")
	if err := checkpoint.WriteFile(path, ckpt); err != nil {
		t.Fatal(err)
	}
	back, err := checkpoint.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return m, back
}

func TestSaveEvaluate(t *testing.T) {
	m, ckpt := trainSaved(t)
	t.Run("names and shapes", func(t *testing.T) {
		want := map[string][]int{
			"layers[0].w": {8, 16}, "layers[0].b": {16},
			"layers[1].body.layers[0].gain": {16}, "layers[1].body.layers[0].bias": {16},
			"layers[1].body.layers[1].w": {16, 16}, "layers[1].body.layers[1].b": {16},
			"layers[3].w": {16, 3}, "layers[3].b": {3},
		}
		got := map[string][]int{}
		for _, tn := range ckpt.Tensors {
			got[tn.Name] = tn.Shape
		}
		if len(got) != len(want) {
			t.Errorf("tensors %v, want %v", got, want)
		}
		for name, shape := range want {
			if g, ok := got[name]; !ok || !slices.Equal(g, shape) {
				t.Errorf("tensor %s: shape %v (present %v), want %v", name, g, ok, shape)
			}
		}
	})
	t.Run("metadata", func(t *testing.T) {
		var saved map[string]float64
		if err := json.Unmarshal([]byte(ckpt.Metadata[checkpoint.KeyMetrics]), &saved); err != nil {
			t.Fatal(err)
		}
		if saved["test_accuracy"] != m["test_accuracy"] || saved["test_loss"] != m["test_loss"] {
			t.Errorf("saved metrics %v, trained %v", saved, m)
		}
		if v := ckpt.Metadata[checkpoint.KeyVersion]; v != "v-test" {
			t.Errorf("version %q", v)
		}
		if p := ckpt.Metadata[checkpoint.KeyProgram]; !strings.Contains(p, "trainer.Residual") {
			t.Errorf("program metadata %q", p)
		}
	})
	t.Run("evaluate equals train", func(t *testing.T) {
		e, err := trainer.Evaluate(context.Background(), ckpt)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{trainer.MetricTestAccuracy, trainer.MetricTestLoss} {
			if e[k] != m[k] {
				t.Errorf("%s: evaluated %v, trained %v", k, e[k], m[k])
			}
		}
		if len(e) != 2 {
			t.Errorf("evaluate returned %v, want only the test metrics", e)
		}
	})
}

func TestEvaluateRejects(t *testing.T) {
	_, good := trainSaved(t)
	clone := func() *checkpoint.Checkpoint {
		var buf bytes.Buffer
		if err := checkpoint.Write(&buf, good); err != nil {
			t.Fatal(err)
		}
		c, err := checkpoint.Read(&buf)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		name   string
		tamper func(c *checkpoint.Checkpoint)
		want   string
	}{
		{"missing parameter", func(c *checkpoint.Checkpoint) { c.Tensors = c.Tensors[1:] }, `parameter "layers[0].w" is missing`},
		{"unknown tensor", func(c *checkpoint.Checkpoint) { c.Tensors[0].Name = "layers[9].w" }, `tensor "layers[9].w" is not a parameter`},
		{"wrong shape", func(c *checkpoint.Checkpoint) {
			c.Tensors[0].Shape = []int{16, 8}
		}, `tensor "layers[0].w" has shape [16 8]`},
		{"no program", func(c *checkpoint.Checkpoint) { delete(c.Metadata, checkpoint.KeyProgram) }, "no goglove.program metadata"},
		{"program not yaml", func(c *checkpoint.Checkpoint) { c.Metadata[checkpoint.KeyProgram] = "_type: [" }, "goglove.program"},
		{"not a classifier", func(c *checkpoint.Checkpoint) {
			c.Metadata[checkpoint.KeyProgram] = "_type: trainer.AdamW\n"
		}, "goglove.program"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := clone()
			tc.tamper(c)
			_, err := trainer.Evaluate(context.Background(), c)
			if !errors.Is(err, trainer.ErrCheckpoint) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line wrapping ErrCheckpoint containing %q", err, tc.want)
			}
		})
	}
}

// TestCheckpointRoles checks that a checkpoint records each parameter's
// role and that a role that does not match the model's is refused.
func TestCheckpointRoles(t *testing.T) {
	_, ckpt := trainSaved(t)
	var roles map[string]string
	if err := json.Unmarshal([]byte(ckpt.Metadata[checkpoint.KeyRoles]), &roles); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"layers[0].w": "weight", "layers[0].b": "bias", "layers[1].body.layers[0].gain": "gain"}
	for name, role := range want {
		if roles[name] != role {
			t.Errorf("role of %s = %q, want %q (roles %v)", name, roles[name], role, roles)
		}
	}
	if len(roles) != len(ckpt.Tensors) {
		t.Errorf("%d roles for %d tensors", len(roles), len(ckpt.Tensors))
	}
	roles["layers[0].b"] = "weight"
	b, _ := json.Marshal(roles)
	ckpt.Metadata[checkpoint.KeyRoles] = string(b)
	_, err := trainer.Evaluate(context.Background(), ckpt)
	if !errors.Is(err, trainer.ErrCheckpoint) || !strings.Contains(err.Error(), `"layers[0].b" has role weight, the model's parameter bias`) {
		t.Errorf("a bias saved as a weight: %v", err)
	}
}
