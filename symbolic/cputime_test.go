package symbolic

import (
	"syscall"
	"testing"
	"time"
)

// cpuTimer reports a benchmark's CPU time per operation (user + system,
// of the whole process, so the garbage collector's work counts) as the
// metric "cpu-ns/op". On a shared machine wall time per op grows with
// the load; CPU time much less, which is what peers' figures measured
// "on one core, CPU time" are comparable with.
type cpuTimer struct {
	start time.Duration
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuTimer { return cpuTimer{start: processCPU()} }

func (c cpuTimer) report(b *testing.B) {
	if b.N > 0 {
		b.ReportMetric(float64(processCPU()-c.start)/float64(b.N), "cpu-ns/op")
	}
}
