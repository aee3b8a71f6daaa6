package trainer_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
)

// One decision on the model's activation searches every activation layer
// that leaves its own empty; Inherited lists what each empty field takes.
func ExampleInherited() {
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		panic(err)
	}
	if err := trainer.Register(reg); err != nil {
		panic(err)
	}
	tree, err := reg.DecodeYAML([]byte(`_type: trainer.Sequential
activation: !oneof [relu, gelu]
init: he_uniform
layers:
- {_type: trainer.Dense, units: 64}
- {_type: trainer.Activation}
- {_type: trainer.Dense, units: 64}
- {_type: trainer.Activation, activation: tanh}
- {_type: trainer.Dense, units: 10, init: glorot_uniform}
`), nil)
	if err != nil {
		panic(err)
	}
	for _, in := range trainer.Inherited(tree) {
		fmt.Printf("%s: %s (from %s)\n", in.Path, in.Value, in.From)
	}
	// Output:
	// layers[0].init: he_uniform (from init)
	// layers[1].activation: !oneof [relu, gelu] (from activation)
	// layers[2].init: he_uniform (from init)
}

// A Go literal leaves the model's fields nil, which stand for their
// declared defaults; a layer's own value wins over the model's.
func ExampleSequential_Defaults() {
	s := trainer.Sequential{Activation: new("gelu"), Layers: []trainer.Layer{
		trainer.Dense{Units: 32, Bias: true},
		trainer.Activation{},
		trainer.Dense{Units: 10, Bias: true, Init: new("he_uniform")},
	}}
	d, err := s.Defaults()
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Activation, d.Init)
	net, err := s.Network(784, 10, 0)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%T, %d parameters\n", net.Layers[1], net.NumParams())
	// Output:
	// gelu glorot_uniform
	// *nn.GELU, 25450 parameters
}
