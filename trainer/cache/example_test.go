package cache_test

import (
	"context"
	"fmt"
	"os"

	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

// Fill trains a program once: the second call reads the entry the first
// one stored.
func ExampleCache_Fill() {
	dir, err := os.MkdirTemp("", "goglove-cache-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	c, err := cache.Open(dir, 1<<30)
	if err != nil {
		panic(err)
	}
	program := []byte("_type: trainer.Classifier\nmodel: {_type: trainer.MLP, hidden: [4]}\n")
	key := cache.Key(program)
	train := func() (*checkpoint.Checkpoint, error) {
		fmt.Println("training")
		return &checkpoint.Checkpoint{
			Tensors:  []checkpoint.Tensor{{Name: "w", Shape: []int{2}, Data: []float32{0.5, -1}}},
			Metadata: map[string]string{checkpoint.KeyProgram: string(program), checkpoint.KeyMetrics: `{"test_accuracy": 0.9}`},
		}, nil
	}
	for range 2 {
		res, err := c.Fill(context.Background(), key, train)
		if err != nil {
			panic(err)
		}
		fmt.Println("hit:", res.Hit, "w:", res.Checkpoint.Tensors[0].Data)
	}
	entries, err := c.List()
	if err != nil {
		panic(err)
	}
	// The key of a program text never changes unless FormatVersion does.
	for _, e := range entries {
		fmt.Println(e.Key[:12], e.Program, e.Metrics["test_accuracy"])
	}
	// Output:
	// training
	// hit: false w: [0.5 -1]
	// hit: true w: [0.5 -1]
	// bda988d4aef7 trainer.Classifier (trainer.MLP) 0.9
}
