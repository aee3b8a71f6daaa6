package checkpoint_test

import (
	"bytes"
	"fmt"

	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

func Example() {
	ckpt := &checkpoint.Checkpoint{
		Tensors: []checkpoint.Tensor{
			{Name: "layers[0].w", Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}},
			{Name: "layers[0].b", Shape: []int{3}, Data: []float32{0.5, 0, -0.5}},
		},
		Metadata: map[string]string{
			checkpoint.KeyProgram: "_type: trainer.Classifier\n",
			checkpoint.KeyMetrics: `{"accuracy":0.9}`,
			checkpoint.KeyVersion: "v0.1.0",
		},
	}
	var file bytes.Buffer
	if err := checkpoint.Write(&file, ckpt); err != nil {
		fmt.Println(err)
		return
	}
	back, err := checkpoint.Read(&file)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range back.Tensors {
		fmt.Println(t.Name, t.Shape, t.Data)
	}
	fmt.Println(back.Metadata[checkpoint.KeyMetrics])
	// Output:
	// layers[0].w [2 3] [1 2 3 4 5 6]
	// layers[0].b [3] [0.5 0 -0.5]
	// {"accuracy":0.9}
}
