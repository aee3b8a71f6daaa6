package kernels_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/internal/kernels"
)

// A quantized dense layer's product: activations quantized to int8 per
// row, ternary weights packed once, an exact int32 product, and back to
// float32 with the weights' scale.
func ExampleGemmTernaryS8() {
	const batch, in, out = 2, 3, 2
	w := []int8{ // in×out, codes in {−1, 0, 1}
		1, -1,
		0, 1,
		-1, 1,
	}
	pw, err := kernels.PackTernary(w, in, out)
	if err != nil {
		panic(err)
	}
	x := []float32{1, 0.5, -1, 2, 2, 2} // batch×in
	q := make([]int8, batch*in)
	steps := make([]float32, batch)
	for i := range batch {
		steps[i] = kernels.QuantizeRowS8(q[i*in:i*in+in], x[i*in:i*in+in]) / 127
	}
	fmt.Println("q =", q)
	acc := make([]int32, batch*out)
	kernels.GemmTernaryS8(batch, q, in, pw, acc, out)
	fmt.Println("acc =", acc)
	y := make([]float32, batch*out)
	scale, bias := []float32{0.5, 0.5}, []float32{0, 0}
	for i := range batch {
		kernels.DequantizeRow(y[i*out:i*out+out], acc[i*out:i*out+out], scale, bias, steps[i])
	}
	fmt.Println("y =", y)
	// Output:
	// q = [127 64 -127 127 127 127]
	// acc = [254 -190 0 127]
	// y = [1 -0.7480315 0 1]
}

// The int8 product is exact for any codes in [−127, 127], whatever the
// path.
func ExampleGemmS8S8() {
	w := []int8{127, -127, -127, 127} // 2×2
	pw, err := kernels.PackS8(w, 2, 2)
	if err != nil {
		panic(err)
	}
	a := []int8{127, 127, -127, 127} // 2×2
	c := make([]int32, 4)
	kernels.GemmS8S8(2, a, 2, pw, c, 2)
	fmt.Println(c)
	// Output: [0 0 -32258 32258]
}
