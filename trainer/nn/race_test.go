//go:build race

package nn

// raceEnabled: the race detector makes sync.Pool drop items, so the
// kernels' packing buffers are reallocated and allocation counts mean
// nothing.
const raceEnabled = true
