package experiments_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/experiments"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
)

// A study whose algorithm section says darts: the space declaration is
// the one any other algorithm would search. RunDarts trains the
// supernet, then the study trains the derived programs from scratch.
func ExampleRunDarts() {
	dir, _ := os.MkdirTemp("", "darts")
	defer os.RemoveAll(dir)
	config := `
study: darts-example
space:
  _type: trainer.Classifier
  data: {_type: trainer.Synthetic, train: 1000, validation: 300, test: 300, features: 16, classes: 4}
  model:
    _type: trainer.Sequential
    activation: !oneof [relu, gelu, tanh]
    layers:
      - {_type: trainer.Dense, units: !oneof [8, 16, 32]}
      - {_type: trainer.Activation}
      - {_type: trainer.Dense, units: 4}
  optimizer: {_type: trainer.AdamW, lr: 0.01}
  epochs: 2
algorithm: {name: darts, epochs: 3, steps_per_epoch: 10, learning_rate: 0.05, top_k: 2, checkpoint: ` + filepath.Join(dir, "supernet.json") + `}
objective: {builtin: trainer.classify}
budget: {trials: 2}
`
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		panic(err)
	}
	if err := trainer.Register(reg); err != nil {
		panic(err)
	}
	cfg, err := search.ParseConfig(reg, "darts.yaml", []byte(config))
	if err != nil {
		panic(err)
	}
	job, err := cfg.Job("darts.yaml", experiments.Builtins())
	if err != nil {
		panic(err)
	}
	epochs := 0
	if err := experiments.RunDarts(context.Background(), job, func(string, ...any) { epochs++ }); err != nil {
		panic(err)
	}
	argmax, _ := job.Algorithm.(*algorithms.Darts).Argmax()
	st := search.NewMemStore()
	res, err := job.Run(context.Background(), st, nil)
	if err != nil {
		panic(err)
	}
	trials, _ := st.Trials(context.Background(), res.Study)
	fmt.Println("supernet epochs:", epochs)
	fmt.Println("derived programs trained:", res.Completed)
	fmt.Println("the first is the argmax:", trials[0].DNA.Equal(argmax))
	// Output:
	// supernet epochs: 3
	// derived programs trained: 2
	// the first is the argmax: true
}
