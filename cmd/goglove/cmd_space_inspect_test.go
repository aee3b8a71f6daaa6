package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// defaultsExample is the example config that searches a model-level
// default.
var defaultsExample = filepath.Join("..", "..", "experiments", "configs", "sequential-defaults.yaml")

// TestSpaceInspectEffective checks the effective layer fields inspect
// prints after the decision points of the example config.
func TestSpaceInspectEffective(t *testing.T) {
	_, stdout, _ := mustRunSpace(t, "inspect", defaultsExample)
	want := `space.model.activation: oneof of 3
space.model.layers[2].body[1].units: oneof of 3
size: 9
effective layer fields:
  space.model.layers[0].init: he_uniform (from space.model.init)
  space.model.layers[1].activation: !oneof [relu, gelu, tanh] (from space.model.activation)
  space.model.layers[2].body[1].init: he_uniform (from space.model.init)
  space.model.layers[2].body[2].activation: !oneof [relu, gelu, tanh] (from space.model.activation)
  space.model.layers[2].body[3].init: he_uniform (from space.model.init)
  space.model.layers[3].activation: !oneof [relu, gelu, tanh] (from space.model.activation)
`
	if stdout != want {
		t.Errorf("inspect printed:\n%s\nwant:\n%s", stdout, want)
	}
}

// TestSpaceInspectEffectiveJSON checks the effective key of inspect --json
// on a space whose layers sit in the candidates of choices: their paths
// follow the decision points' IDs.
func TestSpaceInspectEffectiveJSON(t *testing.T) {
	file := filepath.Join(t.TempDir(), "space.yaml")
	src := `_type: trainer.Classifier
data: {_type: trainer.Synthetic}
optimizer: {_type: trainer.SGD}
model:
  _type: trainer.Sequential
  layers: !oneof
  - [{_type: trainer.Dense, units: 10}]
  - - {_type: trainer.Dense, units: 32, init: he_uniform}
    - !oneof [{_type: trainer.Activation}, {_type: trainer.Activation, activation: tanh}]
    - {_type: trainer.Dense, units: 10, init: !oneof [null, he_uniform]}
`
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got := inspectJSON(t, file)
	var ids []string
	for _, p := range got["decision_points"].([]any) {
		ids = append(ids, p.(map[string]any)["id"].(string))
	}
	if want := []string{"model.layers", "model.layers[1][1]", "model.layers[1][2].init"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("decision points %v, want %v", ids, want)
	}
	want := []any{
		map[string]any{"path": "model.layers[0][0].init", "value": "glorot_uniform", "from": "model.init"},
		map[string]any{"path": "model.layers[1][1][0].activation", "value": "relu", "from": "model.activation"},
		map[string]any{"path": "model.layers[1][2].init[0]", "value": "glorot_uniform", "from": "model.init"},
	}
	if !reflect.DeepEqual(got["effective"], want) {
		t.Errorf("effective = %v\nwant %v", got["effective"], want)
	}

	// The model's field is itself a decision: the value is the hyper-value.
	if err := os.WriteFile(file, []byte(strings.Replace(src, "layers: !oneof", "activation: !oneof [gelu, tanh]\n  layers: !oneof", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stdout, _ := mustRunSpace(t, "inspect", "--json", file)
	var out struct {
		Effective []struct{ Path, Value, From string } `json:"effective"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Effective) != 3 || out.Effective[1].Value != "!oneof [gelu, tanh]" || out.Effective[1].From != "model.activation" {
		t.Errorf("effective = %+v, want layer [1][1][0]'s activation from the decision at model.activation", out.Effective)
	}
}

// TestDefaultsExampleSearch runs the example config's grid search: each
// of its nine programs trains.
func TestDefaultsExampleSearch(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), "search", defaultsExample, "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit code %d, stderr %q; want 0 and none", code, stderr)
	}
	out := decodeSearchJSON(t, stdout, false)
	if out.Completed != 9 || out.Failed != 0 || out.Best == nil {
		t.Errorf("%d completed, %d failed, best %v; want 9, none and a best", out.Completed, out.Failed, out.Best)
	}
}
