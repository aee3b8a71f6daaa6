package cputime

import (
	"testing"
	"time"
)

// Report reports the process's CPU time per operation of b since start
// (a Process value taken before the timed loop) in the given unit, as the
// metric "cpu-ns/op", "cpu-µs/op" or "cpu-ms/op". It reports nothing
// where Process is unavailable.
func Report(b *testing.B, start, unit time.Duration) {
	c := Process() - start
	if start <= 0 || c <= 0 || b.N == 0 {
		return
	}
	b.ReportMetric(float64(c)/float64(unit)/float64(b.N), "cpu-"+unitName(unit)+"/op")
}

// unitName names the units Report takes; others are a programmer error.
func unitName(unit time.Duration) string {
	switch unit {
	case time.Nanosecond:
		return "ns"
	case time.Microsecond:
		return "µs"
	case time.Millisecond:
		return "ms"
	}
	panic("cputime: Report: want time.Nanosecond, Microsecond or Millisecond, got " + unit.String())
}
