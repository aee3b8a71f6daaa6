package search

import (
	"context"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
)

// BenchmarkRun measures the loop's own cost per trial: proposing under
// the store's lock, decoding, recording and feeding back, with an
// in-memory store and an objective that returns at once. b.N trials
// make one study, so a cost that grows with the study shows.
func BenchmarkRun(b *testing.B) {
	s := testSpace(b, xySpace)
	obj := func(ctx context.Context, t *Trial[symbolic.Value]) (Metrics, error) { return Metrics{"reward": 1}, nil }
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := Run(context.Background(), Searchable[symbolic.Value](s), &randomAlgo{seed: 1}, obj,
		&Options{Trials: b.N}); err != nil {
		b.Fatal(err)
	}
}
