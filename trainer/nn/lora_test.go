package nn

import (
	"math"
	"testing"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// randomLoRA returns a rank-r adapter over a fresh in→out Dense whose B
// is random too (a fresh adapter's B is zero, which would hide errors in
// every term that B multiplies).
func randomLoRA(in, out, r int, gamma float64, bias bool) *LoRA {
	rng := NewRand(11, uint64(r))
	l := NewLoRA(NewDense(in, out, HeUniform, rng), r, gamma, bias, rng)
	for i := range l.Base.B.Value.Data {
		l.Base.B.Value.Data[i] = float32(rng.Float64() - 0.5)
	}
	fillUniform(l.B.Value.Data, 0.5, rng)
	return l
}

func TestLoRAGradients(t *testing.T) {
	for _, tc := range []struct {
		name       string
		in, out, r int
		gamma      float64
		bias       bool
	}{
		{"rank 1", 4, 3, 1, 2, false},
		{"rank 2 with bias", 5, 4, 2, 1.5, true},
		{"full rank", 3, 3, 3, 0.7, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := randomLoRA(tc.in, tc.out, tc.r, tc.gamma, tc.bias)
			checkLayer(t, l, randMatrix(NewRand(9, 9), 6, tc.in, 0), func() {})
			want := 2
			if tc.bias {
				want = 3
			}
			if got := len(l.Params()); got != want {
				t.Errorf("%d parameters, want %d", got, want)
			}
		})
	}
}

func TestLoRAGradientsInANetwork(t *testing.T) {
	rng := NewRand(4, 4)
	l := randomLoRA(4, 5, 2, 2, true)
	net := NewSequential(l, new(Tanh), NewDense(5, 3, GlorotUniform, rng))
	checkLayer(t, net, randMatrix(NewRand(9, 9), 5, 4, 0), func() {})
}

// TestLoRAZeroBIsBase: a fresh adapter (B = 0) computes exactly what its
// base computes, in a network, at step 0.
func TestLoRAZeroBIsBase(t *testing.T) {
	rng := NewRand(3, 1)
	base := NewDense(7, 5, HeNormal, rng)
	for i := range base.B.Value.Data {
		base.B.Value.Data[i] = float32(i) / 10
	}
	x := randMatrix(NewRand(8, 8), 9, 7, 0)
	want := base.Forward(x, false).Clone()
	for _, r := range []int{1, 3, 5} {
		l := NewLoRA(base, r, LoRAScale(8, r, true), true, NewRand(5, uint64(r)))
		got := l.Forward(x, true)
		for i, v := range got.Data {
			if v != want.Data[i] {
				t.Fatalf("rank %d: output %d = %v, base %v", r, i, v, want.Data[i])
			}
		}
		bound := float32(1 / math.Sqrt(7))
		for i, v := range l.A.Value.Data {
			if !(v >= -bound && v <= bound) {
				t.Fatalf("rank %d: A[%d] = %v outside ±1/√in", r, i, v)
			}
		}
	}
}

// TestLoRAMergedEqualsUnmerged: the merged Dense gives the adapter's
// outputs, and Delta is the difference of the merged and base weights
// (in the paper's orientation).
func TestLoRAMergedEqualsUnmerged(t *testing.T) {
	for _, bias := range []bool{false, true} {
		l := randomLoRA(12, 8, 3, LoRAScale(6, 3, false), bias)
		x := randMatrix(NewRand(2, 2), 10, 12, 0)
		want := l.Forward(x, false).Clone()
		m := l.Merged()
		got := m.Forward(x, false)
		for i, v := range got.Data {
			if math.Abs(float64(v-want.Data[i])) > 1e-5*(1+math.Abs(float64(want.Data[i]))) {
				t.Fatalf("bias %v: merged output %d = %v, adapter %v", bias, i, v, want.Data[i])
			}
		}
		delta := l.Delta()
		for o := 0; o < 8; o++ {
			for i := 0; i < 12; i++ {
				d := m.W.Value.Data[i*8+o] - l.Base.W.Value.Data[i*8+o]
				if math.Abs(float64(d-delta[o*12+i])) > 1e-6 {
					t.Fatalf("Delta[%d][%d] = %v, merged − base %v", o, i, delta[o*12+i], d)
				}
			}
		}
		if len(m.Params()) != 2 {
			t.Errorf("merged Dense has %d parameters, want w and b", len(m.Params()))
		}
	}
}

