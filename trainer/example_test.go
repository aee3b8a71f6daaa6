package trainer_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
)

// A child program written in YAML is decoded with its schema checked,
// bound to Go and trained.
func Example() {
	r := symbolic.NewRegistry()
	if err := trainer.Register(r); err != nil {
		panic(err)
	}
	program := `
_type: trainer.Classifier
data: {_type: trainer.Synthetic, train: 2000, validation: 500, test: 500}
model: {_type: trainer.MLP, hidden: [32], activation: gelu}
optimizer: {_type: trainer.AdamW, lr: 0.01}
epochs: 5
batch: 50
schedule: cosine
`
	tree, err := r.DecodeYAML([]byte(program), nil)
	if err != nil {
		panic(err)
	}
	c, err := symbolic.To[*trainer.Classifier](tree)
	if err != nil {
		panic(err)
	}
	m, err := trainer.Train(context.Background(), c, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("params:", m["params"], "bits:", m["size_bits"], "steps:", m["steps"])
	fmt.Println("test accuracy above 80%:", m["test_accuracy"] > 0.8)

	// Bad programs are rejected with the key path of the problem.
	_, err = r.DecodeYAML([]byte("_type: trainer.Classifier\ndata: {_type: trainer.Synthetic}\nmodel: {_type: trainer.MLP, hidden: [0]}\noptimizer: {_type: trainer.SGD}\n"), nil)
	fmt.Println(err)
	// Output:
	// params: 2410 bits: 77120 steps: 200
	// test accuracy above 80%: true
	// symbolic: line 3, column 29: model.hidden[0]: want int in [1, 65536], got int 0
}

// A Sequential lists the network layer by layer; each layer is told its
// input width, and a width that does not fit names its key path.
func ExampleSequential() {
	r := symbolic.NewRegistry()
	if err := trainer.Register(r); err != nil {
		panic(err)
	}
	model := `
_type: trainer.Sequential
layers:
- {_type: trainer.Dense, units: 256, init: he_uniform}
- {_type: trainer.ReLU}
- _type: trainer.Residual
  body: [{_type: trainer.LayerNorm}, {_type: trainer.Dense, units: 256, init: he_uniform}, {_type: trainer.GELU}]
- {_type: trainer.Dense, units: 10}
`
	for _, m := range []string{model, strings.Replace(model, "units: 10", "units: 12", 1), strings.Replace(model, "256, init: he_uniform}, {", "128, init: he_uniform}, {", 1)} {
		tree, err := r.DecodeYAML([]byte(m), nil)
		if err != nil {
			panic(err)
		}
		s, err := symbolic.To[trainer.Sequential](tree)
		if err != nil {
			panic(err)
		}
		net, err := s.Network(64, 10, 1)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println("params:", net.NumParams())
	}
	// Output:
	// params: 85514
	// trainer: invalid program: model.layers[3].units: the last layer's width is 12, want 10 (the number of classes)
	// trainer: invalid program: model.layers[2].body[1].units: the residual body's output width is 128, its input's is 256 (set by model.layers[0].units); they must be equal
}
