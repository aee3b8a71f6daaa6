package nn

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// qiRef is the dequantized float64 forward of d on x: per row, the same
// normalization and quantization, then x̂·Ŵ + b with x̂ = q·s/127 and
// Ŵ = code·scale. It also returns, per output, Σ|x̂||Ŵ| + |b|, the scale
// of the float32 rounding error.
func qiRef(d *IntDense, codes []int8, x []float32, rows int) (y, mag []float64) {
	in, out := d.In, d.Out
	y, mag = make([]float64, rows*out), make([]float64, rows*out)
	xr := make([]float32, in)
	q := make([]int8, in)
	for i := 0; i < rows; i++ {
		copy(xr, x[i*in:i*in+in])
		if d.LayerNorm {
			NormalizeRow(xr, x[i*in:i*in+in])
		}
		s := float64(qiQuantizeRow(q, xr))
		for j := 0; j < out; j++ {
			var acc, m float64
			for p := 0; p < in; p++ {
				xh := float64(q[p]) * s / 127
				wh := float64(codes[p*out+j]) * float64(d.Scales[j])
				acc += xh * wh
				m += math.Abs(xh * wh)
			}
			b := float64(d.Bias[j])
			y[i*out+j], mag[i*out+j] = acc+b, m+math.Abs(b)
		}
	}
	return y, mag
}

// qiRandom returns a random in→out layer of the kind and its codes.
func qiRandom(t *testing.T, r *rand.Rand, in, out int, kind IntDenseKind, perUnit, layerNorm bool) (*IntDense, []int8) {
	t.Helper()
	codes := make([]int8, in*out)
	for i := range codes {
		if kind == IntDenseTernary {
			codes[i] = int8(r.IntN(3) - 1)
		} else {
			codes[i] = int8(r.IntN(255) - 127)
		}
	}
	scales := []float32{float32(0.01 + r.Float64())}
	if perUnit {
		scales = make([]float32, out)
		for j := range scales {
			scales[j] = float32(0.001 + 0.1*r.Float64())
		}
	}
	bias := make([]float32, out)
	for j := range bias {
		bias[j] = float32(r.NormFloat64())
	}
	d, err := NewIntDense(in, out, kind, codes, scales, bias, layerNorm)
	if err != nil {
		t.Fatal(err)
	}
	return d, codes
}

func TestIntDenseMatchesDequantized(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, kind := range []IntDenseKind{IntDenseTernary, IntDenseInt8} {
		for _, sh := range [][3]int{{1, 1, 1}, {1, 784, 256}, {17, 67, 33}, {5, 3, 70}, {32, 256, 10}, {3, 1025, 129}} {
			rows, in, out := sh[0], sh[1], sh[2]
			for _, perUnit := range []bool{false, true} {
				for _, ln := range []bool{false, true} {
					d, codes := qiRandom(t, r, in, out, kind, perUnit, ln)
					x := tensor.New(rows, in)
					for i := range x.Data {
						x.Data[i] = float32(3 * r.NormFloat64())
					}
					if rows > 1 {
						clear(x.Data[:in]) // a row of zeros quantizes to zeros
					}
					got := d.Forward(x, false)
					want, mag := qiRef(d, codes, x.Data, rows)
					for i, w := range want {
						if e := math.Abs(float64(got.Data[i]) - w); e > 1e-6*mag[i]+1e-30 {
							t.Fatalf("%v %v perUnit=%v ln=%v: y[%d] = %v, want %v (error %g, bound %g)", kind, sh, perUnit, ln, i, got.Data[i], w, e, 1e-6*mag[i])
						}
					}
				}
			}
		}
	}
}

// TestQuantNetworkArgmax runs a 784-256-256-10 network of IntDense layers
// with ReLUs and checks its predictions against the dequantized float64
// network, which quantizes each layer's input by the same rule.
func TestQuantNetworkArgmax(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, kind := range []IntDenseKind{IntDenseTernary, IntDenseInt8} {
		sizes := []int{784, 256, 256, 10}
		var layers []Layer
		var qs []*IntDense
		var codes [][]int8
		for l := 0; l+1 < len(sizes); l++ {
			d, c := qiRandom(t, r, sizes[l], sizes[l+1], kind, kind == IntDenseInt8, l > 0)
			qs, codes = append(qs, d), append(codes, c)
			layers = append(layers, d)
			if l+2 < len(sizes) {
				layers = append(layers, new(ReLU))
			}
		}
		net := NewSequential(layers...)
		const rows = 300
		x := tensor.New(rows, 784)
		for i := range x.Data {
			x.Data[i] = float32(r.Float64())
		}
		got := net.Forward(x, false)
		h := x.Data
		var want []float64
		for l, d := range qs {
			y, _ := qiRef(d, codes[l], h, rows)
			want = y
			h = make([]float32, len(y))
			for i, v := range y {
				h[i] = float32(max(v, 0))
			}
		}
		for i := 0; i < rows; i++ {
			if a, b := qiArgmax(got.Data[i*10:i*10+10]), qiArgmax(want[i*10:i*10+10]); a != b {
				t.Errorf("%v: row %d predicts %d, the dequantized network %d", kind, i, a, b)
			}
		}
	}
}

// qiArgmax returns the index of the largest value of x, the first on ties.
func qiArgmax[T float32 | float64](x []T) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

