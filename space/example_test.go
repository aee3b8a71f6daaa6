package space_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// A space declared in YAML, decoded with a DNA. The momentum choice m
// exists only when the optimizer is sgd, so the DNA [0, 1, 1] reads:
// candidate 0 of opt (sgd), candidate 1 of m inside it (0.9), candidate 1
// of w (32).
func ExampleRegister() {
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		panic(err)
	}
	tree, err := reg.DecodeYAML([]byte(`
opt: !oneof [{name: sgd, m: !oneof [0.0, 0.9]}, {name: adam}]
w: !oneof [16, 32]
`), nil)
	if err != nil {
		panic(err)
	}
	s, err := space.New(tree)
	if err != nil {
		panic(err)
	}
	for _, p := range s.Spec().All() {
		fmt.Println(p)
	}
	fmt.Println("size:", s.Spec().SizeString())

	dna, err := s.Spec().ParseNumbers("[0, 1, 1]")
	if err != nil {
		panic(err)
	}
	program, err := s.Decode(dna)
	if err != nil {
		panic(err)
	}
	fmt.Println(program)

	back, err := s.Encode(program)
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Spec().Format(back))
	// Output:
	// opt: oneof of 2
	// opt[0].m: oneof of 2
	// w: oneof of 2
	// size: 6
	// {opt: {name: sgd, m: 0.9}, w: 32}
	// [0, 1, 1]
}

// MLP is a child program: a registered Go struct whose tags give the
// schema that hyper-values placed in it must fit.
type MLP struct {
	Hidden     []int   `min:"1" max:"4096" default:"[128]"`
	Activation string  `enum:"relu,gelu,tanh" default:"relu"`
	LR         float64 `sym:"lr" min:"0" max:"1" default:"0.01"`
}

// A Go value used as a template: hyper-values at key paths turn it into a
// space, and the typed space decodes DNA to MLP values.
func ExampleTemplateOf() {
	reg := symbolic.NewRegistry()
	symbolic.MustRegister[MLP](reg, "example.MLP", "a multi-layer perceptron")

	s, err := space.TemplateOf(reg, MLP{Hidden: []int{128, 128}, Activation: "relu", LR: 0.01},
		map[string]space.Hyper{
			"hidden[1]":  space.OneOf(64, 128, 256),
			"activation": space.OneOf("relu", "gelu"),
			"lr":         space.Float(1e-4, 1e-1).Log(),
		})
	if err != nil {
		panic(err)
	}
	dna, err := s.Spec().ParseNumbers("[2, 1, 0.001]")
	if err != nil {
		panic(err)
	}
	m, err := s.Decode(dna)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%T %+v\n", m, m)

	// A candidate the field cannot hold is an error naming the path.
	_, err = space.TemplateOf(reg, MLP{Hidden: []int{128}, Activation: "relu"}, map[string]space.Hyper{
		"activation": space.OneOf("relu", "swish"),
	})
	fmt.Println(err)
	// Output:
	// space_test.MLP {Hidden:[128 256] Activation:gelu LR:0.001}
	// symbolic: activation: candidate 1 of !oneof: want one of relu, gelu, tanh, got string "swish"
}

// A nested search: the outer search decides only the hardware decisions;
// each outer program still holds the other hyper-values, so it is the
// inner (architecture) search's space.
func ExampleSpace_Filter() {
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		panic(err)
	}
	tree, err := reg.DecodeYAML([]byte(`
chip: !oneof {candidates: [cpu, gpu], hints: [hardware]}
batch: !oneof {candidates: [32, 128], hints: [hardware]}
act: !oneof [relu, gelu]
depth: !int {min: 1, max: 3}
`), nil)
	if err != nil {
		panic(err)
	}
	whole := space.MustNew(tree)
	outer := whole.Filter(space.ByHints("hardware"))
	fmt.Println("whole:", whole.Spec().SizeString(), "outer:", outer.Spec().SizeString())

	dna, err := outer.Spec().ParseNumbers("[1, 1]") // gpu, 128
	if err != nil {
		panic(err)
	}
	hw, err := outer.Decode(dna)
	if err != nil {
		panic(err)
	}
	fmt.Println(hw)
	inner, err := space.New(hw)
	if err != nil {
		panic(err)
	}
	for _, p := range inner.Spec().All() {
		fmt.Println("inner:", p)
	}
	fmt.Println("inner size:", inner.Spec().SizeString())
	// Output:
	// whole: 24 outer: 4
	// {chip: gpu, batch: 128, act: !oneof [relu, gelu], depth: !int {min: 1, max: 3}}
	// inner: act: oneof of 2
	// inner: depth: int in [1, 3]
	// inner size: 6
}

// Grid enumerates a finite space in a stable order, the last decision
// turning fastest.
func ExampleDNASpec_Grid() {
	s := space.MustNew(symbolic.NewList(
		space.OneOf("a", "b"),
		space.ManyOf(2, "x", "y", "z").Sorted(true),
	))
	grid, err := s.Spec().Grid()
	if err != nil {
		panic(err)
	}
	for dna := range grid {
		p, err := s.Decode(dna)
		if err != nil {
			panic(err)
		}
		fmt.Println(s.Spec().Format(dna), p)
	}
	// Output:
	// [0, 0, 1] [a, [x, y]]
	// [0, 0, 2] [a, [x, z]]
	// [0, 1, 2] [a, [y, z]]
	// [1, 0, 1] [b, [x, y]]
	// [1, 0, 2] [b, [x, z]]
	// [1, 1, 2] [b, [y, z]]
}

// A DNASpec prints as goglove space inspect shows it; a DNA prints in the
// nested form stores keep (see DNA.MarshalJSON), and DNASpec.Format gives
// its numbers form.
func ExampleDNASpec_String() {
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		panic(err)
	}
	tree, err := reg.DecodeYAML([]byte(`
opt: !oneof [{name: sgd, m: !oneof [0.0, 0.9]}, {name: adam}]
w: !oneof {candidates: [16, 32], hints: [arch]}
`), nil)
	if err != nil {
		panic(err)
	}
	s, err := space.New(tree)
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Spec())
	dna, err := s.Spec().ParseNumbers("[0, 1, 1]")
	if err != nil {
		panic(err)
	}
	fmt.Println(dna, s.Spec().Format(dna))
	// Output:
	// opt: oneof of 2
	//   opt[0].m: oneof of 2
	// w: oneof of 2 (hints: arch)
	// size: 6
	// [0,[[0,[[1]]],[1]]] [0, 1, 1]
}
