package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// ewLengths are the lengths every element-wise kernel is checked at: each
// tail length of a 16-lane step, and a few long ones.
func ewLengths() []int {
	var ns []int
	for n := 0; n <= 70; n++ {
		ns = append(ns, n)
	}
	return append(ns, 255, 1000, 4099)
}

const guard = 777 // a value past the end that no kernel may change

// guarded returns a slice of length n whose backing array continues with
// guard values, and the whole backing array.
func guarded(r *rand.Rand, n int) ([]float32, []float32) {
	all := randSlice(r, n+17)
	for i := n; i < len(all); i++ {
		all[i] = guard
	}
	return all[:n], all
}

func checkGuard(t *testing.T, name string, n int, all []float32) {
	t.Helper()
	for i := n; i < len(all); i++ {
		if all[i] != guard {
			t.Fatalf("%s n=%d: wrote past the end at %d", name, n, i)
		}
	}
}

// closeTo compares with a relative tolerance (FMA contractions and
// summation order differ between paths).
func closeTo(got, want float32) bool {
	if math.IsNaN(float64(want)) {
		return math.IsNaN(float64(got))
	}
	d := math.Abs(float64(got) - float64(want))
	return d <= 1e-5*(1+math.Abs(float64(want)))
}

func compareSlices(t *testing.T, what string, n int, got, want []float32) {
	t.Helper()
	for i := range want {
		if !closeTo(got[i], want[i]) {
			t.Fatalf("%s n=%d: [%d] = %g, want %g", what, n, i, got[i], want[i])
		}
	}
}

// TestElementwise runs every kernel of every supported path against the
// portable implementation.
func TestElementwise(t *testing.T) {
	for _, g := range impls {
		t.Run(g.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(7, 8))
			for _, n := range ewLengths() {
				x, _ := guarded(r, n)
				y, yAll := guarded(r, n)
				z, zAll := guarded(r, n)
				if n > 3 {
					x[3] = float32(math.NaN())
					x[1] = 0
				}
				x0, y0, z0 := slices.Clone(x), slices.Clone(y), slices.Clone(z)

				// ReLU
				g.relu(y, x)
				want := slices.Clone(y0)
				reluGo(want, x0)
				compareSlices(t, g.name+" ReLU", n, y, want)
				checkGuard(t, "ReLU", n, yAll)

				// ReLUGrad
				copy(y, y0)
				g.reluGrad(z, y, x)
				want = slices.Clone(z0)
				reluGradGo(want, y0, x0)
				compareSlices(t, g.name+" ReLUGrad", n, z, want)
				checkGuard(t, "ReLUGrad", n, zAll)

				// Axpy
				copy(x, x0)
				copy(y, y0)
				g.axpy(-0.75, x, y)
				want = slices.Clone(y0)
				axpyGo(-0.75, x0, want)
				compareSlices(t, g.name+" Axpy", n, y, want)
				checkGuard(t, "Axpy", n, yAll)

				// Scale
				copy(y, y0)
				g.scale(1.5, y)
				want = slices.Clone(y0)
				scaleGo(1.5, want)
				compareSlices(t, g.name+" Scale", n, y, want)
				checkGuard(t, "Scale", n, yAll)

				// SGDMomentum on finite values
				w, wAll := guarded(r, n)
				grad := randSlice(r, n)
				vel, velAll := guarded(r, n)
				wWant, velWant := slices.Clone(w), slices.Clone(vel)
				g.sgdMomentum(w, grad, vel, 0.1, 0.9, 1e-4)
				sgdMomentumGo(wWant, grad, velWant, 0.1, 0.9, 1e-4)
				compareSlices(t, g.name+" SGDMomentum w", n, w, wWant)
				compareSlices(t, g.name+" SGDMomentum vel", n, vel, velWant)
				checkGuard(t, "SGDMomentum w", n, wAll)
				checkGuard(t, "SGDMomentum vel", n, velAll)

				// AdamW (v must be non-negative)
				m, mAll := guarded(r, n)
				v, vAll := guarded(r, n)
				for i := range v {
					v[i] = v[i] * v[i]
				}
				wWant = slices.Clone(w)
				mWant, vWant := slices.Clone(m), slices.Clone(v)
				g.adamW(w, grad, m, v, 1e-3, 0.9, 0.999, 1e-8, 0.01, 1/(1-0.9), 1/(1-0.999))
				adamWGo(wWant, grad, mWant, vWant, 1e-3, 0.9, 0.999, 1e-8, 0.01, 1/(1-0.9), 1/(1-0.999))
				compareSlices(t, g.name+" AdamW w", n, w, wWant)
				compareSlices(t, g.name+" AdamW m", n, m, mWant)
				compareSlices(t, g.name+" AdamW v", n, v, vWant)
				checkGuard(t, "AdamW w", n, wAll)
				checkGuard(t, "AdamW m", n, mAll)
				checkGuard(t, "AdamW v", n, vAll)
			}
		})
	}
}

// TestRowwise checks AddBias and SumRows on every column count 0..70 and a
// few row counts.
func TestRowwise(t *testing.T) {
	for _, g := range impls {
		t.Run(g.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(9, 10))
			for _, rows := range []int{0, 1, 3, 4, 5, 9, 128} {
				for cols := 0; cols <= 70; cols++ {
					x, xAll := guarded(r, rows*cols)
					bias := randSlice(r, cols)
					x0 := slices.Clone(x)
					g.addBias(x, rows, cols, bias)
					want := slices.Clone(x0)
					addBiasGo(want, rows, cols, bias)
					compareSlices(t, g.name+" AddBias", rows*cols, x, want)
					checkGuard(t, "AddBias", rows*cols, xAll)

					dst, dstAll := guarded(r, cols)
					dstWant := slices.Clone(dst)
					g.sumRows(dst, x0, rows, cols)
					sumRowsGo(dstWant, x0, rows, cols)
					for j := range dstWant {
						if math.Abs(float64(dst[j]-dstWant[j])) > 1e-5*float64(rows+1) {
							t.Fatalf("%s SumRows rows=%d cols=%d: [%d] = %g, want %g", g.name, rows, cols, j, dst[j], dstWant[j])
						}
					}
					checkGuard(t, "SumRows", cols, dstAll)
				}
			}
		})
	}
}

func TestElementwisePanicsOnShortSlice(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	Axpy(1, make([]float32, 5), make([]float32, 4))
}
