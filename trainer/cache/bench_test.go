package cache

import (
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

// BenchmarkGet reads a 1 MiB entry (256Ki float32 values): the cost of a
// hit, checksum included, next to checkpoint.ReadFile of the same file,
// which is all of it but the touch of the file's time.
func BenchmarkGet(b *testing.B) {
	c := openTemp(b, 0)
	key := Key([]byte("bench"))
	if err := c.Put(key, newCkpt(1<<18, 1)); err != nil {
		b.Fatal(err)
	}
	b.Run("cache.Get", func(b *testing.B) {
		b.SetBytes(4 << 18)
		for b.Loop() {
			if _, err := c.Get(key); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("checkpoint.ReadFile", func(b *testing.B) {
		b.SetBytes(4 << 18)
		for b.Loop() {
			if _, err := checkpoint.ReadFile(c.Path(key)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkKey hashes a 4 KiB program text.
func BenchmarkKey(b *testing.B) {
	text := []byte(strings.Repeat(testProgram, 4096/len(testProgram)+1)[:4096])
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Key(text)
	}
}

// BenchmarkList lists 100 entries, reading their headers.
func BenchmarkList(b *testing.B) {
	c := openTemp(b, 0)
	for i := range 100 {
		if err := c.Put(Key([]byte{byte(i)}), newCkpt(100, float32(i))); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if entries, err := c.List(); err != nil || len(entries) != 100 {
			b.Fatal(len(entries), err)
		}
	}
}
