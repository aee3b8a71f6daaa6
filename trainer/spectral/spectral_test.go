package spectral

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// randMatrix returns a rows×cols matrix of standard normal entries.
func randMatrix(rng *rand.Rand, rows, cols int) []float32 {
	w := make([]float32, rows*cols)
	for i := range w {
		w[i] = float32(rng.NormFloat64())
	}
	return w
}

// orthogonal returns a random n×n orthogonal matrix (the Q of a QR
// factorization of a Gaussian matrix).
func orthogonal(rng *rand.Rand, n int) *mat.Dense {
	g := make([]float64, n*n)
	for i := range g {
		g[i] = rng.NormFloat64()
	}
	var qr mat.QR
	qr.Factorize(mat.NewDense(n, n, g))
	var q mat.Dense
	qr.QTo(&q)
	return &q
}

// mul returns the rows×n product of the row-major rows×cols w and the
// cols×n q.
func mul(w []float32, rows, cols int, q *mat.Dense) []float32 {
	a := mat.NewDense(rows, cols, nil)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			a.Set(i, j, float64(w[i*cols+j]))
		}
	}
	var p mat.Dense
	p.Mul(a, q)
	_, n := p.Dims()
	out := make([]float32, rows*n)
	for i := 0; i < rows; i++ {
		for j := 0; j < n; j++ {
			out[i*n+j] = float32(p.At(i, j))
		}
	}
	return out
}

func decompose(t *testing.T, rows, cols int, w []float32) *SVD {
	t.Helper()
	s, err := Decompose(rows, cols, w)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func maxAbsDiff(a, b []float32) float64 {
	var d float64
	for i := range a {
		d = max(d, math.Abs(float64(a[i]-b[i])))
	}
	return d
}

func TestDecomposeReconstructs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sh := range [][2]int{{1, 1}, {1, 7}, {7, 1}, {40, 24}, {24, 40}, {64, 64}} {
		rows, cols := sh[0], sh[1]
		w := randMatrix(rng, rows, cols)
		s := decompose(t, rows, cols, w)
		if s.Rank() != min(rows, cols) {
			t.Errorf("%d×%d: rank %d, want %d", rows, cols, s.Rank(), min(rows, cols))
		}
		for i := 1; i < s.Rank(); i++ {
			if s.Values[i] > s.Values[i-1] {
				t.Errorf("%d×%d: values not descending at %d: %v > %v", rows, cols, i, s.Values[i], s.Values[i-1])
			}
		}
		for i := 0; i < s.Rank(); i++ {
			if u := s.Left(i); len(u) != rows || math.Abs(mat.Norm(mat.NewVecDense(rows, u), 2)-1) > 1e-9 {
				t.Errorf("%d×%d: left vector %d is not a unit vector of %d values", rows, cols, i, rows)
			}
			if v := s.Right(i); len(v) != cols || math.Abs(mat.Norm(mat.NewVecDense(cols, v), 2)-1) > 1e-9 {
				t.Errorf("%d×%d: right vector %d is not a unit vector of %d values", rows, cols, i, cols)
			}
		}
		if d := maxAbsDiff(s.Reconstruct(nil), w); d > 1e-4 {
			t.Errorf("%d×%d: reconstruction off by %g", rows, cols, d)
		}
	}
}

func TestDecomposeErrors(t *testing.T) {
	for _, c := range []struct {
		rows, cols int
		w          []float32
		want       string
	}{
		{0, 3, nil, "positive shape"},
		{2, 2, []float32{1, 2, 3}, "needs 4 values, got 3"},
		{2, 2, []float32{1, 2, float32(math.NaN()), 4}, "entry (1, 0) is NaN"},
		{1, 2, []float32{1, float32(math.Inf(1))}, "entry (0, 1) is +Inf"},
	} {
		_, err := Decompose(c.rows, c.cols, c.w)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Decompose(%d, %d, %v) = %v, want an error with %q", c.rows, c.cols, c.w, err, c.want)
		}
	}
}

// A rotation from the right (W·Q) keeps every left singular vector: it
// has no intruders, and its spectrum is W's.
func TestNoIntrudersUnderRightRotation(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sh := range [][2]int{{64, 32}, {48, 48}} {
		rows, cols := sh[0], sh[1]
		w := randMatrix(rng, rows, cols)
		rot := mul(w, rows, cols, orthogonal(rng, cols))
		base, tuned := decompose(t, rows, cols, w), decompose(t, rows, cols, rot)
		in, err := FindIntruders(base, tuned, 10, 0.5)
		if err != nil {
			t.Fatal(err)
		}
		if in.Count != 0 || in.K != 10 || len(in.MaxCos) != 10 {
			t.Errorf("%d×%d: %+v, want no intruders among 10", rows, cols, in)
		}
		for i, c := range in.MaxCos {
			if c < 0.999 {
				t.Errorf("%d×%d: vector %d has max |cos| %v, want 1", rows, cols, i, c)
			}
		}
		for i := range base.Values {
			if d := math.Abs(base.Values[i] - tuned.Values[i]); d > 1e-4*base.Values[0] {
				t.Errorf("%d×%d: σ_%d moved by %g", rows, cols, i, d)
			}
		}
		for i, a := range Alignment(base, tuned, 5) {
			if a < 0.999 {
				t.Errorf("%d×%d: alignment of vector %d is %v, want 1", rows, cols, i, a)
			}
		}
	}
}

