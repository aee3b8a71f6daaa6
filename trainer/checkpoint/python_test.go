package checkpoint

import (
	"fmt"
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pythonReader parses a safetensors file with Python's standard library
// only (the format needs nothing more), through safetensors' own loader
// when that package is installed, and prints one line per tensor: name,
// shape, the values' bits in hex.
const pythonReader = `
import json, struct, sys
raw = open(sys.argv[1], "rb").read()
(n,) = struct.unpack("<Q", raw[:8])
header = json.loads(raw[8:8 + n].decode("utf-8"))
data = raw[8 + n:]
header.pop("__metadata__", None)
try:
    from safetensors import safe_open  # cross-check when available
    with safe_open(sys.argv[1], framework="numpy") as f:
        assert sorted(f.keys()) == sorted(header), "safetensors sees other tensors"
except ImportError:
    pass
for name, e in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
    b, end = e["data_offsets"]
    assert e["dtype"] == "F32", e
    words = struct.unpack("<%dI" % ((end - b) // 4), data[b:end])
    print(json.dumps(name), e["shape"], " ".join("%08x" % w for w in words))
`

func TestPythonReads(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	ckpt := sample()
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := WriteFile(path, ckpt); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(python, "-c", pythonReader, path).CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	var want strings.Builder
	for _, tensor := range ckpt.Tensors {
		words := make([]string, len(tensor.Data))
		for i, v := range tensor.Data {
			words[i] = fmt.Sprintf("%08x", math.Float32bits(v))
		}
		shape := strings.ReplaceAll(fmt.Sprint(tensor.Shape), " ", ", ")
		fmt.Fprintf(&want, "%s %s %s\n", pythonString(tensor.Name), shape, strings.Join(words, " "))
	}
	if string(out) != want.String() {
		t.Errorf("python3 read\n%s\nwant\n%s", out, want.String())
	}
}

// pythonString is json.dumps of an ASCII-escaped Python string.
func pythonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r > 0x7e:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
