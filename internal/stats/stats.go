package stats

import (
	"slices"
	"strconv"
)

// Median returns the median of xs: the middle value, or the mean of the
// two middle values for an even count; 0 for none. It does not change xs.
// A NaN in xs sorts first, as slices.Sort orders it.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// RoundSig rounds x to n significant digits, so that reported figures do
// not pretend to a precision that noisy timings lack.
func RoundSig(x float64, n int) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', n, 64), 64)
	return r
}
