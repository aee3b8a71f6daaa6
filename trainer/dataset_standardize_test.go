package trainer_test

import (
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/data"
)

// FashionMNIST's standardize applies (v − 0.2860) / 0.3530 to every split;
// omitted, it is off and the pixels stay in [0, 1].
func TestFashionMNISTStandardize(t *testing.T) {
	tinyFashionDir(t)
	r := newRegistry(t)
	load := func(src string) *data.Splits {
		t.Helper()
		v, err := r.DecodeYAML([]byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		f, err := symbolic.To[trainer.FashionMNIST](v)
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.Load()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	plain := load("{_type: trainer.FashionMNIST, validation: 10}")
	std := load("{_type: trainer.FashionMNIST, validation: 10, standardize: true}")
	if plain.Train.Row(2)[0] != float32(8)/255 {
		t.Errorf("default: pixel %v, want 8/255 (standardize must default to off)", plain.Train.Row(2)[0])
	}
	const mean, dev float32 = 0.2860, 0.3530
	for _, pair := range [][2]*data.Set{{plain.Train, std.Train}, {plain.Val, std.Val}, {plain.Test, std.Test}} {
		for i, v := range pair[0].X {
			if want := (v - mean) / dev; pair[1].X[i] != want {
				t.Fatalf("pixel %d: %v, want %v", i, pair[1].X[i], want)
			}
		}
	}
}
