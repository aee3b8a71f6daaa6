package data

import (
	"fmt"
	"testing"
)

func TestGather(t *testing.T) {
	s := &Set{X: []float32{0, 1, 10, 11, 20, 21, 30, 31}, Y: []int32{0, 1, 2, 3}, N: 4, Features: 2, Classes: 4}
	tests := []struct {
		name  string
		idx   []int
		wantX []float32
		wantY []int32
	}{
		{"none", nil, []float32{}, []int32{}},
		{"one", []int{2}, []float32{20, 21}, []int32{2}},
		{"reversed", []int{3, 2, 1, 0}, []float32{30, 31, 20, 21, 10, 11, 0, 1}, []int32{3, 2, 1, 0}},
		{"repeated", []int{1, 1}, []float32{10, 11, 10, 11}, []int32{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Buffers larger than the batch: Gather writes only its rows.
			x, y := make([]float32, 2*len(tt.idx)+2), make([]int32, len(tt.idx)+1)
			x[len(x)-1], y[len(y)-1] = -1, -1
			s.Gather(x, y, tt.idx)
			if fmt.Sprint(x[:len(tt.wantX)]) != fmt.Sprint(tt.wantX) || x[len(x)-1] != -1 {
				t.Errorf("x = %v, want %v then the untouched -1", x, tt.wantX)
			}
			if !equalInt32(y[:len(tt.wantY)], tt.wantY) || y[len(y)-1] != -1 {
				t.Errorf("y = %v, want %v then the untouched -1", y, tt.wantY)
			}
			s.Gather(x, nil, tt.idx) // nil labels are skipped
		})
	}
}

func TestGatherPanics(t *testing.T) {
	s := &Set{X: make([]float32, 6), Y: make([]int32, 3), N: 3, Features: 2, Classes: 2}
	for name, f := range map[string]func(){
		"short x":      func() { s.Gather(make([]float32, 3), nil, []int{0, 1}) },
		"short y":      func() { s.Gather(make([]float32, 4), make([]int32, 1), []int{0, 1}) },
		"index beyond": func() { s.Gather(make([]float32, 2), nil, []int{3}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

func BenchmarkGather(b *testing.B) {
	for _, c := range []struct {
		name            string
		features, batch int
	}{{"fashion/784x128", 784, 128}, {"synthetic/64x32", 64, 32}} {
		b.Run(c.name, func(b *testing.B) {
			const n = 10000
			s := &Set{X: make([]float32, n*c.features), Y: make([]int32, n), N: n, Features: c.features, Classes: 10}
			idx := make([]int, c.batch)
			for i := range idx {
				idx[i] = (i * 7919) % n
			}
			x, y := make([]float32, c.batch*c.features), make([]int32, c.batch)
			b.SetBytes(int64(4 * c.batch * c.features))
			for b.Loop() {
				s.Gather(x, y, idx)
			}
		})
	}
}
