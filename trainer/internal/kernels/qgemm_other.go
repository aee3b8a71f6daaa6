//go:build !amd64 || purego

package kernels

// archQPaths returns no integer assembly paths on this architecture.
func archQPaths() []*qpath { return nil }
