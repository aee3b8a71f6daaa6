//go:build !unix

package lap

import (
	"testing"
	"time"
)

// processCPU is 0 where getrusage is missing: reportCPU then reports
// nothing.
func processCPU() time.Duration { return 0 }

func reportCPU(*testing.B, time.Duration) {}
