package trainer

import (
	"fmt"
	"testing"

	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

// FuzzAdapter builds adapters from arbitrary metadata and tensor shapes
// (the bytes of the file are checkpoint.FuzzRead's) and applies them to
// a base: every input gives an adapter and a network or an error, never
// a panic, and an adapter that applies gives a network of the base's
// depth whose head has the adapter's classes.
func FuzzAdapter(f *testing.F) {
	// An untrained base: the setup trains nothing.
	c := ftBase()
	net, err := c.Model.Network(16, 4, 0)
	if err != nil {
		f.Fatal(err)
	}
	base := &Trained{Net: net, Program: c, Features: 16, Classes: 4}
	valid := `{"method":"lora","rank":2,"alpha":4,"gamma":2,"targets":["layers[0]","layers[2]"],"head":"layers[4]"}`
	f.Add(valid, 2, 16, 32, 32, 32, 4, true)
	f.Add(valid, 2, 16, 32, 32, 32, 4, false)
	f.Add(`{"method":"lora","rank":99,"gamma":1,"targets":["layers[0]"],"head":"layers[4]"}`, 99, 16, 32, 32, 32, 4, true)
	f.Add(`{"method":"lora","rank":2,"gamma":1,"targets":["layers[1]","layers[x]"],"head":"layers[9]"}`, 2, 16, 32, 32, 32, 4, true)
	f.Add(`{"method":"lora","rank":2,"gamma":1e999,"targets":[],"head":"layers[4]"}`, 2, 16, 32, 32, 32, 0, true)
	f.Add(`not json`, 1, 1, 1, 1, 1, 1, false)
	f.Fuzz(func(t *testing.T, meta string, rank, in0, out0, in2, out2, classes int, bias bool) {
		dim := func(n int) int { return ((n+2)%70+70)%70 - 2 } // n itself from −2 to 67: zero and negative sizes too
		shape := func(dims ...int) []int {
			for i := range dims {
				dims[i] = dim(dims[i])
			}
			return dims
		}
		ckpt := &checkpoint.Checkpoint{Metadata: map[string]string{KeyAdapter: meta}}
		add := func(name string, s []int) {
			n := 1
			for _, d := range s {
				n *= max(d, 0)
			}
			ckpt.Tensors = append(ckpt.Tensors, checkpoint.Tensor{Name: name, Shape: s, Data: make([]float32, n)})
		}
		for _, l := range []struct {
			path    string
			in, out int
		}{{"layers[0]", in0, out0}, {"layers[2]", in2, out2}} {
			add(l.path+".lora_a", shape(rank, l.in))
			add(l.path+".lora_b", shape(l.out, rank))
			if bias {
				add(l.path+".b", shape(l.out))
			}
		}
		add("layers[4].w", shape(out2, classes))
		add("layers[4].b", shape(classes))
		fits := meta == valid && rank == 2 && in0 == 16 && out0 == 32 && in2 == 32 && out2 == 32 && classes == 4
		a, err := AdapterOf(ckpt)
		if err != nil {
			if fits {
				t.Fatalf("a valid adapter: %v", err)
			}
			return
		}
		got, err := a.Apply(base)
		if err != nil {
			if fits {
				t.Fatalf("a valid adapter: %v", err)
			}
			return
		}
		if len(got.Layers) != len(base.Net.Layers) {
			t.Fatalf("applied: %d layers, the base has %d", len(got.Layers), len(base.Net.Layers))
		}
		if w := got.Param(fmt.Sprintf("layers[%d].w", len(got.Layers)-1)); w == nil || w.Value.Shape[1] != dim(classes) {
			t.Fatalf("applied: head %v, want %d classes", w, dim(classes))
		}
	})
}
