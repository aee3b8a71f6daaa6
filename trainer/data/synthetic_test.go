package data

import (
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
)

func TestSyntheticDefaults(t *testing.T) {
	s, err := Synthetic(SyntheticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		set  *Set
		n    int
	}{{"train", s.Train, 10000}, {"val", s.Val, 2000}, {"test", s.Test, 2000}} {
		if c.set.N != c.n || c.set.Features != 64 || c.set.Classes != 10 || len(c.set.X) != c.n*64 || len(c.set.Y) != c.n {
			t.Errorf("%s: N %d, Features %d, Classes %d, len(X) %d, len(Y) %d; want %d, 64, 10, %d, %d",
				c.name, c.set.N, c.set.Features, c.set.Classes, len(c.set.X), len(c.set.Y), c.n, c.n*64, c.n)
		}
		for _, v := range c.set.X {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("%s: feature %v outside [0, 1]", c.name, v)
			}
		}
		counts := make([]int, 10)
		for _, y := range c.set.Y {
			counts[y]++
		}
		for k, n := range counts {
			if n < c.n/20 {
				t.Errorf("%s: class %d has %d examples of %d, want about a tenth", c.name, k, n, c.n)
			}
		}
	}
}

func TestSyntheticOptions(t *testing.T) {
	tests := []struct {
		name                 string
		o                    SyntheticOptions
		train, val, test, nf int
	}{
		{"sizes", SyntheticOptions{Train: 100, Val: 10, Test: 20}, 100, 10, 20, 64},
		{"no validation", SyntheticOptions{Train: 100, Val: -1, Test: 20}, 100, 0, 20, 64},
		{"features", SyntheticOptions{Train: 5, Test: 5, Features: 3, Classes: 2, Clusters: 1}, 5, 2000, 5, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Synthetic(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if s.Train.N != tt.train || s.Val.N != tt.val || s.Test.N != tt.test || s.Train.Features != tt.nf {
				t.Errorf("N %d/%d/%d, Features %d; want %d/%d/%d, %d", s.Train.N, s.Val.N, s.Test.N, s.Train.Features, tt.train, tt.val, tt.test, tt.nf)
			}
		})
	}
}

func TestSyntheticErrors(t *testing.T) {
	tests := []struct {
		name string
		o    SyntheticOptions
		want string
	}{
		{"negative train", SyntheticOptions{Train: -1}, "synthetic sizes are -1 train"},
		{"one class", SyntheticOptions{Classes: 1}, "synthetic Classes is 1, want 2 to 65536"},
		{"negative features", SyntheticOptions{Features: -3}, "synthetic Features is -3"},
		{"negative noise", SyntheticOptions{Noise: -0.1}, "synthetic Noise is -0.1"},
		{"NaN noise", SyntheticOptions{Noise: math.NaN()}, "synthetic Noise is NaN"},
		{"too large", SyntheticOptions{Train: 1 << 23, Features: 1 << 10}, "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Synthetic(tt.o)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "data: ") || !errors.Is(err, ErrOptions) {
				t.Errorf("error %v, want one starting with \"data: \", containing %q, wrapping ErrOptions", err, tt.want)
			}
		})
	}
}

// TestSyntheticDeterministic checks that a seed gives the same data every
// time (not just through the cache), other seeds other data, and pins a
// few values so that a change of the generator is noticed.
func TestSyntheticDeterministic(t *testing.T) {
	o := SyntheticOptions{Train: 50, Val: 5, Test: 5, Seed: 3}.withDefaults()
	a, b := generate(o), generate(o)
	for i := range a.X {
		if a.X[i] != b.X[i] {
			t.Fatalf("X[%d]: %v then %v", i, a.X[i], b.X[i])
		}
	}
	if !equalInt32(a.Y, b.Y) {
		t.Fatal("labels differ between two generations")
	}
	o.Seed = 4
	if c := generate(o); c.X[0] == a.X[0] && c.X[1] == a.X[1] {
		t.Error("seeds 3 and 4 give the same data")
	}
	// Values of the current generator (seed 3), to 1e-6: math.Exp and
	// math.Tanh may differ in the last bit between architectures.
	wantX := []float32{0.62448657, 0.6394487, 0.47153044}
	wantY := []int32{8, 1, 4}
	for i, w := range wantX {
		if math.Abs(float64(a.X[i]-w)) > 1e-6 {
			t.Errorf("X[%d] = %v, want %v", i, a.X[i], w)
		}
	}
	if !equalInt32(a.Y[:3], wantY) {
		t.Errorf("Y[:3] = %v, want %v", a.Y[:3], wantY)
	}
}

func TestSyntheticShared(t *testing.T) {
	o := SyntheticOptions{Train: 30, Val: 3, Test: 3, Seed: 9}
	a, _ := Synthetic(o)
	b, _ := Synthetic(o)
	if &a.Train.X[0] != &b.Train.X[0] {
		t.Error("equal options generated the data twice; want it shared")
	}
	if a.Val.N != 3 || &a.Val.X[0] == &a.Test.X[0] {
		t.Error("validation and test overlap")
	}
}

// TestSyntheticCacheBound checks that the cache keeps the sets of the
// last option values only, and that concurrent callers share a set (run
// it with -race).
func TestSyntheticCacheBound(t *testing.T) {
	first := func(seed uint64) *float32 {
		s, err := Synthetic(SyntheticOptions{Train: 10, Val: -1, Test: 10, Seed: 1000 + seed})
		if err != nil {
			t.Fatal(err)
		}
		return &s.Train.X[0]
	}
	p0 := first(0)
	var old1 *float32
	for seed := range uint64(synthCacheSize) {
		p := first(seed) // 0 is used again, 1 to 7 are new: 8 in all
		if seed == 1 {
			old1 = p
		}
	}
	if first(0) != p0 {
		t.Error("a set used among the last 8 was made again")
	}
	first(100) // 1 is now the least recently used and goes
	p1 := first(1)
	if p1 == old1 {
		t.Error("the least recently used set was kept beyond the 8 last")
	}
	if first(1) != p1 {
		t.Error("the set just made is not cached")
	}
	var wg sync.WaitGroup
	ptrs := make([]*float32, 8)
	for i := range ptrs {
		wg.Go(func() { ptrs[i] = first(uint64(200 + i%2)) })
	}
	wg.Wait()
	for i, p := range ptrs {
		if p != ptrs[i%2] {
			t.Errorf("concurrent call %d made its own set", i)
		}
	}
}

// TestSyntheticLearnable checks what the dataset is for: an MLP learns it
// well but not perfectly, and far better than a linear model.
func TestSyntheticLearnable(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two models for about two seconds")
	}
	s, err := Synthetic(SyntheticOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lin := newRefModel(64, 0, 10, 1)
	lin.train(s.Train, 10, 0.1, 1)
	mlp := newRefModel(64, 32, 10, 1)
	mlp.train(s.Train, 10, 0.05, 1)
	l, m := lin.accuracy(s.Test), mlp.accuracy(s.Test)
	t.Logf("test accuracy: linear %.3f, MLP 64-32-10 %.3f", l, m)
	if m < 0.85 || m > 0.99 {
		t.Errorf("MLP test accuracy %.3f, want 0.85 to 0.99", m)
	}
	if m-l < 0.3 {
		t.Errorf("MLP %.3f beats linear %.3f by less than 0.3", m, l)
	}
}

func BenchmarkSyntheticGenerate(b *testing.B) {
	o := SyntheticOptions{}.withDefaults()
	for b.Loop() {
		generate(o)
	}
}
