package experiments_test

import (
	"fmt"
	"strings"

	"github.com/c2602f9e/goglove/experiments"
	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// A define-by-run space that chooses the quantizer of each linear layer
// on its own: its decision points, and the programs of three DNA (the
// width, then the quantizers of the three dense layers), one line each
// with the bits its network stores (the size_bits a search minimizes),
// and the model of the last as YAML. search.Run searches it as it
// searches any space; here nothing is trained.
func ExampleBitNetLayerSpace() {
	s, err := experiments.BitNetLayerSpace(2)
	if err != nil {
		panic(err)
	}
	spec := s.Spec()
	fmt.Println(spec)
	var last *trainer.Classifier
	for _, numbers := range [][]float64{
		{0, 0, 0, 0}, // H = 64, every layer fp32
		{1, 2, 2, 0}, // H = 128, ternary absmean but the output layer
		{2, 1, 3, 1}, // H = 256, int8, ternary absmedian, int8
	} {
		dna, err := spec.FromNumbers(numbers)
		if err != nil {
			panic(err)
		}
		p, err := s.Decode(dna)
		if err != nil {
			panic(err)
		}
		var layers []string
		for _, l := range p.Model.(trainer.Sequential).Layers {
			if d, ok := l.(trainer.Dense); ok {
				layers = append(layers, fmt.Sprintf("%d %s", d.Units, quantName(d.Quant)))
			}
		}
		net, err := p.Model.Network(784, 10, 0)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%v: %s; %d bits\n", spec.Format(dna), strings.Join(layers, ", "), nn.StorageOf(net).Bits())
		last = p
	}
	reg := symbolic.NewRegistry()
	if err := trainer.Register(reg); err != nil {
		panic(err)
	}
	model, err := reg.FromGo(last.Model)
	if err != nil {
		panic(err)
	}
	b, err := symbolic.EncodeYAML(model)
	if err != nil {
		panic(err)
	}
	fmt.Print(string(b))
	// Output:
	// width: oneof of 3
	// quant0: oneof of 4
	// quant1: oneof of 4
	// quant2: oneof of 4
	// size: 192
	// [0, 0, 0, 0]: 64 fp32, 64 fp32, 10 fp32; 1761600 bits
	// [1, 2, 2, 0]: 128 ternary absmean, 128 ternary absmean, 10 fp32; 236320 bits
	// [2, 1, 3, 1]: 256 int8 per tensor, 256 ternary absmedian, 10 int8 per tensor; 1747776 bits
	// _type: trainer.Sequential
	// activation: relu
	// init: glorot_uniform
	// quant:
	//   _type: trainer.FP32
	// fp32_first: false
	// fp32_last: false
	// layers:
	//   - _type: trainer.Dense
	//     units: 256
	//     bias: true
	//     init: he_uniform
	//     quant:
	//       _type: trainer.Int8
	//       per: tensor
	//       norm: false
	//   - _type: trainer.ReLU
	//   - _type: trainer.Dense
	//     units: 256
	//     bias: true
	//     init: he_uniform
	//     quant:
	//       _type: trainer.Ternary
	//       scale: absmedian
	//   - _type: trainer.ReLU
	//   - _type: trainer.Dense
	//     units: 10
	//     bias: true
	//     init: glorot_uniform
	//     quant:
	//       _type: trainer.Int8
	//       per: tensor
	//       norm: false
}

// quantName names a quantizer program in a few words.
func quantName(q trainer.Quantizer) string {
	switch q := q.(type) {
	case trainer.FP32:
		return "fp32"
	case trainer.Int8:
		return "int8 per " + q.Per
	case trainer.Ternary:
		return "ternary " + q.Scale
	}
	return fmt.Sprintf("%T", q)
}
