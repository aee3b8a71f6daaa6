package checkpoint

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// special holds values whose bits a round trip must keep: NaNs with
// payloads (quiet and signalling, both signs), ±0, ±Inf, denormals.
var special = []float32{
	math.Float32frombits(0x7fc00001), math.Float32frombits(0xffc12345),
	math.Float32frombits(0x7f800001), math.Float32frombits(0xff80abcd),
	float32(math.Copysign(0, -1)), 0,
	float32(math.Inf(1)), float32(math.Inf(-1)),
	math.Float32frombits(0x00000001), math.Float32frombits(0x807fffff),
	math.MaxFloat32, -math.SmallestNonzeroFloat32, 1.5, -3.25,
}

// sample returns a small checkpoint with special values, a scalar and an
// empty tensor.
func sample() *Checkpoint {
	w := make([]float32, 3*4)
	for i := range w {
		w[i] = float32(i) - 5.5
	}
	copy(w, special)
	b := append([]float32(nil), special...)
	return &Checkpoint{
		Tensors: []Tensor{
			{Name: "layers[0].w", Shape: []int{3, 4}, Data: w},
			{Name: "layers[0].b", Shape: []int{len(b)}, Data: b},
			{Name: "scale", Shape: []int{}, Data: []float32{0.125}},
			{Name: "empty", Shape: []int{0, 7}, Data: []float32{}},
			{Name: "ünïcode \"quoted\"", Shape: []int{1, 1, 1}, Data: []float32{-0.0}},
		},
		Metadata: map[string]string{
			KeyProgram: "_type: trainer.Classifier\nepochs: 5\n",
			KeyMetrics: `{"accuracy":0.875,"loss":0.31}`,
			KeyVersion: "v0.0.0-test",
		},
	}
}

func encode(t testing.TB, ckpt *Checkpoint) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, ckpt); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

// sameCheckpoint reports how a and b differ (bit-exact data, shapes,
// names, order, metadata), or "" when they do not.
func sameCheckpoint(a, b *Checkpoint) string {
	if len(a.Tensors) != len(b.Tensors) {
		return "tensor counts differ"
	}
	for i := range a.Tensors {
		x, y := a.Tensors[i], b.Tensors[i]
		if x.Name != y.Name {
			return "tensor " + x.Name + " became " + y.Name
		}
		if len(x.Shape) != len(y.Shape) {
			return x.Name + ": shape rank differs"
		}
		for j := range x.Shape {
			if x.Shape[j] != y.Shape[j] {
				return x.Name + ": shape differs"
			}
		}
		if x.Dtype != y.Dtype {
			return x.Name + ": dtype " + string(x.Dtype) + " became " + string(y.Dtype)
		}
		if string(x.Bytes) != string(y.Bytes) {
			return x.Name + ": bytes differ"
		}
		if len(x.Data) != len(y.Data) {
			return x.Name + ": data length differs"
		}
		for j := range x.Data {
			if math.Float32bits(x.Data[j]) != math.Float32bits(y.Data[j]) {
				return x.Name + ": data bits differ"
			}
		}
	}
	if len(a.Metadata) != len(b.Metadata) {
		return "metadata sizes differ"
	}
	for k, v := range a.Metadata {
		if w, ok := b.Metadata[k]; !ok || w != v {
			return "metadata " + k + " differs"
		}
	}
	return ""
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		ckpt *Checkpoint
	}{
		{"sample", sample()},
		{"no tensors no metadata", &Checkpoint{}},
		{"large", benchModel()},
	} {
		file := encode(t, tc.ckpt)
		for _, r := range []struct {
			name string
			in   io.Reader
		}{
			{"sized", bytes.NewReader(file)},
			{"stream", struct{ io.Reader }{bytes.NewReader(file)}}, // no Len: capacity grows as data arrives
		} {
			t.Run(tc.name+"/"+r.name, func(t *testing.T) {
				got, err := Read(r.in)
				if err != nil {
					t.Fatalf("Read: %v", err)
				}
				if d := sameCheckpoint(tc.ckpt, got); d != "" {
					t.Fatal(d)
				}
			})
		}
	}
}

