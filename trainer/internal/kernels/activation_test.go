package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Float64 references of the activations.

func tanhRef(x float32) float64 { return math.Tanh(float64(x)) }

func geluRef(x float32) float64 {
	f := float64(x)
	if math.IsInf(f, -1) {
		return 0 // the limit; the formula gives −∞·0
	}
	return 0.5 * f * (1 + math.Erf(f/math.Sqrt2))
}

func geluGradRef(x float32) float64 {
	f := float64(x)
	if math.IsInf(f, 0) {
		return max(math.Copysign(1, f), 0) // Φ(±∞) and x·φ(x) → 0
	}
	return 0.5*math.Erfc(-f/math.Sqrt2) + f*invSqrt2Pi*math.Exp(-0.5*f*f)
}

// activationInputs is the accuracy sweep: [-10, 10] in steps of 2⁻¹⁶ (with
// a small jitter so that the points are not all dyadic), the float32 neighbourhood
// of the branch points, and special and huge values.
func activationInputs() []float32 {
	var xs []float32
	for i := -10 << 16; i <= 10<<16; i++ {
		xs = append(xs, float32(i)/(1<<16)+float32(i%7)*1e-6)
	}
	for _, b := range []float32{tanhSmall, 10, geluLim, 12.4, 13.2, 87} {
		for _, s := range []float32{-1, 1} {
			v := s * b
			for i := 0; i < 40; i++ {
				xs = append(xs, v)
				v = math.Nextafter32(v, 0)
			}
			v = s * b
			for i := 0; i < 40; i++ {
				v = math.Nextafter32(v, s*float32(math.Inf(1)))
				xs = append(xs, v)
			}
		}
	}
	inf := float32(math.Inf(1))
	for _, v := range []float32{0, 1e-45, 1e-40, 1.2e-38, 1e-30, 1e-10, 1e-4, 0.1, 15, 30, 50, 100, 1e4, 1e10, 1e30, math.MaxFloat32, inf} {
		xs = append(xs, v, -v)
	}
	return append(xs, float32(math.NaN()), -float32(math.NaN()))
}

// actErr is the error of got against the float64 want, relative to
// max(1, |x|); NaN must give NaN.
func actErr(got float32, want float64, x float32) float64 {
	if math.IsNaN(want) || math.IsNaN(float64(got)) {
		if math.IsNaN(want) && math.IsNaN(float64(got)) {
			return 0
		}
		return math.Inf(1)
	}
	if math.IsInf(want, 0) {
		if float64(got) == want {
			return 0
		}
		return math.Inf(1)
	}
	return math.Abs(float64(got)-want) / max(1, math.Abs(float64(x)))
}

// TestActivationAccuracy sweeps every path of Tanh, GELU and GELUGrad
// against float64 math; -v prints the maximum errors.
func TestActivationAccuracy(t *testing.T) {
	xs := activationInputs()
	ones := make([]float32, len(xs))
	for i := range ones {
		ones[i] = 1
	}
	got := make([]float32, len(xs))
	for _, g := range impls {
		type kernel struct {
			name string
			run  func()
			ref  func(float32) float64
			tol  float64
		}
		for _, k := range []kernel{
			{"Tanh", func() { g.tanh(got, xs) }, tanhRef, 2e-6},
			{"GELU", func() { g.gelu(got, xs) }, geluRef, 1e-5},
			{"GELUGrad", func() { g.geluGrad(got, ones, xs) }, geluGradRef, 1e-5},
		} {
			k.run()
			worst, at := 0.0, float32(0)
			for i, x := range xs {
				if e := actErr(got[i], k.ref(x), x); e > worst || math.IsNaN(e) {
					worst, at = e, x
				}
			}
			if worst > k.tol {
				i := slices.Index(xs, at)
				t.Errorf("%s %s: error %.3g at x=%g (got %g, want %g)", g.name, k.name, worst, at, got[i], k.ref(at))
			}
			t.Logf("%s %s: max error %.3g at x=%g", g.name, k.name, worst, at)
		}
		// Signs and saturation exactly.
		g.tanh(got[:4], []float32{float32(math.Inf(1)), float32(math.Inf(-1)), 1e30, -1e30})
		if !slices.Equal(got[:4], []float32{1, -1, 1, -1}) {
			t.Errorf("%s Tanh(±Inf, ±1e30) = %v", g.name, got[:4])
		}
		g.gelu(got[:2], []float32{float32(math.Inf(1)), 1e30})
		if got[0] != float32(math.Inf(1)) || got[1] != 1e30 {
			t.Errorf("%s GELU(+Inf, 1e30) = %v", g.name, got[:2])
		}
	}
}