// A rank-one update along a new direction, with a singular value larger
// than any of W's, is one intruder: the top vector of the sum.
func TestRankOneUpdateIsOneIntruder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sh := range [][2]int{{64, 32}, {64, 64}} {
		rows, cols := sh[0], sh[1]
		w := randMatrix(rng, rows, cols)
		base := decompose(t, rows, cols, w)
		// x: a random unit direction, orthogonal to W's column space when
		// it does not fill the output space.
		x := make([]float64, rows)
		for i := range x {
			x[i] = rng.NormFloat64()
		}
		if rows > cols {
			for j := 0; j < base.Rank(); j++ {
				u := base.Left(j)
				d := mat.Dot(mat.NewVecDense(rows, x), mat.NewVecDense(rows, u))
				for i := range x {
					x[i] -= d * u[i]
				}
			}
		}
		nx := mat.Norm(mat.NewVecDense(rows, x), 2)
		y := base.Right(cols / 2)
		s := 3 * base.Values[0]
		tunedW := append([]float32(nil), w...)
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				tunedW[i*cols+j] += float32(s * x[i] / nx * y[j])
			}
		}
		tuned := decompose(t, rows, cols, tunedW)
		in, err := FindIntruders(base, tuned, 10, 0.5)
		if err != nil {
			t.Fatal(err)
		}
		if in.Count != 1 || len(in.Indices) != 1 || in.Indices[0] != 0 {
			t.Errorf("%d×%d: %+v, want one intruder, the top vector", rows, cols, in)
		}
		// Damping the intruder by λ = 0.5 halves its singular value.
		scale := make([]float64, tuned.Rank())
		for i := range scale {
			scale[i] = 1
		}
		scale[0] = 0.5
		damped := decompose(t, rows, cols, tuned.Reconstruct(scale))
		got := 0.0
		for _, v := range damped.Values {
			if math.Abs(v-0.5*tuned.Values[0]) < 1e-3*tuned.Values[0] {
				got = v
			}
		}
		if got == 0 {
			t.Errorf("%d×%d: no singular value %v after damping; values %v", rows, cols, 0.5*tuned.Values[0], damped.Values[:3])
		}
	}
}

func TestFindIntrudersErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	a := decompose(t, 4, 3, randMatrix(rng, 4, 3))
	b := decompose(t, 3, 4, randMatrix(rng, 3, 4))
	for _, c := range []struct {
		base, tuned *SVD
		k           int
		eps         float64
		want        string
	}{
		{a, b, 10, 0.5, "base is 4×3, tuned is 3×4"},
		{a, a, 0, 0.5, "k: want ≥ 1"},
		{a, a, 2, 0, "eps: want a value in (0, 1]"},
		{a, a, 2, math.NaN(), "eps"},
	} {
		if _, err := FindIntruders(c.base, c.tuned, c.k, c.eps); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("FindIntruders(k=%d, eps=%v) = %v, want %q", c.k, c.eps, err, c.want)
		}
	}
	// k beyond the rank is clamped.
	if in, err := FindIntruders(a, a, 10, 0.5); err != nil || in.K != 3 || in.Count != 0 {
		t.Errorf("FindIntruders(a, a, 10) = %+v, %v; want K=3 and no intruders", in, err)
	}
}

func TestEffectiveRank(t *testing.T) {
	for _, c := range []struct {
		values []float64
		want   float64
	}{
		{nil, 0},
		{[]float64{0, 0}, 0},
		{[]float64{5, 0, 0}, 1},
		{[]float64{2, 2, 2, 2}, 4},
		{[]float64{3, 1}, math.Exp(-(0.75*math.Log(0.75) + 0.25*math.Log(0.25)))},
	} {
		if got := EffectiveRank(c.values); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("EffectiveRank(%v) = %v, want %v", c.values, got, c.want)
		}
	}
}

func TestTransposeIsAnInvolution(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, sh := range [][2]int{{1, 1}, {1, 5}, {5, 1}, {3, 7}} {
		w := randMatrix(rng, sh[0], sh[1])
		tw := Transpose(sh[0], sh[1], w)
		if tw[0] != w[0] || len(tw) != len(w) {
			t.Fatalf("%v: bad transpose", sh)
		}
		if sh[0] > 1 && sh[1] > 1 && tw[1] != w[sh[1]] {
			t.Errorf("%v: Transpose(w)[0][1] = %v, want w[1][0] = %v", sh, tw[1], w[sh[1]])
		}
		if d := maxAbsDiff(Transpose(sh[1], sh[0], tw), w); d != 0 {
			t.Errorf("%v: transpose twice differs by %g", sh, d)
		}
	}
}

func BenchmarkDecompose256(b *testing.B) {
	w := randMatrix(rand.New(rand.NewPCG(1, 1)), 256, 256)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decompose(256, 256, w); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFindIntruders256(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	base, _ := Decompose(256, 256, randMatrix(rng, 256, 256))
	tuned, _ := Decompose(256, 256, randMatrix(rng, 256, 256))
	for b.Loop() {
		if _, err := FindIntruders(base, tuned, 10, 0.5); err != nil {
			b.Fatal(err)
		}
	}
}