func TestQuantizeRow(t *testing.T) {
	q := make([]int8, 6)
	// s = 2.54: x·127/s = x·50, so 0.01 → 0.5 rounds to 0 (even), 0.03
	// → 1.5 rounds to 2, and −2.54 → −127.
	s := qiQuantizeRow(q, []float32{0.01, 0.03, -2.54, 2.54, 1, -0.05})
	if s != 2.54 {
		t.Errorf("s = %v, want 2.54", s)
	}
	want := []int8{0, 2, -127, 127, 50, -2}
	for i := range want {
		if q[i] != want[i] {
			t.Errorf("q = %v, want %v", q, want)
			break
		}
	}
	if s := qiQuantizeRow(q[:3], []float32{0, 0, 0}); s != qiActMin || q[0] != 0 || q[1] != 0 || q[2] != 0 {
		t.Errorf("zero row: s = %v, q = %v", s, q[:3])
	}
}

func TestNewIntDenseFrom(t *testing.T) {
	rng := NewRand(3, 4)
	d := NewDense(70, 33, GlorotUniform, rng)
	for j := range d.B.Value.Data {
		d.B.Value.Data[j] = float32(j)
	}
	for _, kind := range []IntDenseKind{IntDenseTernary, IntDenseInt8} {
		q, err := NewIntDenseFrom(d, kind, false)
		if err != nil {
			t.Fatal(err)
		}
		if q.Bias[5] != 5 || len(q.Scales) != 33 {
			t.Fatalf("%v: bias %v, %d scales", kind, q.Bias[:6], len(q.Scales))
		}
		// Recover the codes by feeding unit rows: row i of the identity
		// quantizes to 127 at i, so y_j − b_j = code_ij·scale_j.
		x := tensor.New(70, 70)
		for i := 0; i < 70; i++ {
			x.Data[i*70+i] = 1
		}
		y := q.Forward(x, false)
		var sum float64
		for _, w := range d.W.Value.Data {
			sum += math.Abs(float64(w))
		}
		for i := 0; i < 70; i++ {
			for j := 0; j < 33; j++ {
				w := float64(d.W.Value.Data[i*33+j])
				wh := float64(y.Data[i*33+j]) - float64(j)
				switch kind {
				case IntDenseInt8:
					if e := math.Abs(wh - w); e > float64(q.Scales[j])/2*1.0001+1e-6 {
						t.Fatalf("int8: Ŵ[%d][%d] = %v for %v: error %g > scale/2", i, j, wh, w, e)
					}
				case IntDenseTernary:
					g := sum / float64(70*33)
					c := math.Round(wh / g)
					if want := min(max(math.RoundToEven(w/g), -1), 1); c != want || math.Abs(wh-c*g) > 1e-5 {
						t.Fatalf("ternary: Ŵ[%d][%d] = %v for %v: want %v·%v", i, j, wh, w, want, g)
					}
				}
			}
		}
	}
}

func TestNewIntDenseErrors(t *testing.T) {
	for _, tt := range []struct {
		name   string
		kind   IntDenseKind
		codes  []int8
		scales []float32
		bias   []float32
		want   string
	}{
		{"ternary code 2", IntDenseTernary, []int8{0, 2, 0, 0}, []float32{1}, nil, "w[1]=2 outside [-1, 1]"},
		{"int8 code -128", IntDenseInt8, []int8{0, 0, -128, 0}, []float32{1}, nil, "w[2]=-128 outside [-127, 127]"},
		{"few codes", IntDenseInt8, []int8{0, 0, 0}, []float32{1}, nil, "3 codes, want in·out = 4"},
		{"scales", IntDenseInt8, []int8{0, 0, 0, 0}, []float32{1, 1, 1}, nil, "3 scales, want 1 or out = 2"},
		{"nan scale", IntDenseInt8, []int8{0, 0, 0, 0}, []float32{1, float32(math.NaN())}, nil, "scales[1] = NaN"},
		{"bias", IntDenseInt8, []int8{0, 0, 0, 0}, []float32{1}, []float32{1}, "bias of length 1, want out = 2"},
		{"kind", 0, []int8{0, 0, 0, 0}, []float32{1}, nil, "kind IntDenseKind(0)"},
	} {
		if _, err := NewIntDense(2, 2, tt.kind, tt.codes, tt.scales, tt.bias, false); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestIntDenseBackwardPanics(t *testing.T) {
	d, _ := qiRandom(t, rand.New(rand.NewPCG(1, 1)), 4, 3, IntDenseInt8, false, false)
	if d.Params() != nil {
		t.Error("Params() is not nil")
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "inference-only") {
			t.Errorf("Backward: recovered %v, want an inference-only panic", r)
		}
	}()
	d.Backward(tensor.New(1, 3), true)
}

func TestIntDenseNoAllocs(t *testing.T) {
	d, _ := qiRandom(t, rand.New(rand.NewPCG(1, 2)), 67, 70, IntDenseTernary, true, true)
	x := tensor.New(9, 67)
	for i := range x.Data {
		x.Data[i] = float32(i%13) - 6
	}
	d.Forward(x, false)
	if a := testing.AllocsPerRun(20, func() { d.Forward(x, false) }); a != 0 {
		t.Errorf("%v allocations per Forward", a)
	}
}

// qiActMin is the floor of the absolute maximum that scales a row of
// activations: a row of zeros quantizes to zeros.
const qiActMin = 1e-5

// qiQuantizeRow sets q[i] = clip(RoundToEven(x[i]·(127/s)), −127, 127) with
// s = max(max|x|, qiActMin), x[i]·(127/s) computed in float32, and
// returns s. len(q) must be at least len(x).
func qiQuantizeRow(q []int8, x []float32) float32 {
	var m float32
	for _, v := range x {
		m = max(m, float32(math.Abs(float64(v))))
	}
	s := max(m, qiActMin)
	inv := 127 / s
	q = q[:len(x)]
	for i, v := range x {
		r := math.RoundToEven(float64(v * inv))
		q[i] = int8(min(max(r, -127), 127))
	}
	return s
}
