package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The float64 loops trainer/nn ran before these kernels, as the baseline of
// BenchmarkActivation.

func tanhF64(dst, src []float32) {
	for i, v := range src {
		dst[i] = float32(math.Tanh(float64(v)))
	}
}

func geluF64(dst, src []float32) {
	for i, v := range src {
		f := float64(v)
		dst[i] = float32(0.5 * f * (1 + math.Erf(f/math.Sqrt2)))
	}
}

func geluGradF64(dx, dy, x []float32) {
	for i, v := range x {
		f := float64(v)
		d := 0.5*(1+math.Erf(f/math.Sqrt2)) + f*invSqrt2Pi*math.Exp(-0.5*f*f)
		dx[i] = dy[i] * float32(d)
	}
}

// BenchmarkActivation runs Tanh, TanhGrad, GELU and GELUGrad of every path,
// and the float64 loops they replace ("f64"), on the activation of a
// 128×512 layer (65536 values, N(0, 2²)); ns/op is per call.
func BenchmarkActivation(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	const n = 128 * 512
	x, dy, y, dx := randSlice(r, n), randSlice(r, n), make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] *= 2
	}
	tanhGo(y, x)
	type run struct {
		name string
		f    func()
	}
	var runs []run
	for _, g := range impls {
		runs = append(runs,
			run{"Tanh/" + g.name, func() { g.tanh(y, x) }},
			run{"TanhGrad/" + g.name, func() { g.tanhGrad(dx, dy, y) }},
			run{"GELU/" + g.name, func() { g.gelu(y, x) }},
			run{"GELUGrad/" + g.name, func() { g.geluGrad(dx, dy, x) }})
	}
	runs = append(runs,
		run{"Tanh/f64", func() { tanhF64(y, x) }},
		run{"GELU/f64", func() { geluF64(y, x) }},
		run{"GELUGrad/f64", func() { geluGradF64(dx, dy, x) }})
	for _, k := range runs {
		b.Run(k.name, func(b *testing.B) {
			for b.Loop() {
				k.f()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/value")
		})
	}
}
