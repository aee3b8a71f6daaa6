//go:build race

package trainer

// raceEnabled: under the race detector sync.Pool drops items, so the
// kernels' packing buffers are reallocated and allocation counts mean
// nothing.
const raceEnabled = true
