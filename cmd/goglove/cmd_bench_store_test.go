package main

import (
	"encoding/json"
	"os"
	"testing"
)

func TestBenchStore(t *testing.T) {
	urls := []string{""}
	if pg := os.Getenv("GOGLOVE_TEST_POSTGRES"); pg != "" {
		urls = append(urls, pg)
	}
	for _, url := range urls {
		args := []string{"bench", "store", "--trials", "9", "--reps", "1", "--delay", "2ms", "--workers", "2", "--json"}
		if url != "" {
			args = append(args, "--store", url)
		}
		code, stdout, stderr := runCLI(t, t.Context(), args...)
		var fig storeFigures
		if code != 0 || json.Unmarshal([]byte(stdout), &fig) != nil {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
		if fig.OverheadMSPerTrial <= 0 || fig.OneWorkerPerS <= 0 || fig.WorkersPerS <= 0 || fig.Workers != 2 || fig.Trials != 9 {
			t.Errorf("%v: figures %+v", args, fig)
		}
	}
	if code, _, stderr := runCLI(t, t.Context(), "bench", "store", "--trials", "0"); code != 2 {
		t.Errorf("--trials 0: exit %d, %q", code, stderr)
	}
}
