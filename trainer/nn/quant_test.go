package nn

import (
	"math"
	"slices"
	"testing"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

func TestTernaryScaleKnownMatrix(t *testing.T) {
	w := []float32{0.1, -0.4, 0.3, -0.2, 0.8, 0}
	if got := TernaryScale(TernaryAbsMean, w, nil); math.Abs(float64(got)-0.3) > 1e-7 {
		t.Errorf("absmean β = %v, want 0.3", got)
	}
	if got := TernaryScale(TernaryAbsMedian, w, nil); got != (float32(0.2)+float32(0.3))/2 {
		t.Errorf("absmedian β (even count) = %v, want 0.25", got)
	}
	if got := TernaryScale(TernaryAbsMedian, w[:5], nil); got != 0.3 {
		t.Errorf("absmedian β (odd count) = %v, want 0.3", got)
	}
	if got := TernaryScale(TernaryAbsMean, make([]float32, 4), nil); got != MinScale {
		t.Errorf("β of zeros = %v, want MinScale", got)
	}
	codes, scales := make([]int8, len(w)), make([]float32, 1)
	QuantizeWeights(TernaryAbsMean, codes, scales, w, 2, 3, nil)
	// w/0.3 = 0.33, −1.33, 1, −0.67, 2.67, 0
	if want := []int8{0, -1, 1, -1, 1, 0}; !slices.Equal(codes, want) || len(scales) != 1 {
		t.Errorf("codes %v scales %v, want %v and one scale", codes, scales, want)
	}
}

func TestKthBitsMatchesSort(t *testing.T) {
	rng := NewRand(3, 3)
	for _, n := range []int{1, 2, 3, 10, 101, 1000, 5000} {
		for _, spread := range []string{"repeats", "uniform", "tiny"} {
			a := make([]float32, n)
			for i := range a {
				switch spread {
				case "repeats":
					a[i] = float32(rng.IntN(7))
				case "uniform":
					a[i] = rng.Float32()
				default:
					a[i] = 1 + float32(rng.IntN(4))*0x1p-23 // differ in the last mantissa bits only
				}
			}
			sorted := slices.Clone(a)
			slices.Sort(sorted)
			for _, k := range []int{0, n / 2, n - 1} {
				bits := make([]uint32, n)
				for i, v := range a {
					bits[i] = math.Float32bits(v)
				}
				if got := math.Float32frombits(kthBits(bits, k)); got != sorted[k] {
					t.Fatalf("%s n=%d: kthBits(%d) = %v, want %v", spread, n, k, got, sorted[k])
				}
			}
			if n%2 == 0 {
				w := slices.Clone(a)
				for i := range w {
					if i%2 == 1 {
						w[i] = -w[i] // the median is of |w|
					}
				}
				want := max((sorted[n/2-1]+sorted[n/2])/2, MinScale)
				if got := TernaryScale(TernaryAbsMedian, w, nil); got != want {
					t.Fatalf("%s n=%d: median %v, want %v", spread, n, got, want)
				}
			}
		}
	}
}

func TestQuantizeWeightsFormats(t *testing.T) {
	rng := NewRand(1, 1)
	in, out := 7, 5
	w := randMatrix(rng, in, out, 0).Data
	codes := make([]int8, in*out)
	one := make([]float32, 1)
	for _, f := range []WeightFormat{TernaryAbsMean, TernaryAbsMedian} {
		QuantizeWeights(f, codes, one, w, in, out, nil)
		beta := one[0]
		for i, c := range codes {
			if c < -1 || c > 1 {
				t.Fatalf("%v: code %d not ternary", f, c)
			}
			want := min(max(math.RoundToEven(float64(w[i]/beta)), -1), 1)
			if float64(c) != want {
				t.Fatalf("%v: code[%d] = %d, want %v", f, i, c, want)
			}
		}
	}
	s := make([]float32, out)
	QuantizeWeights(Int8Row, codes, s, w, in, out, nil)
	for j := range out {
		var m float32
		for i := range in {
			m = max(m, abs32(w[i*out+j]))
		}
		if s[j] != m {
			t.Errorf("scale of column %d = %v, want max |w| %v", j, s[j], m)
		}
		seen127 := false
		for i := range in {
			c := codes[i*out+j]
			seen127 = seen127 || c == 127 || c == -127
			if want := math.RoundToEven(float64(w[i*out+j] * 127 / s[j])); float64(c) != want {
				t.Errorf("code (%d, %d) = %d, want %v", i, j, c, want)
			}
		}
		if !seen127 {
			t.Errorf("column %d has no code ±127 at its absmax", j)
		}
	}
	s = s[:1]
	QuantizeWeights(Int8Tensor, codes, s, w, in, out, nil)
	wq := make([]float32, len(w))
	Dequantize(Int8Tensor, wq, codes, s, in, out)
	for i := range w {
		if d := math.Abs(float64(wq[i] - w[i])); d > float64(s[0])/127/2+1e-7 {
			t.Fatalf("int8 dequantized %v, weight %v: error %v beyond half a step", wq[i], w[i], d)
		}
	}
}

func TestTernaryCode(t *testing.T) {
	for _, q := range []float32{-3, -1.5, -1, -0.51, -0.5, -0.49, 0, 0.49, 0.5, 0.5000001, 1, 1.49, 1.5, 2.5, 7} {
		want := int8(min(max(math.RoundToEven(float64(q)), -1), 1))
		if got := ternaryCode(q); got != want {
			t.Errorf("ternaryCode(%v) = %d, want %d", q, got, want)
		}
	}
}

func TestQuantizeActivationRow(t *testing.T) {
	x := []float32{0.5, -2, 1, 0.0078125}
	q := make([]int8, len(x))
	s := QuantizeActivationRow(q, x)
	// x·127/2 = 31.75, −127, 63.5 (half to even: 64), 0.496
	if want := []int8{32, -127, 64, 0}; s != 2 || !slices.Equal(q, want) {
		t.Errorf("q = %v s = %v, want %v and 2", q, s, want)
	}
	s = QuantizeActivationRow(q[:2], []float32{0, 0})
	if s != MinScale || q[0] != 0 {
		t.Errorf("zero row: s = %v, q = %v", s, q[:2])
	}
}

func TestPackTernary(t *testing.T) {
	if got := PackTernary(nil, []int8{-1, 0, 1, 1, -1}); !slices.Equal(got, []byte{0 + 1*3 + 2*9 + 2*27 + 0*81}) {
		t.Errorf("packed %v, want [75]", got)
	}
	if got := PackTernary(nil, []int8{1}); !slices.Equal(got, []byte{2 + 3 + 9 + 27 + 81}) {
		t.Errorf("padded %v, want [122]", got)
	}
	rng := NewRand(2, 2)
	for _, n := range []int{0, 1, 4, 5, 6, 23, 1000} {
		codes := make([]int8, n)
		for i := range codes {
			codes[i] = int8(rng.IntN(3)) - 1
		}
		p := PackTernary(nil, codes)
		if len(p) != PackedTernaryLen(n) {
			t.Fatalf("n=%d: %d bytes", n, len(p))
		}
		back := make([]int8, n)
		if err := UnpackTernary(back, p); err != nil || !slices.Equal(back, codes) {
			t.Fatalf("n=%d: round trip %v, %v", n, back, err)
		}
	}
	if err := UnpackTernary(make([]int8, 5), []byte{243}); err == nil {
		t.Error("byte 243 accepted")
	}
	if err := UnpackTernary(make([]int8, 1), []byte{0}); err == nil {
		t.Error("padding code −1 accepted")
	}
	if err := UnpackTernary(make([]int8, 6), []byte{0}); err == nil {
		t.Error("short packing accepted")
	}
}

// reference returns X̂ and Ŵ of a forward pass of d on x, computed from
// their definitions.
func reference(d *QuantDense, x *tensor.Tensor) (xq, wq []float32) {
	rows, n := x.Shape[0], d.In
	xq = slices.Clone(x.Data)
	if d.Config.Norm {
		for i := range rows {
			NormalizeRow(xq[i*n:i*n+n], x.Data[i*n:i*n+n])
		}
	}
	q := make([]int8, n)
	for i := range rows {
		s := QuantizeActivationRow(q, xq[i*n:i*n+n])
		for k := range n {
			xq[i*n+k] = float32(q[k]) * (s / 127)
		}
	}
	codes, scales := make([]int8, d.In*d.Out), make([]float32, d.ScaleCount())
	QuantizeWeights(d.Config.Format, codes, scales, d.W.Value.Data, d.In, d.Out, nil)
	wq = make([]float32, len(codes))
	Dequantize(d.Config.Format, wq, codes, scales, d.In, d.Out)
	return xq, wq
}

// TestQuantDenseStraightThrough checks the forward pass against its
// definition and the straight-through backward pass: dW = X̂ᵀ·dY and,
// without the normalization, dX = dY·Ŵᵀ.
func TestQuantDenseStraightThrough(t *testing.T) {
	rows, in, out := 6, 9, 4
	for _, f := range []WeightFormat{TernaryAbsMean, TernaryAbsMedian, Int8Tensor, Int8Row} {
		for _, norm := range []bool{false, true} {
			rng := NewRand(5, uint64(f))
			d := NewQuantDense(in, out, true, GlorotUniform, rng, QuantConfig{Format: f, Norm: norm})
			for i := range d.B.Value.Data {
				d.B.Value.Data[i] = float32(i) / 10
			}
			x := randMatrix(rng, rows, in, 0)
			dy := randMatrix(rng, rows, out, 0)
			xq, wq := reference(d, x)
			y := d.Forward(x, true).Clone()
			dx := d.Backward(dy, true).Clone()
			for i := range rows {
				for j := range out {
					want := float64(d.B.Value.Data[j])
					for k := range in {
						want += float64(xq[i*in+k]) * float64(wq[k*out+j])
					}
					if math.Abs(float64(y.Data[i*out+j])-want) > 1e-5 {
						t.Fatalf("%v norm=%v: y[%d,%d] = %v, want %v", f, norm, i, j, y.Data[i*out+j], want)
					}
				}
			}
			for k := range in {
				for j := range out {
					var want float64
					for i := range rows {
						want += float64(xq[i*in+k]) * float64(dy.Data[i*out+j])
					}
					if got := float64(d.W.Grad.Data[k*out+j]); math.Abs(got-want) > 1e-5 {
						t.Fatalf("%v norm=%v: dW[%d,%d] = %v, want X̂ᵀ·dY = %v", f, norm, k, j, got, want)
					}
				}
			}
			if norm {
				continue
			}
			for i := range rows {
				for k := range in {
					var want float64
					for j := range out {
						want += float64(dy.Data[i*out+j]) * float64(wq[k*out+j])
					}
					if got := float64(dx.Data[i*in+k]); math.Abs(got-want) > 1e-5 {
						t.Fatalf("%v: dX[%d,%d] = %v, want dY·Ŵᵀ = %v", f, i, k, got, want)
					}
				}
			}
		}
	}
}

// TestQuantDenseNormBackward checks the normalization's part of dX by
// central differences: with g = dY·Ŵᵀ, the straight-through dX is the
// gradient of Σ g·LN(x).
func TestQuantDenseNormBackward(t *testing.T) {
	rows, in, out := 4, 8, 3
	rng := NewRand(9, 9)
	d := NewQuantDense(in, out, false, GlorotUniform, rng, QuantConfig{Format: TernaryAbsMean, Norm: true})
	x := randMatrix(rng, rows, in, 0)
	dy := randMatrix(rng, rows, out, 0)
	_, wq := reference(d, x)
	d.Forward(x, true)
	dx := d.Backward(dy, true).Clone()
	g := make([]float64, rows*in)
	for i := range rows {
		for k := range in {
			for j := range out {
				g[i*in+k] += float64(dy.Data[i*out+j]) * float64(wq[k*out+j])
			}
		}
	}
	loss := func(xv []float32) float64 {
		var s float64
		h := make([]float32, in)
		for i := range rows {
			NormalizeRow(h, xv[i*in:i*in+in])
			for k, v := range h {
				s += g[i*in+k] * float64(v)
			}
		}
		return s
	}
	const step = 1e-2
	for i := range x.Data {
		xp, xm := slices.Clone(x.Data), slices.Clone(x.Data)
		xp[i] += step
		xm[i] -= step
		num := (loss(xp) - loss(xm)) / (2 * step)
		if !closeGrad(float64(dx.Data[i]), num) {
			t.Errorf("dX[%d] = %v, central difference %v", i, dx.Data[i], num)
		}
	}
}

func TestQuantDenseSetCodes(t *testing.T) {
	for _, f := range []WeightFormat{TernaryAbsMedian, Int8Row} {
		rng := NewRand(4, 4)
		trained := NewQuantDense(10, 6, true, HeUniform, rng, QuantConfig{Format: f, Norm: true})
		x := randMatrix(rng, 5, 10, 0)
		want := trained.Forward(x, false).Clone()
		loaded := NewQuantDense(10, 6, true, HeUniform, NewRand(99, 99), QuantConfig{Format: f, Norm: true})
		copy(loaded.B.Value.Data, trained.B.Value.Data)
		if err := loaded.SetCodes(trained.Codes(), trained.Scales()); err != nil {
			t.Fatal(err)
		}
		got := loaded.Forward(x, false)
		if !slices.Equal(got.Data, want.Data) {
			t.Errorf("%v: forward from codes differs from the trained layer's", f)
		}
		if !slices.Equal(loaded.Codes(), trained.Codes()) {
			t.Errorf("%v: codes changed by Forward after SetCodes", f)
		}
		if err := loaded.SetCodes(trained.Codes()[1:], trained.Scales()); err == nil {
			t.Errorf("%v: short codes accepted", f)
		}
		if err := loaded.SetCodes(trained.Codes(), []float32{0}); err == nil {
			t.Errorf("%v: bad scales accepted", f)
		}
	}
	d := NewQuantDense(2, 2, false, HeUniform, NewRand(1, 1), QuantConfig{Format: TernaryAbsMean})
	if err := d.SetCodes([]int8{2, 0, 0, 0}, []float32{1}); err == nil {
		t.Error("ternary code 2 accepted")
	}
}

func TestQuantDenseStepAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	x, y := blobs(3, 64, 12, 5)
	for _, f := range []WeightFormat{TernaryAbsMean, TernaryAbsMedian, Int8Tensor, Int8Row} {
		rng := NewRand(1, 1)
		c := QuantConfig{Format: f, Norm: true}
		net := NewSequential(NewQuantDense(12, 16, true, HeUniform, rng, c), new(ReLU), NewQuantDense(16, 5, false, GlorotUniform, rng, c))
		m, err := NewClassifier(net, NewAdamW(0.01), Constant(0.01))
		if err != nil {
			t.Fatal(err)
		}
		m.TrainStep(x, y)
		m.Evaluate(x, y, 64)
		if n := testing.AllocsPerRun(20, func() { m.TrainStep(x, y); m.Evaluate(x, y, 64) }); n != 0 {
			t.Errorf("%v: %g allocations per step", f, n)
		}
	}
}

