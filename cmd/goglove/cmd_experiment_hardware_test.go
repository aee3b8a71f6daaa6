package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// hardwarePointKeys are the keys of a point of the front, as the issue
// names them.
var hardwarePointKeys = []string{"kernel", "threads", "batch", "latency_us", "val_accuracy", "test_accuracy", "architecture"}

// TestExperimentHardwareQuick runs the quick mode with --json into a
// store: the object has exactly the keys of the contract, 4 outer and 8
// inner trials, a front of feasible points; goglove best on the outer
// study then names each point's inner winner, and the text form is a
// table of the same front.
func TestExperimentHardwareQuick(t *testing.T) {
	needFashion(t)
	store := "sqlite://" + filepath.Join(t.TempDir(), "hw.db")
	code, stdout, stderr := runCLI(t, t.Context(), "experiment", "hardware", "--quick", "--json", "--store", store)
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	var res map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	keys := make([]string, 0, len(res))
	for k := range res {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if strings.Join(keys, " ") != "front inner_trials outer_trials" {
		t.Errorf("keys %v, want front, outer_trials, inner_trials", keys)
	}
	if string(res["outer_trials"]) != "4" || string(res["inner_trials"]) != "8" {
		t.Errorf("outer_trials %s, inner_trials %s; want 4 and 8", res["outer_trials"], res["inner_trials"])
	}
	var front []map[string]any
	if err := json.Unmarshal(res["front"], &front); err != nil || len(front) == 0 {
		t.Fatalf("front %s: %v", res["front"], err)
	}
	last := 0.0
	for i, p := range front {
		if len(p) != len(hardwarePointKeys) {
			t.Errorf("point %d has %d keys, want %v: %v", i, len(p), hardwarePointKeys, p)
		}
		for _, k := range hardwarePointKeys {
			if _, ok := p[k]; !ok {
				t.Errorf("point %d has no %q: %v", i, k, p)
			}
		}
		lat := p["latency_us"].(float64)
		if !(lat > 0 && lat <= 1000) || lat < last {
			t.Errorf("point %d: latency %v µs; want within the budget of 1000, by latency", i, lat)
		}
		last = lat
		if k := p["kernel"]; k != "fp32" && k != "ternary" {
			t.Errorf("point %d: kernel %v, want fp32 or ternary", i, k)
		}
		if a, ok := p["architecture"].(map[string]any); !ok || a["hidden"] == nil || a["activation"] == nil {
			t.Errorf("point %d: architecture %v", i, p["architecture"])
		}
	}
	code, out, stderr := runCLI(t, t.Context(), "best", "--store", store, "--study", "hardware-nas-quick", "--json")
	if code != 0 {
		t.Fatalf("best: exit code %d, stderr %q", code, stderr)
	}
	var best struct {
		Pareto []struct {
			Metrics map[string]float64 `json:"metrics"`
			Inner   []struct {
				Study   string         `json:"study"`
				Program map[string]any `json:"program"`
			} `json:"inner"`
		} `json:"pareto"`
	}
	if err := json.Unmarshal([]byte(out), &best); err != nil {
		t.Fatal(err)
	}
	if len(best.Pareto) != len(front) {
		t.Errorf("best shows a front of %d, the experiment %d", len(best.Pareto), len(front))
	}
	for i, p := range best.Pareto {
		if len(p.Inner) != 1 || p.Inner[0].Program["classifier"] == nil || !strings.HasPrefix(p.Inner[0].Study, "hardware-nas-quick/trial-") {
			t.Errorf("best: point %d names no inner winner with its program: %+v", i, p.Inner)
		}
	}
	// Run again: the studies are complete, nothing is added.
	dir := filepath.Join(t.TempDir(), "new", "hw")
	code, text, stderr := runCLI(t, t.Context(), "experiment", "hardware", "--quick", "--store", store, "--out", dir)
	if code != 0 {
		t.Fatalf("second run: exit code %d, stderr %q", code, stderr)
	}
	checkSVGs(t, dir, "front.svg")
	var saved struct {
		Front []map[string]any `json:"front"`
	}
	if b, err := os.ReadFile(filepath.Join(dir, "result.json")); err != nil || json.Unmarshal(b, &saved) != nil || len(saved.Front) != len(front) {
		t.Errorf("result.json (%v): %s; want the front of %d points", err, b, len(front))
	}
	for _, want := range []string{"KERNEL", "LATENCY µs", "ARCHITECTURE", "4 outer trials (2 without a feasible architecture), 8 inner trials (4 infeasible: over their budget)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the table has no %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "hardware-nas-quick/trial-"); n != len(front) {
		t.Errorf("the table has %d rows, the front %d:\n%s", n, len(front), text)
	}
}

// TestExperimentHardwareBadInput: an argument is bad input.
func TestExperimentHardwareBadInput(t *testing.T) {
	code, _, stderr := runCLI(t, t.Context(), "experiment", "hardware", "extra")
	if code != 2 || !strings.Contains(stderr, "experiment hardware") {
		t.Errorf("exit code %d, stderr %q; want 2 naming the verb", code, stderr)
	}
}

// TestExperimentHardwareHelp: --help tells what --out writes.
func TestExperimentHardwareHelp(t *testing.T) {
	code, stdout, _ := runCLI(t, t.Context(), "experiment", "hardware", "--help")
	for _, want := range []string{"--out DIR", "result.json", "front.svg"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("experiment hardware --help (code %d) does not mention %q", code, want)
		}
	}
}
