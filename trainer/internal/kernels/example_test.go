package kernels_test

import (
	"fmt"

	"github.com/c2602f9e/goglove/trainer/internal/kernels"
)

// A dense layer's three products: the forward pass Y = X·W, the weight
// gradient dW = Xᵀ·dY and the input gradient dX = dY·Wᵀ, with W stored
// in×out.
func ExampleGemm() {
	const batch, in, out = 2, 3, 2
	x := []float32{1, 2, 3, 4, 5, 6} // batch×in
	w := []float32{1, 0, 0, 1, 1, 1} // in×out
	y := make([]float32, batch*out)
	kernels.Gemm(false, false, batch, out, in, 1, x, in, w, out, 0, y, out)
	fmt.Println("Y =", y)

	dy := []float32{1, 0, 0, 1} // batch×out
	dw := make([]float32, in*out)
	kernels.Gemm(true, false, in, out, batch, 1, x, in, dy, out, 0, dw, out)
	fmt.Println("dW =", dw)

	dx := make([]float32, batch*in)
	kernels.Gemm(false, true, batch, in, out, 1, dy, out, w, out, 0, dx, in)
	fmt.Println("dX =", dx)
	// Output:
	// Y = [4 5 10 11]
	// dW = [1 4 2 5 3 6]
	// dX = [1 0 1 0 1 1]
}

// AdamW with bias corrections for step t = 1.
func ExampleAdamW() {
	w := []float32{1, -1}
	grad := []float32{0.5, -0.5}
	m := make([]float32, 2)
	v := make([]float32, 2)
	const b1, b2 = 0.9, 0.999
	kernels.AdamW(w, grad, m, v, 0.1, b1, b2, 1e-8, 0, 1/(1-b1), 1/(1-b2))
	fmt.Printf("%.3f\n", w)
	// Output:
	// [0.900 -0.900]
}
