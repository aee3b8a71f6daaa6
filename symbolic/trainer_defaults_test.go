package symbolic_test

import (
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
)

// TestTrainerGoEqualsYAML checks the defaults rule on goglove's own program
// types: each built in Go from New converts to the tree the same program
// decoded from YAML gives, so trainer.SGD has the documented momentum 0.9
// either way.
func TestTrainerGoEqualsYAML(t *testing.T) {
	reg := symbolic.NewRegistry()
	if err := trainer.Register(reg); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		goV  func() any
		yaml string
	}{
		{"SGD", func() any {
			s := symbolic.MustNew[trainer.SGD](reg)
			s.LR = 0.1
			return s
		}, "{_type: trainer.SGD, lr: 0.1}"},
		{"SGD plain", func() any {
			s := symbolic.MustNew[trainer.SGD](reg)
			s.Momentum = 0 // an explicit zero stays zero
			return s
		}, "{_type: trainer.SGD, momentum: 0}"},
		{"AdamW", func() any { return symbolic.MustNew[trainer.AdamW](reg) }, "_type: trainer.AdamW"},
		{"MLP", func() any { return symbolic.MustNew[trainer.MLP](reg) }, "_type: trainer.MLP"},
		{"Synthetic", func() any { return symbolic.MustNew[trainer.Synthetic](reg) }, "_type: trainer.Synthetic"},
		{"FashionMNIST", func() any { return symbolic.MustNew[*trainer.FashionMNIST](reg) }, "_type: trainer.FashionMNIST"},
		{"Classifier", func() any {
			c := symbolic.MustNew[trainer.Classifier](reg)
			c.Data = symbolic.MustNew[trainer.Synthetic](reg)
			c.Model = symbolic.MustNew[trainer.MLP](reg)
			c.Optimizer = symbolic.MustNew[trainer.SGD](reg)
			c.Epochs = 2
			return c
		}, "_type: trainer.Classifier\ndata: {_type: trainer.Synthetic}\nmodel: {_type: trainer.MLP}\noptimizer: {_type: trainer.SGD}\nepochs: 2\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fromGo, err := reg.FromGo(tc.goV())
			if err != nil {
				t.Fatal(err)
			}
			fromYAML, err := reg.DecodeYAML([]byte(tc.yaml), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !symbolic.Equal(fromGo, fromYAML) {
				t.Errorf("from Go: %v\nfrom YAML: %v", fromGo, fromYAML)
			}
		})
	}
	t.Run("zero value is not the default", func(t *testing.T) {
		// FromGo never fills defaults: a literal's zero momentum is kept.
		tree, err := reg.FromGo(trainer.SGD{LR: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		if m, _ := symbolic.GetPath(tree, "momentum"); !symbolic.Equal(m, symbolic.Float(0)) {
			t.Errorf("momentum = %v, want 0.0", m)
		}
	})
}
