package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// TestWorkersProposeNoDuplicates runs four goglove worker processes on
// one SQLite study for every algorithm a config can name and checks that
// no two trials share a DNA: each worker proposes for the next trial's
// number from that trial's own random stream, so workers catching up
// with each other's trials do not end up proposing the same thing. The
// spaces are continuous (grid's is finite: the workers walk its grid
// once between them); the options are small so that every algorithm gets
// past its random start-up phase within the budget. Random and grid
// search, which learn nothing, must give every trial number the DNA a
// single search with the same seed gives it.
func TestWorkersProposeNoDuplicates(t *testing.T) {
	if testing.Short() {
		t.Skip("runs goglove processes for several seconds")
	}
	bin := goglove(t)
	dir := t.TempDir()
	// A bowl around (1, 1), computed by awk from the program's numbers,
	// after a pause that keeps the four workers' trials overlapping.
	script := filepath.Join(dir, "bowl.sh")
	body := `#!/bin/sh
read line
sleep 0.01
echo "$line" | awk '{ n = split($0, v, /[^-0-9.eE+]+/); s = 0; for (i = 1; i <= n; i++) if (v[i] != "") s += (v[i] - 1) * (v[i] - 1); printf "{\"value\": %.17g}\n", s }'
`
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	const continuous = `
  x: !float {min: -5, max: 5}
  y: !float {min: -5, max: 5}`
	const discrete = `
  a: !oneof [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
  b: !oneof [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]`
	const trials = 40
	tests := []struct {
		algorithm, space string
		byNumber         bool // trial n's DNA depends on the seed and n alone
	}{
		{"random", continuous, true},
		{"{name: evolution, population: 8, tournament: 3}", continuous, false},
		{"hill_climb", continuous, false},
		{"{name: nsga2, population: 8}", continuous, false},
		{"{name: tpe, n_startup_trials: 5}", continuous, false},
		{"{name: tpe, n_startup_trials: 5, multivariate: true}", continuous, false},
		{"cmaes", continuous, false},
		{"grid", discrete, true},
	}
	for i, tt := range tests {
		t.Run(tt.algorithm, func(t *testing.T) {
			study := fmt.Sprintf("dups%d", i)
			cfg := filepath.Join(dir, study+".yaml")
			text := fmt.Sprintf("study: %s\nspace:%s\nalgorithm: %s\nobjective:\n  command: [%s]\n  metrics: {value: minimize}\nbudget: {trials: %d}\nseed: 5\n",
				study, tt.space, tt.algorithm, script, trials)
			if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			store := "sqlite://" + filepath.Join(dir, study+".db")
			if out, err := exec.Command(bin, "search", cfg, "--store", store, "--create").CombinedOutput(); err != nil {
				t.Fatalf("search --create: %v\n%s", err, out)
			}
			var wg sync.WaitGroup
			errs := make([]error, 4)
			outs := make([][]byte, 4)
			for w := range errs {
				wg.Go(func() {
					outs[w], errs[w] = exec.CommandContext(t.Context(), bin, "worker", "--store", store, "--study", study,
						"--name", fmt.Sprintf("w%d", w), "--workers", "1").CombinedOutput()
				})
			}
			wg.Wait()
			for w, err := range errs {
				if err != nil {
					t.Fatalf("worker w%d: %v\n%s", w, err, outs[w])
				}
			}
			got := studyTrials(t, bin, store, study)
			byWorker := map[string]int{}
			dnas := map[string]int{}
			completed := 0
			for _, tr := range got {
				byWorker[tr.Worker]++
				if tr.State == "completed" {
					completed++
				}
				if prev, ok := dnas[string(tr.DNA)]; ok {
					t.Errorf("trials %d and %d have the same DNA %s", prev, tr.Number, tr.DNA)
				}
				dnas[string(tr.DNA)] = tr.Number
			}
			if completed != trials {
				t.Errorf("%d completed trials, want the budget %d", completed, trials)
			}
			if len(byWorker) < 2 {
				t.Errorf("trials by worker %v: the workers did not share the study", byWorker)
			}
			t.Logf("%d trials, by worker %v", len(got), byWorker)
			if !tt.byNumber {
				return
			}
			alone := "sqlite://" + filepath.Join(dir, study+"-alone.db")
			if out, err := exec.Command(bin, "search", cfg, "--store", alone).CombinedOutput(); err != nil {
				t.Fatalf("search: %v\n%s", err, out)
			}
			want := studyTrials(t, bin, alone, study)
			if len(want) != len(got) {
				t.Fatalf("one search made %d trials, four workers %d", len(want), len(got))
			}
			for i := range want {
				if string(want[i].DNA) != string(got[i].DNA) {
					t.Errorf("trial %d: %s by four workers, %s by one search with the same seed", i, got[i].DNA, want[i].DNA)
				}
			}
		})
	}
}
