package space_test

import (
	"testing"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/google/go-cmp/cmp"
)

func TestColumnsAndRow(t *testing.T) {
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		t.Fatal(err)
	}
	tree, err := reg.DecodeYAML([]byte(`
opt: !oneof [{name: sgd, m: !float {min: 0, max: 0.9}}, adam]
depth: !int {min: 1, max: 4}
layers: !manyof {k: 2, candidates: [a, b, c]}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := space.New(tree)
	if err != nil {
		t.Fatal(err)
	}
	spec := s.Spec()
	var names []string
	for _, c := range spec.Columns() {
		names = append(names, c.Name)
	}
	if d := cmp.Diff([]string{"opt", "opt[0].m", "depth", "layers#0", "layers#1"}, names); d != "" {
		t.Errorf("Columns (-want +got):\n%s", d)
	}
	tests := []struct {
		name, numbers string
		want          map[string]space.Cell
	}{
		{name: "sgd", numbers: "[0, 0.5, 3, 2, 0]", want: map[string]space.Cell{
			"opt":      {Index: 0, Number: 0, Text: `{name: sgd, m: !float {min: 0.0, max: 0.9}}`},
			"opt[0].m": {Index: -1, Number: 0.5, Text: "0.5"},
			"depth":    {Index: -1, Number: 3, Text: "3"},
			"layers#0": {Index: 2, Number: 2, Text: "c"},
			"layers#1": {Index: 0, Number: 0, Text: "a"},
		}},
		{name: "adam leaves m out", numbers: "[1, 1, 0, 1]", want: map[string]space.Cell{
			"opt":      {Index: 1, Number: 1, Text: "adam"},
			"depth":    {Index: -1, Number: 1, Text: "1"},
			"layers#0": {Index: 0, Number: 0, Text: "a"},
			"layers#1": {Index: 1, Number: 1, Text: "b"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dna, err := spec.ParseNumbers(tt.numbers)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, spec.Row(dna)); d != "" {
				t.Errorf("Row(%s) (-want +got):\n%s", tt.numbers, d)
			}
		})
	}
}
