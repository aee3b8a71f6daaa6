package kernels

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkElementwise runs every element-wise kernel of every path on an
// activation of a 128×512 layer (65536 values) and on the weights of a
// 784×512 layer (401408 values, for the optimizers), reporting GB/s of
// memory touched (loads plus stores).
func BenchmarkElementwise(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const rows, cols = 128, 512
	const act, params = rows * cols, 784 * 512
	x, y, z := randSlice(r, params), randSlice(r, params), randSlice(r, params)
	w, m, v := randSlice(r, params), randSlice(r, params), randSlice(r, params)
	for i := range v {
		v[i] *= v[i]
	}
	bias := randSlice(r, cols)
	for _, g := range impls {
		kernels := []struct {
			name  string
			bytes int // per call
			run   func()
		}{
			{"AddBias", 8 * act, func() { g.addBias(x[:act], rows, cols, bias) }},
			{"SumRows", 4 * act, func() { g.sumRows(y[:cols], x[:act], rows, cols) }},
			{"ReLU", 8 * act, func() { g.relu(y[:act], x[:act]) }},
			{"ReLUGrad", 12 * act, func() { g.reluGrad(z[:act], y[:act], x[:act]) }},
			{"Axpy", 12 * params, func() { g.axpy(1e-9, x, y) }},
			{"Scale", 8 * params, func() { g.scale(1, x) }},
			{"SGDMomentum", 20 * params, func() { g.sgdMomentum(w, x, y, 1e-9, 0.9, 0) }},
			{"AdamW", 28 * params, func() { g.adamW(w, x, m, v, 1e-9, 0.9, 0.999, 1e-8, 0, 1, 1) }},
		}
		for _, k := range kernels {
			b.Run(k.name+"/"+g.name, func(b *testing.B) {
				cpu := measureCPU(b, k.run)
				b.ReportMetric(float64(k.bytes)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
				b.ReportMetric(float64(k.bytes)*float64(b.N)/cpu/1e9, "GB/s-cpu")
			})
		}
	}
}
