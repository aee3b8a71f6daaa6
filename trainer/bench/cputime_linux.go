package bench

import "golang.org/x/sys/unix"

// threadCPU returns the CPU time of the calling thread in seconds, or 0 if
// the clock cannot be read.
func threadCPU() float64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return float64(ts.Sec) + float64(ts.Nsec)*1e-9
}
