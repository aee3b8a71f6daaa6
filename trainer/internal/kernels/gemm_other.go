//go:build !amd64 || purego

package kernels

// archImpls returns no assembly implementations on this architecture.
func archImpls() []*impl { return nil }