// TestDequantizeInt8RowBlocks checks the blocked per-row dequantization
// of a layer wider than a block against its definition.
func TestDequantizeInt8RowBlocks(t *testing.T) {
	in, out := 3, 600
	rng := NewRand(8, 8)
	w := randMatrix(rng, in, out, 0).Data
	codes, scales := make([]int8, in*out), make([]float32, out)
	QuantizeWeights(Int8Row, codes, scales, w, in, out, nil)
	wq := make([]float32, in*out)
	Dequantize(Int8Row, wq, codes, scales, in, out)
	for i := range in {
		for j := range out {
			if want := float32(codes[i*out+j]) * (scales[j] / 127); wq[i*out+j] != want {
				t.Fatalf("Ŵ[%d,%d] = %v, want %v", i, j, wq[i*out+j], want)
			}
		}
	}
}

// TestQuantGradientFlow checks that gradients flow through a stack of
// quantized layers to every shadow weight, and that a step changes them.
func TestQuantGradientFlow(t *testing.T) {
	x, y := blobs(5, 64, 12, 4)
	for _, f := range []WeightFormat{TernaryAbsMean, Int8Row} {
		rng := NewRand(2, 2)
		c := QuantConfig{Format: f, Norm: true}
		net := NewSequential(NewQuantDense(12, 16, true, HeUniform, rng, c), new(ReLU),
			NewResidual(NewSequential(NewQuantDense(16, 16, true, HeUniform, rng, c), new(ReLU))), NewQuantDense(16, 4, true, GlorotUniform, rng, c))
		m, err := NewClassifier(net, NewAdamW(0.01), Constant(0.01))
		if err != nil {
			t.Fatal(err)
		}
		before := make(map[string][]float32)
		for _, p := range net.Params() {
			before[p.Name] = slices.Clone(p.Value.Data)
		}
		m.TrainStep(x, y)
		for _, p := range net.Params() {
			var g float64
			for _, v := range p.Grad.Data {
				g += math.Abs(float64(v))
			}
			if g == 0 {
				t.Errorf("%v: %s has a zero gradient", f, p.Name)
			}
			if slices.Equal(p.Value.Data, before[p.Name]) {
				t.Errorf("%v: %s did not change in a step", f, p.Name)
			}
		}
	}
}

