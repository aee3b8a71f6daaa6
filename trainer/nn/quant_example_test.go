package nn_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// A ternary layer computes with codes in {−1, 0, 1} times β, the mean of
// |W|, and stores them five to a byte (0, −1, 1, 0, 1 as the digits
// 1, 0, 2, 1, 2: 1 + 2·9 + 27 + 2·81 = 208). Its input is quantized too:
// −0.5 becomes −64/127 (−63.5 rounded half to even), so y is −0.4 −
// 0.4·64/127, not −0.6.
func ExampleQuantDense() {
	d := nn.NewQuantDense(2, 3, false, nn.GlorotUniform, nn.NewRand(1, 1), nn.QuantConfig{Format: nn.TernaryAbsMean})
	copy(d.W.Value.Data, []float32{0.05, -0.6, 0.3, 0.2, 0.9, -0.35})
	fmt.Println("codes:", d.Codes(), "β:", d.Scales())
	fmt.Println("Ŵ:", d.Weights())
	fmt.Println("packed:", nn.PackTernary(nil, d.Codes()), "bits:", d.SizeBits())
	y := d.Forward(tensor.FromData([]float32{1, -0.5}, 1, 2), false)
	fmt.Println("y:", y.Data)
	// Output:
	// codes: [0 -1 1 0 1 -1] β: [0.4]
	// Ŵ: [0 -0.4 0.4 0 0.4 -0.4]
	// packed: [208 120] bits: 48
	// y: [0 -0.60157484 0.60157484]
}
