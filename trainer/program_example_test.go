package trainer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

// A trained network is saved as a safetensors file and loaded again for
// inference, without training: the loaded network evaluates to the
// figures of the run that trained it.
func ExampleNewCheckpoint() {
	r := symbolic.NewRegistry()
	if err := trainer.Register(r); err != nil {
		panic(err)
	}
	tree, err := r.DecodeYAML([]byte(`
_type: trainer.Classifier
data: {_type: trainer.Synthetic, train: 1000, validation: 0, test: 500, features: 8, classes: 3}
model: {_type: trainer.MLP, hidden: [16]}
optimizer: {_type: trainer.AdamW, lr: 0.01}
epochs: 3
batch: 50
`), nil)
	if err != nil {
		panic(err)
	}
	c, err := symbolic.To[*trainer.Classifier](tree)
	if err != nil {
		panic(err)
	}
	m, net, err := trainer.TrainNetwork(context.Background(), c, nil)
	if err != nil {
		panic(err)
	}
	ckpt, err := trainer.NewCheckpoint(tree, net, m, "")
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.safetensors")
	if err := checkpoint.WriteFile(path, ckpt); err != nil {
		panic(err)
	}

	back, err := checkpoint.ReadFile(path)
	if err != nil {
		panic(err)
	}
	for _, t := range back.Tensors {
		fmt.Println(t.Name, t.Shape)
	}
	again, err := trainer.Evaluate(context.Background(), back)
	if err != nil {
		panic(err)
	}
	fmt.Println("same test accuracy:", again["test_accuracy"] == m["test_accuracy"])
	// Output:
	// layers[0].w [8 16]
	// layers[0].b [16]
	// layers[2].w [16 3]
	// layers[2].b [3]
	// same test accuracy: true
}

// Programs hold programs: an Evaluation takes a trained model (here a
// Classifier, trained first; a Checkpoint file would do) and evaluates it
// on other data, so that a whole pipeline is one tree, and one search
// space. AsProgram binds any trainer program; Run runs it.
func ExampleEvaluation() {
	r := symbolic.NewRegistry()
	if err := trainer.Register(r); err != nil {
		panic(err)
	}
	tree, err := r.DecodeYAML([]byte(`
_type: trainer.Evaluation
model:
  _type: trainer.Classifier
  data: {_type: trainer.Synthetic, train: 1000, validation: 0, test: 500, features: 8, classes: 3}
  model: {_type: trainer.MLP, hidden: [16]}
  optimizer: {_type: trainer.AdamW, lr: 0.01}
  epochs: 3
  batch: 50
data: {_type: trainer.Synthetic, train: 1000, validation: 0, test: 500, features: 8, classes: 3, noise: 2.0}
`), nil)
	if err != nil {
		panic(err)
	}
	p, err := trainer.AsProgram(tree)
	if err != nil {
		panic(err)
	}
	m, err := p.Run(context.Background(), nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%T\n", p)
	fmt.Println("noisier data, lower accuracy:", m["test_accuracy"] < m["model_test_accuracy"])
	// Output:
	// trainer.Evaluation
	// noisier data, lower accuracy: true
}
