package stats

import (
	"math"
	"slices"
	"testing"
)

func TestMedian(t *testing.T) {
	tests := []struct {
		name string
		xs   []float64
		want float64
	}{
		{"none", nil, 0},
		{"one", []float64{3}, 3},
		{"odd count, unsorted", []float64{5, 1, 3}, 3},
		{"even count: mean of the middle two", []float64{4, 1, 3, 2}, 2.5},
		{"repeats", []float64{2, 2, 7, 2}, 2},
		{"negative and infinite", []float64{math.Inf(-1), -1, 1, math.Inf(1), 0}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.xs)
			if got := Median(in); got != tt.want {
				t.Errorf("Median(%v) = %v, want %v", tt.xs, got, tt.want)
			}
			if !slices.Equal(in, tt.xs) {
				t.Errorf("Median changed its argument: %v, was %v", in, tt.xs)
			}
		})
	}
}

func TestRoundSig(t *testing.T) {
	tests := []struct {
		x    float64
		n    int
		want float64
	}{
		{123456, 3, 123000},
		{0.00123456, 3, 0.00123},
		{2.5e-6, 1, 3e-6},
		{-9.87654, 2, -9.9},
		{0, 3, 0},
	}
	for _, tt := range tests {
		if got := RoundSig(tt.x, tt.n); got != tt.want {
			t.Errorf("RoundSig(%v, %d) = %v, want %v", tt.x, tt.n, got, tt.want)
		}
	}
}
