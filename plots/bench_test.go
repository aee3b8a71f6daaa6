package plots_test

import (
	"testing"

	"github.com/c2602f9e/goglove/plots"
)

// BenchmarkBuild measures each kind's data for a study of 10,000 trials,
// what the dashboard computes on every refresh of a large study.
func BenchmarkBuild(b *testing.B) {
	s := fixture(b, 10000)
	for _, kind := range plots.Kinds {
		b.Run(kind, func(b *testing.B) {
			for b.Loop() {
				if _, err := plots.Build(kind, s, &plots.Options{Limit: 500}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
