package problems

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/c2602f9e/goglove/space"
)

func TestKnownValues(t *testing.T) {
	tests := []struct {
		name string
		p    *Problem
		x    []float64
		want float64
	}{
		{"branin/min1", Branin(), []float64{-math.Pi, 12.275}, 0.397887},
		{"branin/min2", Branin(), []float64{math.Pi, 2.275}, 0.397887},
		{"branin/min3", Branin(), []float64{9.42478, 2.475}, 0.397887},
		{"branin/origin", Branin(), []float64{0, 0}, 55.602113}, // (−6)² + 10(1−t) + 10
		{"hartmann6/min", Hartmann6(), []float64{0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573}, -3.32237},
		{"rosenbrock10/min", Rosenbrock10(), ones(10), 0},
		{"rosenbrock10/origin", Rosenbrock10(), make([]float64, 10), 9},
		{"rosenbrock2/point", Rosenbrock(2), []float64{-1, 2}, 104},
		{"ackley10/min", Ackley10(), make([]float64, 10), 0},
		{"ackley10asym/min", Ackley10Asym(), make([]float64, 10), 0},
		{"ackley10/ones", Ackley10(), ones(10), 20 + math.E - 20*math.Exp(-0.2) - math.E},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Func(tt.x); math.Abs(got-tt.want) > 1e-5 {
				t.Errorf("f(%v) = %.8g, want %.8g", tt.x, got, tt.want)
			}
		})
	}
}

func ones(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = 1
	}
	return x
}

// Every problem reaches its optimum at its minimizers, nowhere below it
// on random points, and its minimizers lie in its box.
func TestOptimum(t *testing.T) {
	for _, p := range All() {
		t.Run(p.Name, func(t *testing.T) {
			if len(p.Minimizers) == 0 {
				t.Fatal("no minimizer")
			}
			for _, m := range p.Minimizers {
				if got := p.Func(m); math.Abs(got-p.Optimum) > 1e-5 {
					t.Errorf("f(%v) = %.8g, want the optimum %.8g", m, got, p.Optimum)
				}
				for i, v := range m {
					if v < p.Bounds[i][0] || v > p.Bounds[i][1] {
						t.Errorf("minimizer %v is outside the box at %d", m, i)
					}
				}
			}
			rng := rand.New(rand.NewPCG(1, 2))
			s := p.Space()
			for range 2000 {
				x := p.VectorOf(s.Spec().Random(rng))
				if v := p.Func(x); v < p.Optimum-1e-9 {
					t.Fatalf("f(%v) = %g is below the optimum %g", x, v, p.Optimum)
				}
			}
		})
	}
}

func TestSpace(t *testing.T) {
	for _, p := range All() {
		t.Run(p.Name, func(t *testing.T) {
			s := p.Space()
			all := s.Spec().All()
			if len(all) != p.Dim() {
				t.Fatalf("%d decision points, want %d", len(all), p.Dim())
			}
			for i, pt := range all {
				if pt.Kind != space.KindFloat || pt.Min != p.Bounds[i][0] || pt.Max != p.Bounds[i][1] {
					t.Errorf("point %d is %v, want a float in %v", i, pt, p.Bounds[i])
				}
			}
			rng := rand.New(rand.NewPCG(3, 4))
			for range 20 {
				dna := s.Spec().Random(rng)
				prog, err := s.Decode(dna)
				if err != nil {
					t.Fatal(err)
				}
				x, err := p.Vector(prog)
				if err != nil {
					t.Fatal(err)
				}
				y := p.VectorOf(dna)
				nums := s.Spec().Numbers(dna)
				for i := range x {
					if x[i] != y[i] || x[i] != nums[i] {
						t.Fatalf("Vector %v, VectorOf %v, Numbers %v differ", x, y, nums)
					}
				}
			}
		})
	}
}

func TestVectorErrors(t *testing.T) {
	p := Branin()
	s := p.Space()
	if _, err := p.Vector(s.Tree()); !errors.Is(err, ErrNotAPoint) {
		t.Errorf("Vector(space tree) = %v, want ErrNotAPoint", err)
	}
	if _, err := p.Vector(Hartmann6().Space().Tree()); !errors.Is(err, ErrNotAPoint) {
		t.Errorf("Vector(other space) = %v, want ErrNotAPoint", err)
	}
}

func TestByName(t *testing.T) {
	for _, name := range Names() {
		p, err := ByName(name)
		if err != nil || p.Name != name {
			t.Errorf("ByName(%q) = %v, %v", name, p, err)
		}
	}
	if _, err := ByName("sphere"); !errors.Is(err, ErrUnknown) {
		t.Errorf("ByName(sphere) = %v, want ErrUnknown", err)
	}
}

func BenchmarkFunc(b *testing.B) {
	for _, p := range All() {
		b.Run(p.Name, func(b *testing.B) {
			x := p.Minimizers[0]
			for b.Loop() {
				p.Func(x)
			}
		})
	}
}
