package nn_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// An MLP learns XOR; its parameters are reachable by name.
func Example() {
	m, err := nn.NewMLP(nn.MLPConfig{In: 2, Out: 2, Hidden: []int{8}, Activation: nn.ActTanh, Seed: 1},
		nn.NewAdamW(0), nn.Warmup{Steps: 10, Then: nn.Cosine{Base: 0.05, Steps: 490}})
	if err != nil {
		panic(err)
	}
	x := tensor.FromData([]float32{0, 0, 0, 1, 1, 0, 1, 1}, 4, 2)
	y := []int32{0, 1, 1, 0}
	for range 500 {
		m.TrainStep(x, y)
	}
	loss, acc := m.Evaluate(x, y, 4)
	fmt.Printf("accuracy %.0f%%, loss below 0.05: %v\n", 100*acc, loss < 0.05)
	for _, p := range m.Net.Params() {
		fmt.Println(p.Name, tensor.ShapeString(p.Value.Shape), "decay:", p.Decay)
	}
	// Output:
	// accuracy 100%, loss below 0.05: true
	// layers[0].w [2 8] decay: true
	// layers[0].b [8] decay: false
	// layers[2].w [8 2] decay: true
	// layers[2].b [2] decay: false
}
