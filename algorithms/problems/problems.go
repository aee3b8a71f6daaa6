package problems

import (
	"fmt"
	"math"
	"strings"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// Problem is a black-box function to minimize over a box. A Problem is
// immutable once built and safe for concurrent use.
type Problem struct {
	// Name is the problem's name on the command line, e.g. "branin".
	Name string
	// Bounds holds the inclusive [lower, upper] bounds of each coordinate.
	Bounds [][2]float64
	// Optimum is the known minimum of Func over the box.
	Optimum float64
	// Minimizers holds known points where Func reaches Optimum (for
	// Hartmann6, rounded to six digits).
	Minimizers [][]float64
	// Func is the function to minimize; it takes len(Bounds) coordinates.
	Func func(x []float64) float64
}

// Dim returns the number of coordinates.
func (p *Problem) Dim() int { return len(p.Bounds) }

// Regret returns how far value is above the optimum.
func (p *Problem) Regret(value float64) float64 { return value - p.Optimum }

// Space returns the problem's box as a search space: the dict
// {x: [!float {min: l0, max: u0}, …]}, one Float per coordinate, so a
// program is {x: [x0, x1, …]} and a DNA's numbers form is the point itself.
func (p *Problem) Space() *space.Space {
	xs := symbolic.NewList()
	for _, b := range p.Bounds {
		xs.Append(space.Float(b[0], b[1]))
	}
	tree := symbolic.NewDict(1)
	tree.Set("x", xs)
	return space.MustNew(tree)
}

// Vector reads the point from a program decoded from Space: the list at
// key x, of len(Bounds) numbers.
func (p *Problem) Vector(program symbolic.Value) ([]float64, error) {
	d, ok := program.(*symbolic.Dict)
	if !ok {
		return nil, fmt.Errorf("problems: %s: want a dict {x: [...]}, got %s: %w", p.Name, program.Kind(), ErrNotAPoint)
	}
	v, ok := d.Get("x")
	if !ok {
		return nil, fmt.Errorf("problems: %s: no key x: %w", p.Name, ErrNotAPoint)
	}
	l, ok := v.(*symbolic.List)
	if !ok || l.Len() != p.Dim() {
		return nil, fmt.Errorf("problems: %s: x: want a list of %d numbers, got %s: %w", p.Name, p.Dim(), v, ErrNotAPoint)
	}
	x := make([]float64, l.Len())
	for i := range x {
		switch n := l.At(i).(type) {
		case symbolic.Float:
			x[i] = float64(n)
		case symbolic.Int:
			x[i] = float64(n)
		default:
			return nil, fmt.Errorf("problems: %s: x[%d]: want a number, got %s: %w", p.Name, i, n, ErrNotAPoint)
		}
	}
	return x, nil
}

// VectorOf returns the point a DNA of Space selects. d must be a valid
// DNA of Space (as every DNA an algorithm proposes for it is).
func (p *Problem) VectorOf(d space.DNA) []float64 {
	x := make([]float64, len(d.Children))
	for i, c := range d.Children {
		x[i] = c.Value
	}
	return x
}

// All returns the standard problems in a fixed order: branin, hartmann6,
// rosenbrock10, ackley10, ackley10asym.
func All() []*Problem {
	return []*Problem{Branin(), Hartmann6(), Rosenbrock10(), Ackley10(), Ackley10Asym()}
}

// Names returns the names of the standard problems, in the order of All.
func Names() []string {
	all := All()
	names := make([]string, len(all))
	for i, p := range all {
		names[i] = p.Name
	}
	return names
}

// ByName returns the standard problem with the given name.
func ByName(name string) (*Problem, error) {
	for _, p := range All() {
		if p.Name == name {
			return p, nil
		}
	}
	return nil, fmt.Errorf("problems: %q: %w; want one of %s", name, ErrUnknown, strings.Join(Names(), ", "))
}

func box(n int, lo, hi float64) [][2]float64 {
	b := make([][2]float64, n)
	for i := range b {
		b[i] = [2]float64{lo, hi}
	}
	return b
}

// Branin returns the Branin-Hoo function on [-5, 10] × [0, 15], with
// minimum 0.397887… at (−π, 12.275), (π, 2.275) and (9.42478, 2.475).
func Branin() *Problem {
	return &Problem{
		Name:       "branin",
		Bounds:     [][2]float64{{-5, 10}, {0, 15}},
		Optimum:    5 / (4 * math.Pi),
		Minimizers: [][]float64{{-math.Pi, 12.275}, {math.Pi, 2.275}, {3 * math.Pi, 2.475}},
		Func:       branin,
	}
}

func branin(x []float64) float64 {
	const (
		a = 1
		b = 5.1 / (4 * math.Pi * math.Pi)
		c = 5 / math.Pi
		r = 6
		s = 10
		t = 1 / (8 * math.Pi)
	)
	y := x[1] - b*x[0]*x[0] + c*x[0] - r
	return a*y*y + s*(1-t)*math.Cos(x[0]) + s
}

var (
	hartmannAlpha = [4]float64{1.0, 1.2, 3.0, 3.2}
	hartmannA     = [4][6]float64{
		{10, 3, 17, 3.5, 1.7, 8},
		{0.05, 10, 17, 0.1, 8, 14},
		{3, 3.5, 1.7, 10, 17, 8},
		{17, 8, 0.05, 10, 0.1, 14},
	}
	hartmannP = [4][6]float64{
		{0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
		{0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
		{0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
		{0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381},
	}
)

// Hartmann6 returns the six-dimensional Hartmann function on [0, 1]^6,
// with minimum −3.32237 near (0.20169, 0.150011, 0.476874, 0.275332,
// 0.311652, 0.6573) and a local minimum of −3.2032 elsewhere.
func Hartmann6() *Problem {
	return &Problem{
		Name:       "hartmann6",
		Bounds:     box(6, 0, 1),
		Optimum:    -3.3223680114155147,
		Minimizers: [][]float64{{0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573}},
		Func:       hartmann6,
	}
}

func hartmann6(x []float64) float64 {
	var sum float64
	for i := range 4 {
		var e float64
		for j := range 6 {
			d := x[j] - hartmannP[i][j]
			e += hartmannA[i][j] * d * d
		}
		sum += hartmannAlpha[i] * math.Exp(-e)
	}
	return -sum
}

// Rosenbrock returns the n-dimensional Rosenbrock function on
// [-5, 10]^n, with minimum 0 at (1, …, 1). n must be at least 2.
func Rosenbrock(n int) *Problem {
	ones := make([]float64, n)
	for i := range ones {
		ones[i] = 1
	}
	return &Problem{
		Name:       fmt.Sprintf("rosenbrock%d", n),
		Bounds:     box(n, -5, 10),
		Minimizers: [][]float64{ones},
		Func:       rosenbrock,
	}
}

// Rosenbrock10 returns Rosenbrock(10).
func Rosenbrock10() *Problem { return Rosenbrock(10) }

func rosenbrock(x []float64) float64 {
	var sum float64
	for i := 0; i+1 < len(x); i++ {
		a := x[i+1] - x[i]*x[i]
		b := 1 - x[i]
		sum += 100*a*a + b*b
	}
	return sum
}

// Ackley returns the n-dimensional Ackley function (a = 20, b = 0.2,
// c = 2π) on [-32.768, 32.768]^n, with minimum 0 at the origin, which is
// the centre of the box.
func Ackley(n int) *Problem {
	return &Problem{
		Name:       fmt.Sprintf("ackley%d", n),
		Bounds:     box(n, -32.768, 32.768),
		Minimizers: [][]float64{make([]float64, n)},
		Func:       ackley,
	}
}

// Ackley10 returns Ackley(10).
func Ackley10() *Problem { return Ackley(10) }

// Ackley10Asym returns the 10-dimensional Ackley function on the
// asymmetric box [-10, 30]^10, where the minimum 0 (at the origin) is not
// the centre of the box, so a search cannot profit from starting there.
func Ackley10Asym() *Problem {
	p := Ackley(10)
	p.Name = "ackley10asym"
	p.Bounds = box(10, -10, 30)
	return p
}

func ackley(x []float64) float64 {
	var sq, cs float64
	for _, v := range x {
		sq += v * v
		cs += math.Cos(2 * math.Pi * v)
	}
	n := float64(len(x))
	return -20*math.Exp(-0.2*math.Sqrt(sq/n)) - math.Exp(cs/n) + 20 + math.E
}