// TestHeaderIndependently decodes the file with encoding/binary and
// encoding/json only, as a foreign safetensors reader would.
func TestHeaderIndependently(t *testing.T) {
	ckpt := sample()
	file := encode(t, ckpt)
	n := binary.LittleEndian.Uint64(file[:8])
	if n%8 != 0 {
		t.Errorf("header size %d is not a multiple of 8", n)
	}
	if uint64(len(file)) < 8+n {
		t.Fatalf("file of %d bytes shorter than its header of %d", len(file), n)
	}
	header, data := file[8:8+n], file[8+n:]
	trimmed := bytes.TrimRight(header, " ")
	if len(header)-len(trimmed) >= 8 {
		t.Errorf("header padded with %d spaces, want fewer than 8", len(header)-len(trimmed))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(header, &raw); err != nil {
		t.Fatalf("header is not JSON: %v", err)
	}
	var meta map[string]string
	if err := json.Unmarshal(raw["__metadata__"], &meta); err != nil {
		t.Fatalf("__metadata__: %v", err)
	}
	for k, v := range ckpt.Metadata {
		if meta[k] != v {
			t.Errorf("__metadata__[%q] = %q, want %q", k, meta[k], v)
		}
	}
	sum := sha256.Sum256(data)
	if got, want := meta["goglove.data_sha256"], hex.EncodeToString(sum[:]); got != want {
		t.Errorf("checksum %q, want %q", got, want)
	}
	if len(raw) != len(ckpt.Tensors)+1 {
		t.Errorf("header has %d keys, want %d tensors and __metadata__", len(raw), len(ckpt.Tensors))
	}
	var offset uint64
	for _, tensor := range ckpt.Tensors {
		var e struct {
			Dtype       string    `json:"dtype"`
			Shape       []int     `json:"shape"`
			DataOffsets [2]uint64 `json:"data_offsets"`
		}
		if err := json.Unmarshal(raw[tensor.Name], &e); err != nil {
			t.Fatalf("tensor %q: %v", tensor.Name, err)
		}
		if e.Dtype != "F32" {
			t.Errorf("tensor %q: dtype %q", tensor.Name, e.Dtype)
		}
		if len(e.Shape) != len(tensor.Shape) {
			t.Errorf("tensor %q: shape %v, want %v", tensor.Name, e.Shape, tensor.Shape)
		}
		if e.DataOffsets != [2]uint64{offset, offset + 4*uint64(len(tensor.Data))} {
			t.Errorf("tensor %q: data_offsets %v, want to begin at %d", tensor.Name, e.DataOffsets, offset)
		}
		for i, v := range tensor.Data {
			if got := binary.LittleEndian.Uint32(data[offset+4*uint64(i):]); got != math.Float32bits(v) {
				t.Errorf("tensor %q[%d]: bits %#x, want %#x", tensor.Name, i, got, math.Float32bits(v))
			}
		}
		offset = e.DataOffsets[1]
	}
	if offset != uint64(len(data)) {
		t.Errorf("tensors cover %d bytes, data section has %d", offset, len(data))
	}
}

func TestTruncatedAndCorrupt(t *testing.T) {
	file := encode(t, sample())
	n := int(binary.LittleEndian.Uint64(file[:8]))
	t.Run("every truncation", func(t *testing.T) {
		for l := 0; l < len(file); l++ {
			if _, err := Read(bytes.NewReader(file[:l])); err == nil {
				t.Fatalf("file truncated to %d of %d bytes read without error", l, len(file))
			} else if !strings.HasPrefix(err.Error(), "checkpoint: ") {
				t.Fatalf("error %q lacks the prefix", err)
			}
		}
	})
	t.Run("every flipped data byte", func(t *testing.T) {
		for i := 8 + n; i < len(file); i++ {
			bad := append([]byte(nil), file...)
			bad[i] ^= 0x10
			_, err := Read(bytes.NewReader(bad))
			if err == nil || !strings.Contains(err.Error(), "checksum mismatch") {
				t.Fatalf("byte %d flipped: error %v, want a checksum mismatch", i, err)
			}
		}
	})
	t.Run("trailing byte", func(t *testing.T) {
		_, err := Read(bytes.NewReader(append(append([]byte(nil), file...), 0)))
		if err == nil || !strings.Contains(err.Error(), "trailing") {
			t.Fatalf("error %v, want trailing bytes", err)
		}
	})
}

func TestWriteRejects(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*Checkpoint)
		wants string
	}{
		{"shape mismatch", func(c *Checkpoint) { c.Tensors[0].Shape = []int{4, 4} }, `tensor "layers[0].w": shape [4 4] has 16 elements, data has 12`},
		{"negative dimension", func(c *Checkpoint) { c.Tensors[3].Shape = []int{-1, 0} }, `tensor "empty": negative dimension -1`},
		{"duplicate", func(c *Checkpoint) { c.Tensors[1].Name = "layers[0].w" }, `tensor "layers[0].w" appears twice`},
		{"empty name", func(c *Checkpoint) { c.Tensors[2].Name = "" }, "tensor 2 has no name"},
		{"metadata name", func(c *Checkpoint) { c.Tensors[2].Name = "__metadata__" }, `"__metadata__" is reserved`},
		{"checksum key", func(c *Checkpoint) { c.Metadata[KeyChecksum] = "x" }, `"goglove.data_sha256" is reserved`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := sample()
			tc.edit(c)
			var buf bytes.Buffer
			err := Write(&buf, c)
			if err == nil || !strings.HasPrefix(err.Error(), "checkpoint: ") || !strings.Contains(err.Error(), tc.wants) {
				t.Fatalf("error %v, want one containing %q", err, tc.wants)
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written for an invalid checkpoint", buf.Len())
			}
		})
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	first := sample()
	if err := WriteFile(path, first); err != nil {
		t.Fatal(err)
	}
	second := sample()
	second.Metadata[KeyVersion] = "v2"
	if err := WriteFile(path, second); err != nil {
		t.Fatalf("overwriting: %v", err)
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := sameCheckpoint(second, got); d != "" {
		t.Fatal(d)
	}
	bad := sample()
	bad.Tensors[0].Shape = []int{1}
	if err := WriteFile(path, bad); err == nil {
		t.Fatal("invalid checkpoint written")
	}
	if got, err := ReadFile(path); err != nil || got.Metadata[KeyVersion] != "v2" {
		t.Fatalf("after a failed write the file reads %v, %v; want the previous checkpoint", got, err)
	}
	if err := WriteFile(filepath.Join(dir, "missing", "m.safetensors"), first); err == nil {
		t.Fatal("write into a missing directory succeeded")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "model.safetensors" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only model.safetensors (no temporary files)", names)
	}
	if _, err := ReadFile(filepath.Join(dir, "absent")); err == nil || !strings.HasPrefix(err.Error(), "checkpoint: ") {
		t.Errorf("reading a missing file: %v", err)
	}
}