// TestLoRATrainsOnlyTheAdapter: training a network whose first layer is
// an adapter moves A, B and the bias, never W0.
func TestLoRATrainsOnlyTheAdapter(t *testing.T) {
	x, y := blobs(1, 64, 6, 3)
	rng := NewRand(1, 1)
	base := NewDense(6, 8, HeUniform, rng)
	w0 := base.W.Value.Clone()
	l := NewLoRA(base, 2, 2, true, rng)
	net := NewSequential(l, new(ReLU), NewDense(8, 3, GlorotUniform, rng))
	m, err := NewClassifier(net, NewAdamW(0), Constant(0.01))
	if err != nil {
		t.Fatal(err)
	}
	first := m.TrainStep(x, y)
	var last float64
	for range 100 {
		last = m.TrainStep(x, y)
	}
	if !(last < first) {
		t.Errorf("loss %v after 100 steps, %v at the first", last, first)
	}
	for i, v := range base.W.Value.Data {
		if v != w0.Data[i] {
			t.Fatalf("W0[%d] moved from %v to %v", i, w0.Data[i], v)
		}
	}
	nonzero := false
	for _, v := range l.B.Value.Data {
		nonzero = nonzero || v != 0
	}
	if !nonzero {
		t.Error("B is still zero after training")
	}
}

func TestNewLoRAPanics(t *testing.T) {
	base := NewDense(4, 3, HeUniform, NewRand(1, 1))
	for _, tc := range []struct {
		name  string
		rank  int
		gamma float64
	}{
		{"rank 0", 0, 1}, {"rank above min(in, out)", 4, 1}, {"NaN gamma", 1, math.NaN()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			NewLoRA(base, tc.rank, tc.gamma, false, NewRand(1, 1))
		})
	}
}

func TestLoRAScale(t *testing.T) {
	for _, tc := range []struct {
		alpha float64
		rank  int
		rs    bool
		want  float64
	}{
		{2, 1, false, 2}, {128, 64, false, 2}, {8, 64, true, 1}, {8, 16, true, 2}, {8, 1, true, 8},
	} {
		if got := LoRAScale(tc.alpha, tc.rank, tc.rs); got != tc.want {
			t.Errorf("LoRAScale(%v, %d, %v) = %v, want %v", tc.alpha, tc.rank, tc.rs, got, tc.want)
		}
	}
}

func TestFreeze(t *testing.T) {
	rng := NewRand(2, 2)
	net := NewSequential(NewDense(3, 4, HeUniform, rng), new(ReLU), NewDense(4, 2, GlorotUniform, rng))
	if n := Freeze(net.Params(), HasRole(RoleBias)); n != 2 {
		t.Fatalf("froze %d, want the 2 biases", n)
	}
	for _, p := range net.Params() {
		if p.Frozen != (p.Role == RoleBias) {
			t.Errorf("%s: frozen %v", p.Name, p.Frozen)
		}
	}
}

func benchmarkLoRA(b *testing.B, rank int) {
	rng := NewRand(1, 1)
	l := NewLoRA(NewDense(784, 256, HeNormal, rng), rank, 2, true, rng)
	fillUniform(l.B.Value.Data, 0.1, rng)
	x := randMatrix(rng, 256, 784, 0)
	dy := tensor.New(256, 256)
	fillUniform(dy.Data, 1, rng)
	b.ReportAllocs()
	for b.Loop() {
		l.Forward(x, true)
		l.Backward(dy, true)
	}
}

// The base layer's step for comparison: a LoRA step of a small rank
// costs little more (it skips dW0, X·ᵀdY, which the Dense computes).
func BenchmarkDenseStep784x256(b *testing.B) {
	rng := NewRand(1, 1)
	d := NewDense(784, 256, HeNormal, rng)
	x := randMatrix(rng, 256, 784, 0)
	dy := tensor.New(256, 256)
	fillUniform(dy.Data, 1, rng)
	b.ReportAllocs()
	for b.Loop() {
		d.Forward(x, true)
		d.Backward(dy, true)
	}
}

func BenchmarkLoRAStep784x256Rank1(b *testing.B)  { benchmarkLoRA(b, 1) }
func BenchmarkLoRAStep784x256Rank8(b *testing.B)  { benchmarkLoRA(b, 8) }
func BenchmarkLoRAStep784x256Rank64(b *testing.B) { benchmarkLoRA(b, 64) }

func BenchmarkLoRAMerge784x256Rank8(b *testing.B) {
	rng := NewRand(1, 1)
	l := NewLoRA(NewDense(784, 256, HeNormal, rng), 8, 2, true, rng)
	b.ReportAllocs()
	for b.Loop() {
		l.Merged()
	}
}
