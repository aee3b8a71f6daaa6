package checkpoint

import (
	"bytes"
	"io"
	"testing"
)

// benchModel is an MLP's weights, 784×512, 512×512 and 512×10 (2.7 MB).
func benchModel() *Checkpoint {
	c := &Checkpoint{Metadata: map[string]string{KeyVersion: "bench"}}
	for i, s := range [][2]int{{784, 512}, {512, 512}, {512, 10}} {
		d := make([]float32, s[0]*s[1])
		for j := range d {
			d[j] = float32(j%997)*0.001 - 0.5
		}
		c.Tensors = append(c.Tensors, Tensor{Name: "layers[" + string(rune('0'+i)) + "].w", Shape: s[:], Data: d})
	}
	return c
}

func modelBytes(c *Checkpoint) int64 {
	var n int64
	for _, t := range c.Tensors {
		n += 4 * int64(len(t.Data))
	}
	return n
}

func BenchmarkWrite(b *testing.B) {
	c := benchModel()
	b.SetBytes(modelBytes(c))
	for b.Loop() {
		if err := Write(io.Discard, c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead(b *testing.B) {
	c := benchModel()
	file := encode(b, c)
	b.SetBytes(modelBytes(c))
	for b.Loop() {
		if _, err := Read(bytes.NewReader(file)); err != nil {
			b.Fatal(err)
		}
	}
}
