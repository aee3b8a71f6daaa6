package trainer

import (
	"bytes"
	"context"
	"testing"

	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

// FuzzAdapter reads arbitrary bytes as an adapter file and applies what
// it reads to a base: every input gives an adapter and a network or an
// error, never a panic, and an adapter that applies gives a network of
// the base's depth.
func FuzzAdapter(f *testing.F) {
	base, err := ftBase().TrainedModel(context.Background(), nil)
	if err != nil {
		f.Fatal(err)
	}
	r, err := ftLoRA(2).TuneFrom(context.Background(), nil, base)
	if err != nil {
		f.Fatal(err)
	}
	ckpt, err := r.Adapter.Checkpoint()
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := checkpoint.Write(&buf, ckpt); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	for _, meta := range []string{
		`{"method":"lora","rank":99,"alpha":1,"gamma":1,"targets":["layers[0]"],"head":"layers[4]"}`,
		`{"method":"lora","rank":2,"gamma":1,"targets":["layers[1]","layers[x]"],"head":"layers[9]"}`,
		`{"method":"lora","rank":2,"gamma":1,"targets":[],"head":"layers[4]"}`,
		`not json`,
	} {
		c := *ckpt
		c.Metadata = map[string]string{KeyAdapter: meta}
		var b bytes.Buffer
		if err := checkpoint.Write(&b, &c); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := checkpoint.Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		a, err := AdapterOf(c)
		if err != nil {
			return
		}
		net, err := a.Apply(base)
		if err == nil && len(net.Layers) != len(base.Net.Layers) {
			t.Fatalf("applied: %d layers, the base has %d", len(net.Layers), len(base.Net.Layers))
		}
	})
}
