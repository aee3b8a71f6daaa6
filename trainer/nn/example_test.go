package nn_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// A Classifier learns XOR with a small network; its parameters are
// reachable by name and know their roles.
func Example() {
	rng := nn.NewRand(1, 1)
	net := nn.NewSequential(nn.NewDense(2, 8, nn.GlorotUniform, rng), new(nn.Tanh), nn.NewDense(8, 2, nn.GlorotUniform, rng))
	m, err := nn.NewClassifier(net, nn.NewAdamW(0), nn.Warmup{Steps: 10, Then: nn.Cosine{Base: 0.05, Steps: 490}})
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
	for _, p := range net.Params() {
		fmt.Println(p.Name, tensor.ShapeString(p.Value.Shape), p.Role, "decays:", p.Role.Decays())
	}
	// Output:
	// accuracy 100%, loss below 0.05: true
	// layers[0].w [2 8] weight decays: true
	// layers[0].b [8] bias decays: false
	// layers[2].w [8 2] weight decays: true
	// layers[2].b [2] bias decays: false
}

// Frozen parameters do not train: here the first layer stays as it was
// initialized and only the output layer learns, as the base of a network
// does under an adapter.
func ExampleParam_frozen() {
	rng := nn.NewRand(2, 1)
	net := nn.NewSequential(nn.NewDense(2, 8, nn.GlorotUniform, rng), new(nn.ReLU), nn.NewDense(8, 2, nn.GlorotUniform, rng))
	for _, p := range net.Params()[:2] {
		p.Frozen = true
	}
	before := net.Param("layers[0].w").Value.Clone()
	m, err := nn.NewClassifier(net, &nn.SGD{Momentum: 0.9}, nn.Constant(0.1))
	if err != nil {
		panic(err)
	}
	x := tensor.FromData([]float32{0, 1, 1, 0}, 2, 2)
	for range 20 {
		m.TrainStep(x, []int32{0, 1})
	}
	same := true
	for i, v := range net.Param("layers[0].w").Value.Data {
		same = same && v == before.Data[i]
	}
	fmt.Println("first layer unchanged:", same)
	fmt.Println("trainable:", len(nn.Select(net.Params(), nn.Trainable)), "of", len(net.Params()))
	// Output:
	// first layer unchanged: true
	// trainable: 2 of 4
}

// A rank-2 adapter over a frozen layer: at step 0 (B = 0) it computes
// what the base computes; merged, it is one Dense again.
func ExampleLoRA() {
	rng := nn.NewRand(1, 1)
	base := nn.NewDense(4, 3, nn.HeNormal, rng)
	lora := nn.NewLoRA(base, 2, nn.LoRAScale(4, 2, false), false, rng)
	x := tensor.FromData([]float32{1, 2, 3, 4}, 1, 4)
	want := base.Forward(x, false).Clone()
	got := lora.Forward(x, false)
	same := true
	for i, v := range got.Data {
		same = same && v == want.Data[i]
	}
	fmt.Println("gamma:", lora.Gamma)
	fmt.Println("equal to the base at step 0:", same)
	fmt.Println("trainable:", len(lora.Params()), "parameters, merged:", len(lora.Merged().Params()))
	// Output:
	// gamma: 2
	// equal to the base at step 0: true
	// trainable: 2 parameters, merged: 2
}
