//go:build !unix

package cputime

import "time"

// Process returns 0: there is no getrusage here, and Report then reports
// nothing.
func Process() time.Duration { return 0 }
