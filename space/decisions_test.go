package space

import (
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

// TestDecisions: a DNA's decisions, by ID, with the values they choose;
// decisions of a candidate not chosen are left out.
func TestDecisions(t *testing.T) {
	s := dbrSpace(t)
	spec := s.Spec()
	tests := []struct {
		name    string
		numbers string
		want    string
	}{
		{"sgd", "[1, 20, 0.01, 0, 1, 0, 2, 1, 0]",
			`{act: gelu, width: 20, lr: 0.01, opt: "func#0", "opt[0].momentum": 0.9, layers: [8, 32], order: [b, a]}`},
		{"adam", "[2, 64, 0.1, 1, 1, 2, 0, 1]",
			`{act: tanh, width: 64, lr: 0.1, opt: "func#1", layers: [16, 32], order: [a, b]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := spec.ParseNumbers(tt.numbers)
			if err != nil {
				t.Fatal(err)
			}
			got := spec.Decisions(d)
			want, err := (*symbolic.Registry)(nil).DecodeYAML([]byte(tt.want), nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := symbolic.Diff(want, got); len(diff) > 0 {
				t.Errorf("decisions %s\nwant %s: %v", got, want, diff)
			}
		})
	}
}