// TestActivation runs the four kernels of every path at every tail length,
// against float64 references, with random gradients, and checks that
// nothing past the end is written.
func TestActivation(t *testing.T) {
	for _, g := range impls {
		t.Run(g.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(11, 12))
			for _, n := range ewLengths() {
				x := randSlice(r, n)
				for i := range x {
					x[i] *= 3
				}
				if n > 5 {
					x[5] = float32(math.NaN())
					x[2] = float32(math.Inf(-1))
				}
				dy := randSlice(r, n)
				x0, dy0 := slices.Clone(x), slices.Clone(dy)

				y, yAll := guarded(r, n)
				g.tanh(y, x)
				for i := range y {
					if e := actErr(y[i], tanhRef(x[i]), x[i]); !(e <= 2e-6) {
						t.Fatalf("%s Tanh n=%d: [%d] tanh(%g) = %g, want %g", g.name, n, i, x[i], y[i], tanhRef(x[i]))
					}
				}
				checkGuard(t, "Tanh", n, yAll)

				dx, dxAll := guarded(r, n)
				g.tanhGrad(dx, dy, y)
				for i := range dx {
					want := float64(dy[i]) * (1 - float64(y[i])*float64(y[i]))
					if e := actErr(dx[i], want, 1); !(e <= 1e-6*(1+math.Abs(float64(dy[i])))) {
						t.Fatalf("%s TanhGrad n=%d: [%d] = %g, want %g", g.name, n, i, dx[i], want)
					}
				}
				checkGuard(t, "TanhGrad", n, dxAll)

				g.gelu(y, x)
				for i := range y {
					if e := actErr(y[i], geluRef(x[i]), x[i]); !(e <= 1e-5) {
						t.Fatalf("%s GELU n=%d: [%d] gelu(%g) = %g, want %g", g.name, n, i, x[i], y[i], geluRef(x[i]))
					}
				}
				checkGuard(t, "GELU", n, yAll)

				g.geluGrad(dx, dy, x)
				for i := range dx {
					want := float64(dy[i]) * geluGradRef(x[i])
					if e := actErr(dx[i], want, x[i]); !(e <= 1e-5*max(1, math.Abs(float64(dy[i])))) {
						t.Fatalf("%s GELUGrad n=%d: [%d] x=%g dy=%g: %g, want %g", g.name, n, i, x[i], dy[i], dx[i], want)
					}
				}
				checkGuard(t, "GELUGrad", n, dxAll)

				if !sameBits(x, x0) || !sameBits(dy, dy0) {
					t.Fatalf("%s n=%d: an input changed", g.name, n)
				}
			}
		})
	}
}

// TestActivationInPlace checks dst == src and dx == dy, as the layers may
// call them.
func TestActivationInPlace(t *testing.T) {
	for _, g := range impls {
		r := rand.New(rand.NewPCG(13, 14))
		x := randSlice(r, 37)
		want := make([]float32, len(x))
		g.gelu(want, x)
		g.gelu(x, x)
		if !slices.Equal(x, want) {
			t.Errorf("%s GELU in place differs", g.name)
		}
		g.tanh(want, x)
		g.tanh(x, x)
		if !slices.Equal(x, want) {
			t.Errorf("%s Tanh in place differs", g.name)
		}
	}
}

func TestActivationPanicsOnShortSlice(t *testing.T) {
	for _, f := range []func(){
		func() { Tanh(make([]float32, 3), make([]float32, 4)) },
		func() { GELU(make([]float32, 3), make([]float32, 4)) },
		func() { TanhGrad(make([]float32, 4), make([]float32, 3), make([]float32, 4)) },
		func() { GELUGrad(make([]float32, 3), make([]float32, 4), make([]float32, 4)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		}()
	}
}

func sameBits(a, b []float32) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) })
}