func TestQuantDenseStorage(t *testing.T) {
	for _, tc := range []struct {
		f    WeightFormat
		bias bool
		want Storage
	}{
		{TernaryAbsMean, true, Storage{Weights: 33, WeightBits: 8*7 + 32, OtherBits: 32 * 3}},
		{TernaryAbsMedian, false, Storage{Weights: 33, WeightBits: 8*7 + 32}},
		{Int8Tensor, true, Storage{Weights: 33, WeightBits: 8*33 + 32, OtherBits: 96}},
		{Int8Row, true, Storage{Weights: 33, WeightBits: 8*33 + 32*3, OtherBits: 96}},
	} {
		d := NewQuantDense(11, 3, tc.bias, HeUniform, NewRand(1, 1), QuantConfig{Format: tc.f})
		if got := StorageOf(d); got != tc.want || d.SizeBits() != tc.want.Bits() {
			t.Errorf("%v bias=%v: %+v (%d bits), want %+v", tc.f, tc.bias, got, d.SizeBits(), tc.want)
		}
	}
	net := NewSequential(NewDense(4, 3, HeUniform, NewRand(1, 1)), new(ReLU),
		NewResidual(NewSequential(NewLayerNorm(3, 0), NewQuantDense(3, 3, true, HeUniform, NewRand(1, 1), QuantConfig{Format: TernaryAbsMean}))))
	want := Storage{Weights: 12 + 9, WeightBits: 32*12 + 8*2 + 32, OtherBits: 32*3 + 32*6 + 32*3}
	if got := StorageOf(net); got != want {
		t.Errorf("network storage %+v, want %+v", got, want)
	}
	if q := QuantLayers(net); len(q) != 1 || q[0].In != 3 {
		t.Errorf("QuantLayers found %d layers", len(q))
	}
}

func TestQuantDenseZeros(t *testing.T) {
	d := NewQuantDense(2, 3, false, HeUniform, NewRand(1, 1), QuantConfig{Format: TernaryAbsMean})
	copy(d.W.Value.Data, []float32{0.01, -1, 1, 0.02, 0.5, -0.03})
	// β = 2.56/6 ≈ 0.427: codes 0, −1, 1, 0, 1, 0
	if got := d.Zeros(); got != 0.5 {
		t.Errorf("Zeros = %v, want 0.5 (codes %v)", got, d.Codes())
	}
}
