package symbolic

import (
	"math"
	"math/rand/v2"
	"regexp"
	"testing"
)

// yaml11Float is the YAML 1.1 float pattern (yaml.org/type/float), which
// PyYAML and other YAML 1.1 readers use: a point is required, and an
// exponent needs its sign.
var yaml11Float = regexp.MustCompile(`^[-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?$`)

// TestEncodeYAMLFloatsReadEverywhere: every float goglove writes is a
// float to YAML 1.1 readers as well as 1.2 ones, and reads back as the
// same float.
func TestEncodeYAMLFloatsReadEverywhere(t *testing.T) {
	floats := []float64{1e-08, 1.5e-08, 1e21, -2e-300, 3, 0.5, 1e20, 1.23456789e38, math.SmallestNonzeroFloat64, math.MaxFloat64, -0.0, 0}
	r := rand.New(rand.NewPCG(1, 1))
	for range 2000 {
		floats = append(floats, math.Float64frombits(r.Uint64()))
	}
	for _, f := range floats {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			continue
		}
		text := string(appendFloat(nil, f))
		if !yaml11Float.MatchString(text) {
			t.Errorf("%v is written %s, which YAML 1.1 readers do not read as a float", f, text)
			continue
		}
		v, err := NewRegistry().DecodeYAML([]byte("x: "+text+"\n"), nil)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		got, _ := GetPath(v, "x")
		if g, ok := got.(Float); !ok || math.Float64bits(float64(g)) != math.Float64bits(f) {
			t.Errorf("%s reads back as %#v, want %v", text, got, f)
		}
	}
}
