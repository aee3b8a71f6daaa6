package checkpoint

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRead feeds arbitrary bytes to Read, sized and streamed (the two
// must agree). It must never panic; an error
// must carry the package prefix on one line; a file it accepts must
// survive Write and Read unchanged. The seed corpus in
// testdata/fuzz/FuzzRead holds valid files and near misses
// (TestFuzzSeeds checks it is current).
func FuzzRead(f *testing.F) {
	f.Fuzz(func(t *testing.T, file []byte) {
		ckpt, err := Read(bytes.NewReader(file))
		streamed, serr := Read(struct{ io.Reader }{bytes.NewReader(file)})
		if (err == nil) != (serr == nil) || (err != nil && err.Error() != serr.Error()) {
			t.Fatalf("streamed, the error is %v; sized, %v", serr, err)
		}
		if err == nil {
			if d := sameCheckpoint(ckpt, streamed); d != "" {
				t.Fatalf("streamed and sized reads differ: %s", d)
			}
		}
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "checkpoint: ") || strings.Contains(msg, "\n") {
				t.Fatalf("error %q: want one line prefixed checkpoint:", msg)
			}
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, ckpt); err != nil {
			t.Fatalf("an accepted file does not write back: %v", err)
		}
		again, err := Read(&buf)
		if err != nil {
			t.Fatalf("a rewritten file does not read: %v", err)
		}
		if d := sameCheckpoint(ckpt, again); d != "" {
			t.Fatalf("rewriting changed the checkpoint: %s", d)
		}
	})
}

// seeds are the files of the seed corpus, by name.
func seeds() map[string][]byte {
	small := &Checkpoint{Tensors: []Tensor{{Name: "w", Shape: []int{2, 2}, Data: []float32{1, -0.0, 3, 4}}}}
	s := map[string][]byte{
		"empty":       {},
		"no_tensors":  craft(`{`+meta+`}`, nil),
		"two_tensors": craft(`{`+meta+`,"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[],"data_offsets":[4,8]}}`, make([]byte, 8)),
		"overlap":     craft(`{`+meta+`,"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, make([]byte, 8)),
		"bad_dtype":   craft(`{`+meta+`,"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}`, make([]byte, 4)),
		"huge_claim":  craft(`{`+meta+`,"a":{"dtype":"F32","shape":[1000000000000],"data_offsets":[0,4000000000000]}}`, nil),
		"no_checksum": craft(`{"__metadata__":{"k":"v"}}`, nil),
		"small_write": encodeSeed(small),
		"bytes_write": encodeSeed(&Checkpoint{Tensors: []Tensor{
			{Name: "codes", Shape: []int{3}, Dtype: DtypeU8, Bytes: []byte{0, 121, 242}},
			{Name: "scale", Shape: []int{1}, Data: []float32{0.5}},
			{Name: "int8", Shape: []int{2}, Dtype: DtypeI8, Bytes: []byte{0x81, 0x7f}},
		}}),
		"bad_u8_size":  craft(`{`+meta+`,"a":{"dtype":"U8","shape":[3],"data_offsets":[0,4]}}`, make([]byte, 4)),
		"sample_write": encodeSeed(sample()),
	}
	truncated := encodeSeed(sample())
	s["sample_truncated"] = truncated[:len(truncated)-3]
	return s
}

func encodeSeed(c *Checkpoint) []byte {
	var b bytes.Buffer
	if err := Write(&b, c); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// TestFuzzSeeds checks that testdata/fuzz/FuzzRead holds the seeds;
// GOGLOVE_UPDATE_SEEDS=1 rewrites them.
func TestFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzRead")
	for name, file := range seeds() {
		want := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", file)
		path := filepath.Join(dir, name)
		if os.Getenv("GOGLOVE_UPDATE_SEEDS") == "1" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("seed %s: %v (run with GOGLOVE_UPDATE_SEEDS=1)", name, err)
		}
		if string(got) != want {
			t.Errorf("seed %s is stale (run with GOGLOVE_UPDATE_SEEDS=1)", name)
		}
	}
}
