package cputime

import (
	"runtime"
	"testing"
	"time"
)

// Spinning for 50 ms of wall time uses CPU time, at most the wall time
// the goroutine ran (one thread spins).
func TestProcessCountsWork(t *testing.T) {
	start := Process()
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		if start != 0 {
			t.Fatalf("Process() = %v without getrusage, want 0", start)
		}
		return
	}
	if start <= 0 {
		t.Fatalf("Process() = %v at the start, want > 0", start)
	}
	x := 0
	for t0 := time.Now(); time.Since(t0) < 50*time.Millisecond; {
		x++
	}
	if used := Process() - start; used < 10*time.Millisecond {
		t.Errorf("spinning 50 ms used %v of CPU time, want ≥ 10 ms (x=%d)", used, x)
	}
}

func TestUnitName(t *testing.T) {
	for unit, want := range map[time.Duration]string{time.Nanosecond: "ns", time.Microsecond: "µs", time.Millisecond: "ms"} {
		if got := unitName(unit); got != want {
			t.Errorf("unitName(%v) = %q, want %q", unit, got, want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("unitName(time.Second) did not panic")
		}
	}()
	unitName(time.Second)
}
