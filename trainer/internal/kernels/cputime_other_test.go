//go:build !linux

package kernels

import "testing"

// measureCPU runs f b.N times and returns the elapsed wall seconds (thread
// CPU time is read only on Linux).
func measureCPU(b *testing.B, f func()) float64 {
	for b.Loop() {
		f()
	}
	return b.Elapsed().Seconds()
}
