package symbolic_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/symbolic"
)

// MLP is a model of a child program. Struct tags give its schema.
type MLP struct {
	Hidden     []int  `min:"1" max:"4096" default:"[256, 256]" doc:"hidden layer widths"`
	Activation string `enum:"relu,gelu,tanh" default:"relu"`
}

// AdamW is an optimizer.
type AdamW struct {
	LR          float64 `sym:"lr" min:"0" default:"0.001"`
	WeightDecay float64 `min:"0"`
}

// Program is a whole experiment: a model, an optimizer and a budget.
type Program struct {
	Model     MLP
	Optimizer AdamW
	Epochs    int `min:"1" default:"5"`
}

func newRegistry() *symbolic.Registry {
	r := symbolic.NewRegistry()
	symbolic.MustRegister[MLP](r, "example.MLP", "a multi-layer perceptron")
	symbolic.MustRegister[AdamW](r, "example.AdamW", "AdamW")
	symbolic.MustRegister[Program](r, "example.Program", "a training program")
	return r
}

func Example() {
	r := newRegistry()
	// A Go value becomes a symbolic tree...
	tree, err := r.FromGo(Program{Model: MLP{Hidden: []int{64}, Activation: "gelu"}, Optimizer: AdamW{LR: 0.01}, Epochs: 3})
	if err != nil {
		panic(err)
	}
	// ...that other code can rewrite, validated and all or nothing...
	err = symbolic.Rebind(tree, map[string]any{"model.hidden": []int{128, 128}, "optimizer.lr": 0.003})
	fmt.Println("rebind:", err)
	err = symbolic.Rebind(tree, map[string]any{"epochs": 10, "model.hidden[0]": 0})
	fmt.Println("rebind:", err)
	// ...save...
	text, _ := symbolic.EncodeYAML(tree)
	fmt.Print(string(text))
	// ...and bind back to typed Go.
	p, _ := symbolic.To[Program](tree)
	fmt.Println(p.Model.Hidden, p.Epochs)
	// Output:
	// rebind: <nil>
	// rebind: symbolic: model.hidden[0]: want int in [1, 4096], got int 0
	// _type: example.Program
	// model:
	//   _type: example.MLP
	//   hidden: [128, 128]
	//   activation: gelu
	// optimizer:
	//   _type: example.AdamW
	//   lr: 0.003
	//   weight_decay: 0.0
	// epochs: 3
	// [128 128] 3
}

func ExampleRegistry_DecodeYAML() {
	r := newRegistry()
	src := []byte("_type: example.Program\nmodel: {_type: example.MLP, activation: swish}\n")
	_, err := r.DecodeYAML(src, &symbolic.DecodeOptions{Filename: "program.yaml"})
	fmt.Println(err)
	v, _ := r.DecodeYAML([]byte("_type: example.MLP\n"), nil)
	fmt.Println(v) // defaults are filled in
	// Output:
	// symbolic: program.yaml:2:29: model.activation: want one of relu, gelu, tanh, got string "swish"
	// {_type: example.MLP, hidden: [256, 256], activation: relu}
}

func ExampleParsePath() {
	p, _ := symbolic.ParsePath(`model.layers[2]["x.y"]`)
	fmt.Println(p.Len(), p.Parent(), p)
	// Output: 4 model.layers[2] model.layers[2]["x.y"]
}

func ExampleQuery() {
	r := newRegistry()
	tree, _ := r.DecodeYAML([]byte("_type: example.Program\nmodel: {_type: example.MLP, hidden: [32, 64]}\n"), nil)
	matches, _ := symbolic.Query(tree, "model.hidden[*]", nil)
	for _, m := range matches {
		fmt.Println(m.Path, m.Value)
	}
	// Output:
	// model.hidden[0] 32
	// model.hidden[1] 64
}

func ExampleDiff() {
	r := newRegistry()
	a, _ := r.DecodeYAML([]byte("_type: example.MLP\nhidden: [8, 8]\n"), nil)
	b := symbolic.Clone(a)
	_ = symbolic.Rebind(b, map[string]any{"hidden[1]": 16, "activation": "tanh"})
	for _, d := range symbolic.Diff(a, b) {
		fmt.Println(d)
	}
	fmt.Println(symbolic.Equal(a, b), symbolic.Hash(a) == symbolic.Hash(symbolic.Clone(a)))
	// Output:
	// hidden[1]: 8 -> 16
	// activation: relu -> tanh
	// false true
}

func ExampleWalk() {
	tree, _ := symbolic.NewRegistry().DecodeJSON([]byte(`{"a": [1, 2], "b": {"c": null}}`), nil)
	_ = symbolic.Walk(tree, func(p symbolic.KeyPath, v symbolic.Value) error {
		fmt.Printf("%q %v\n", p.String(), v.Kind())
		return nil
	})
	// Output:
	// "" dict
	// "a" list
	// "a[0]" int
	// "a[1]" int
	// "b" dict
	// "b.c" null
}

func ExampleNew() {
	r := newRegistry()
	// A literal has every field: its zero epochs is taken as given.
	_, err := r.FromGo(Program{Model: MLP{Activation: "gelu"}})
	fmt.Println(err)
	// New starts from the defaults that decoding applies to missing fields.
	p := symbolic.MustNew[Program](r)
	p.Model.Activation = "gelu"
	fromGo, _ := r.FromGo(p)
	fromYAML, _ := r.DecodeYAML([]byte("{_type: example.Program, model: {_type: example.MLP, activation: gelu}}"), nil)
	fmt.Println(fromGo)
	fmt.Println(symbolic.Equal(fromGo, fromYAML))
	// Output:
	// symbolic: epochs: want int in [1, +inf), got int 0
	// {_type: example.Program, model: {_type: example.MLP, hidden: [256, 256], activation: gelu}, optimizer: {_type: example.AdamW, lr: 0.001, weight_decay: 0.0}, epochs: 5}
	// true
}
