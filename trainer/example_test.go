package trainer_test

import (
	"context"
	"fmt"

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
