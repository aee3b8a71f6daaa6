//go:build !linux

package bench

// threadCPU returns 0: the thread's CPU clock is read only on Linux.
func threadCPU() float64 { return 0 }
