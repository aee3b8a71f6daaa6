package nn

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// scalarParams returns a decayed weight and an undecayed bias, both 1 with
// gradient 0.5.
func scalarParams() []*Param {
	mk := func(name string, role Role) *Param {
		return &Param{Name: name, Value: tensor.FromData([]float32{1}, 1), Grad: tensor.FromData([]float32{0.5}, 1), Role: role}
	}
	return []*Param{mk("w", RoleWeight), mk("b", RoleBias)}
}

func TestOptimizerSteps(t *testing.T) {
	tests := []struct {
		name  string
		opt   Optimizer
		lr    float64
		wantW []float64 // after steps 1, 2
		wantB []float64
	}{
		// g = 0.5 + 0.1·w; v = 0.9v + g; w −= 0.1v.
		// w: v1 = 0.6, w1 = 0.94; v2 = 0.54 + 0.594 = 1.134, w2 = 0.8266.
		// b: v1 = 0.5, b1 = 0.95; v2 = 0.95, b2 = 0.855.
		{"sgd momentum", &SGD{Momentum: 0.9, WeightDecay: 0.1}, 0.1, []float64{0.94, 0.8266}, []float64{0.95, 0.855}},
		// Plain SGD: w −= 0.1·0.5 each step.
		{"sgd plain", &SGD{}, 0.1, []float64{0.95, 0.9}, []float64{0.95, 0.9}},
		// With a constant gradient m̂ = 0.5 and v̂ = 0.25 at every step, so
		// the Adam part of the update is 1 (up to ε):
		// w1 = 1 − 0.1·(1 + 0.01·1) = 0.899; w2 = 0.899 − 0.1·(1 + 0.00899) = 0.798101.
		// b (no decay): 0.9, 0.8.
		{"adamw", NewAdamW(0.01), 0.1, []float64{0.899, 0.798101}, []float64{0.9, 0.8}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := scalarParams()
			for step := range 2 {
				tc.opt.Step(ps, tc.lr)
				w, b := float64(ps[0].Value.Data[0]), float64(ps[1].Value.Data[0])
				if math.Abs(w-tc.wantW[step]) > 1e-5 || math.Abs(b-tc.wantB[step]) > 1e-5 {
					t.Errorf("step %d: w, b = %.7g, %.7g; want %.7g, %.7g", step+1, w, b, tc.wantW[step], tc.wantB[step])
				}
			}
		})
	}
}

// TestOptimizersSkipFrozen checks that a frozen parameter keeps its value
// bit for bit and its optimizer state, while the others train as they
// would alone, and that it trains again once unfrozen.
func TestOptimizersSkipFrozen(t *testing.T) {
	for _, mk := range []func() Optimizer{
		func() Optimizer { return &SGD{Momentum: 0.9, WeightDecay: 0.1} },
		func() Optimizer { return NewAdamW(0.1) },
	} {
		opt, alone := mk(), mk()
		t.Run(fmt.Sprintf("%T", opt), func(t *testing.T) {
			ps, ref := scalarParams(), scalarParams()
			ps[0].Frozen = true
			ps[0].Value.Data[0] = 0.7
			for range 3 {
				opt.Step(ps, 0.1)
				alone.Step(ref, 0.1)
			}
			if got := ps[0].Value.Data[0]; math.Float32bits(got) != math.Float32bits(0.7) {
				t.Errorf("frozen w = %v after 3 steps, want 0.7 unchanged", got)
			}
			if got, want := ps[1].Value.Data[0], ref[1].Value.Data[0]; math.Float32bits(got) != math.Float32bits(want) {
				t.Errorf("b = %v beside a frozen w, want %v as without it", got, want)
			}
			var state []float32
			switch o := opt.(type) {
			case *SGD:
				state = o.vel[0]
			case *AdamW:
				state = slices.Concat(o.m[0], o.v[0])
			}
			for i, v := range state {
				if v != 0 {
					t.Errorf("state[%d] of the frozen w = %v, want 0", i, v)
				}
			}
			ps[0].Frozen = false
			opt.Step(ps, 0.1)
			if ps[0].Value.Data[0] == 0.7 {
				t.Error("w did not train once unfrozen")
			}
		})
	}
}

func TestOptimizerParamCountPanics(t *testing.T) {
	o := NewAdamW(0)
	o.Step(scalarParams(), 0.1)
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	o.Step(scalarParams()[:1], 0.1)
}

func TestSchedules(t *testing.T) {
	cos := Cosine{Base: 1, Floor: 0.1, Steps: 10}
	tests := []struct {
		name  string
		sched Schedule
		step  int
		want  float64
	}{
		{"constant", Constant(0.3), 1000, 0.3},
		{"cosine start", cos, 0, 1},
		{"cosine middle", cos, 5, 0.55},
		{"cosine fifth", cos, 2, 0.1 + 0.9*(1+math.Cos(math.Pi*2/10))/2},
		{"cosine end", cos, 10, 0.1},
		{"cosine after end", cos, 50, 0.1},
		{"cosine to zero", Cosine{Base: 2, Steps: 4}, 2, 1},
		{"cosine no steps", Cosine{Base: 2}, 7, 2},
		{"warmup first", Warmup{Steps: 4, Then: Constant(1)}, 0, 0.25},
		{"warmup last", Warmup{Steps: 4, Then: Constant(1)}, 3, 1},
		{"warmup then cosine start", Warmup{Steps: 4, Then: cos}, 4, 1},
		{"warmup then cosine middle", Warmup{Steps: 4, Then: cos}, 9, 0.55},
		{"warmup then cosine end", Warmup{Steps: 4, Then: cos}, 14, 0.1},
		{"warmup zero", Warmup{Then: Constant(0.5)}, 0, 0.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.sched.LR(tc.step); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("LR(%d) = %.15g, want %.15g", tc.step, got, tc.want)
			}
		})
	}
}
