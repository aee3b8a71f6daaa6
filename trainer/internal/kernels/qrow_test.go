package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestQuantizeRowPaths compares every path's row quantizer with the
// definition, on every length up to 70 and on rows built to hit exact
// halves (ties round to even) and the ±127 ends.
func TestQuantizeRowPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	var rows [][]float32
	for n := 0; n <= 70; n++ {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(r.NormFloat64() * math.Exp(4*r.Float64()-2))
		}
		rows = append(rows, x)
	}
	// s = 127: x·(127/s) = x exactly, so halves are ties.
	ties := []float32{127, 0.5, 1.5, 2.5, -0.5, -1.5, -126.5, 126.5, 3, -127, 0, 63.5}
	rows = append(rows, ties, make([]float32, 33), []float32{1e-7, -3e-6})
	for _, q := range qpaths {
		for _, x := range rows {
			want := make([]int8, len(x))
			ws := max(absMaxGo(x), QuantActMin)
			for i, v := range x {
				want[i] = int8(min(max(math.RoundToEven(float64(v*(127/ws))), -127), 127))
			}
			got := make([]int8, len(x)+1)
			got[len(x)] = 99
			gs := max(q.row.absMax(x), QuantActMin)
			if len(x) > 0 {
				q.row.quantRow(got, x, 127/gs)
			}
			if gs != ws {
				t.Fatalf("%s n=%d: s = %v, want %v", q.name, len(x), gs, ws)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%s n=%d: q[%d] = %d for x = %v, want %d", q.name, len(x), i, got[i], x[i], want[i])
				}
			}
			if got[len(x)] != 99 {
				t.Fatalf("%s n=%d: wrote past the row", q.name, len(x))
			}
		}
	}
	q := make([]int8, len(ties))
	if s := QuantizeRowS8(q, ties); s != 127 || q[1] != 0 || q[2] != 2 || q[3] != 2 || q[6] != -126 || q[7] != 126 || q[11] != 64 {
		t.Errorf("QuantizeRowS8(ties) = %v, %v", s, q)
	}
}

// TestDequantizeRowPaths: every path gives the same float32 as the
// definition's product then sum, bit for bit.
func TestDequantizeRowPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for _, q := range qpaths {
		for n := 0; n <= 70; n++ {
			acc := make([]int32, n)
			sc, b := make([]float32, n), make([]float32, n)
			for j := range acc {
				acc[j] = int32(r.Uint32())
				sc[j], b[j] = float32(r.Float64()), float32(r.NormFloat64())
			}
			s := float32(r.Float64())
			got := make([]float32, n+1)
			got[n] = 7
			if n > 0 {
				q.row.dequantRow(got, acc, sc, b, s)
			}
			for j := range acc {
				if want := float32(acc[j])*(s*sc[j]) + b[j]; math.Float32bits(got[j]) != math.Float32bits(want) {
					t.Fatalf("%s n=%d: y[%d] = %v, want %v", q.name, n, j, got[j], want)
				}
			}
			if got[n] != 7 {
				t.Fatalf("%s n=%d: wrote past the row", q.name, n)
			}
		}
	}
}

func TestRowPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"QuantizeRowS8": func() { QuantizeRowS8(make([]int8, 2), make([]float32, 3)) },
		"DequantizeRow": func() { DequantizeRow(make([]float32, 3), make([]int32, 3), make([]float32, 2), make([]float32, 3), 1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}
