package tensor

import "testing"

func TestTensor(t *testing.T) {
	x := New(2, 3)
	x.Set(5, 1, 2)
	if x.At(1, 2) != 5 || x.Data[5] != 5 || x.Len() != 6 {
		t.Errorf("At/Set/Len: %v", x.Data)
	}
	r, c := x.Dims()
	if r != 2 || c != 3 || ShapeString(x.Shape) != "[2 3]" {
		t.Errorf("Dims = %d, %d; shape %s", r, c, ShapeString(x.Shape))
	}
	y := x.Clone()
	y.Data[0] = 1
	if x.Data[0] != 0 || !SameShape(x, y) || SameShape(x, New(3, 2)) {
		t.Error("Clone shares data or SameShape is wrong")
	}
	y.Zero()
	if y.Data[0] != 0 || y.Data[5] != 0 {
		t.Error("Zero")
	}
}

func TestBuffer(t *testing.T) {
	b := Buffer{Cols: 4}
	v := b.Rows(8)
	first := &v.Data[0]
	if v.Shape[0] != 8 || v.Shape[1] != 4 || len(v.Data) != 32 {
		t.Fatalf("Rows(8) = %v, %d values", v.Shape, len(v.Data))
	}
	if v = b.Rows(3); len(v.Data) != 12 || v.Shape[0] != 3 || &v.Data[0] != first {
		t.Errorf("Rows(3) reallocated or has shape %v", v.Shape)
	}
	if n := testing.AllocsPerRun(10, func() { b.Rows(5) }); n != 0 {
		t.Errorf("Rows allocates %g times", n)
	}
}

func TestPanics(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"FromData size", func() { FromData(make([]float32, 5), 2, 3) }},
		{"negative dim", func() { New(2, -1) }},
		{"index rank", func() { New(2, 3).At(1) }},
		{"index range", func() { New(2, 3).At(2, 0) }},
		{"Dims of vector", func() { New(3).Dims() }},
		{"MustSameShape", func() { MustSameShape("op", New(2, 3), New(3, 2)) }},
		{"MustCols", func() { MustCols("op", New(2, 3), 4) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tc.f()
		})
	}
}
