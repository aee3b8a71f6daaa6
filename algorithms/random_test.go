package algorithms_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/space"
)

// TestRandom: proposals are DNASpec.Random's draws from the source, the
// seed decides them, and feedback changes nothing.
func TestRandom(t *testing.T) {
	spec := yamlSpec(t, conformanceYAML[5].yaml)
	ctx := context.Background()
	r := &algorithms.Random{Rand: rand.New(rand.NewPCG(1, 2))}
	if err := r.Setup(spec); err != nil {
		t.Fatal(err)
	}
	want := rand.New(rand.NewPCG(1, 2))
	for i := range 50 {
		d, err := r.Propose(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if w := spec.Random(want); !d.Equal(w) {
			t.Fatalf("proposal %d: %s, want %s", i, spec.Format(d), spec.Format(w))
		}
		r.Feedback(algorithms.Result{Trial: i, DNA: d, Rewards: []float64{float64(i)}})
	}

	first := func(seed uint64) string {
		r := &algorithms.Random{Seed: seed}
		if err := r.Setup(spec); err != nil {
			t.Fatal(err)
		}
		d, _ := r.Propose(ctx)
		return spec.Format(d)
	}
	if first(1) != first(1) || first(1) == first(2) {
		t.Errorf("seeds 1, 1, 2 gave %s, %s, %s", first(1), first(1), first(2))
	}
}

// benchSpec is the space of the overhead benchmark (and of PyGlove's
// figures): 10 decisions, 6 OneOf of 2–8 candidates and 4 Float.
func benchSpec(tb testing.TB) *space.DNASpec {
	return yamlSpec(tb, `
optimizer: !oneof [sgd, adam, adamw, rmsprop]
lr: !float {min: 1.0e-5, max: 1, scale: log}
momentum: !float {min: 0, max: 0.99}
weight_decay: !float {min: 1.0e-6, max: 0.1, scale: log}
dropout: !float {min: 0, max: 0.5}
activation: !oneof [relu, gelu, tanh, silu, elu]
width: !oneof [16, 32, 64, 128, 256, 512, 1024, 2048]
depth: !oneof [1, 2, 3, 4, 6, 8]
batch: !oneof [32, 64, 128]
quant: !oneof [fp32, ternary]
`)
}

// benchTrials measures Propose plus Feedback, one trial per iteration,
// with a cheap reward (the sum of the top-level decisions).
func benchTrials(b *testing.B, a algorithms.Algorithm) {
	spec := benchSpec(b)
	if err := a.Setup(spec); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	trial := 0
	for b.Loop() {
		d, err := a.Propose(ctx)
		if err != nil {
			b.Fatal(err)
		}
		var reward float64
		for _, c := range d.Children {
			reward += c.Value
		}
		a.Feedback(algorithms.Result{Trial: trial, DNA: d, Rewards: []float64{reward}})
		trial++
	}
}

func BenchmarkRandom(b *testing.B) { benchTrials(b, &algorithms.Random{Seed: 1}) }

func BenchmarkDedupRandom(b *testing.B) {
	benchTrials(b, &algorithms.Dedup{Inner: &algorithms.Random{Seed: 1}})
}
