package symbolic

import (
	"testing"
	"time"

	"github.com/c2602f9e/goglove/internal/cputime"
)

// benchConfig is the 10-field object of the benchmarks (PyGlove
// 0.5 figures on these machines, one core: build 300 µs, clone 314 µs,
// rebind one field 29 µs, hash 14 µs, JSON round trip 470 µs).
type benchConfig struct {
	Name        string  `default:"mlp"`
	Layers      int     `min:"1" max:"64" default:"3"`
	Units       int     `min:"1" max:"4096" default:"256"`
	Activation  string  `enum:"relu,gelu,tanh" default:"relu"`
	Dropout     float64 `min:"0" max:"1" default:"0.1"`
	LR          float64 `sym:"lr" min:"0" default:"0.001"`
	WeightDecay float64 `min:"0"`
	Batch       int     `min:"1" default:"128"`
	Shuffle     bool    `default:"true"`
	Seed        int64
}

func benchRegistry(b *testing.B) *Registry {
	r := NewRegistry()
	if err := Register[benchConfig](r, "bench.Config", ""); err != nil {
		b.Fatal(err)
	}
	return r
}

var benchGo = benchConfig{Name: "wide", Layers: 4, Units: 512, Activation: "gelu", Dropout: 0.2,
	LR: 3e-4, WeightDecay: 0.01, Batch: 256, Shuffle: true, Seed: 42}

var sinkValue Value

func BenchmarkBuildFromGo(b *testing.B) {
	r := benchRegistry(b)
	b.ReportAllocs()
	defer cputime.Report(b, cputime.Process(), time.Nanosecond)
	for b.Loop() {
		v, err := r.FromGo(&benchGo)
		if err != nil {
			b.Fatal(err)
		}
		sinkValue = v
	}
}

func BenchmarkBindToGo(b *testing.B) {
	r := benchRegistry(b)
	v, _ := r.FromGo(&benchGo)
	b.ReportAllocs()
	defer cputime.Report(b, cputime.Process(), time.Nanosecond)
	for b.Loop() {
		c, err := To[benchConfig](v)
		if err != nil || c.Units != 512 {
			b.Fatal(err)
		}
	}
}

func BenchmarkClone(b *testing.B) {
	r := benchRegistry(b)
	v, _ := r.FromGo(&benchGo)
	b.ReportAllocs()
	defer cputime.Report(b, cputime.Process(), time.Nanosecond)
	for b.Loop() {
		sinkValue = Clone(v)
	}
}

func BenchmarkRebindOneField(b *testing.B) {
	r := benchRegistry(b)
	v, _ := r.FromGo(&benchGo)
	b.ReportAllocs()
	units := []Value{Int(512), Int(1024)}
	i := 0
	defer cputime.Report(b, cputime.Process(), time.Nanosecond)
	for b.Loop() {
		if err := RebindAll(v, Update{Path: MustParsePath("units"), Value: units[i&1]}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkRebindOneFieldText(b *testing.B) {
	r := benchRegistry(b)
	v, _ := r.FromGo(&benchGo)
	b.ReportAllocs()
	units := []map[string]any{{"units": 512}, {"units": 1024}}
	i := 0
	defer cputime.Report(b, cputime.Process(), time.Nanosecond)
	for b.Loop() {
		if err := Rebind(v, units[i&1]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

var sinkHash uint64

func BenchmarkHash(b *testing.B) {
	r := benchRegistry(b)
	v, _ := r.FromGo(&benchGo)
	b.ReportAllocs()
	defer cputime.Report(b, cputime.Process(), time.Nanosecond)
	for b.Loop() {
		sinkHash = Hash(v)
	}
}

func BenchmarkEqual(b *testing.B) {
	r := benchRegistry(b)
	v, _ := r.FromGo(&benchGo)
	w := Clone(v)
	b.ReportAllocs()
	defer cputime.Report(b, cputime.Process(), time.Nanosecond)
	for b.Loop() {
		if !Equal(v, w) {
			b.Fatal("not equal")
		}
	}
}

func BenchmarkYAMLRoundTrip(b *testing.B) {
	r := benchRegistry(b)
	v, _ := r.FromGo(&benchGo)
	b.ReportAllocs()
	defer cputime.Report(b, cputime.Process(), time.Nanosecond)
	for b.Loop() {
		data, err := EncodeYAML(v)
		if err != nil {
			b.Fatal(err)
		}
		if sinkValue, err = r.DecodeYAML(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSONRoundTrip(b *testing.B) {
	r := benchRegistry(b)
	v, _ := r.FromGo(&benchGo)
	b.ReportAllocs()
	defer cputime.Report(b, cputime.Process(), time.Nanosecond)
	for b.Loop() {
		data, err := EncodeJSONCompact(v)
		if err != nil {
			b.Fatal(err)
		}
		if sinkValue, err = r.DecodeJSON(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParsePath(b *testing.B) {
	b.ReportAllocs()
	defer cputime.Report(b, cputime.Process(), time.Nanosecond)
	for b.Loop() {
		if _, err := ParsePath(`model.layers[2]["x.y"].units`); err != nil {
			b.Fatal(err)
		}
	}
}
