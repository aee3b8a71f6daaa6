package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// nestedStudy writes a nested search config: an outer grid over x1 (3
// trials) whose objective is an inner grid over b (4 trials per outer
// trial) evaluated by a shell script that takes delay, logs the inner
// trials it starts and ends ("STUDY TRIAL") and reports a value that
// depends on the program. An outer trial lives as long as its inner
// search, so it meets every kill of the tests: max_attempts is high
// enough that none is abandoned.
func nestedStudy(t *testing.T, dir, study, delay string) string {
	t.Helper()
	script := "#!/bin/sh\nread line\necho \"$GOGLOVE_STUDY $GOGLOVE_TRIAL\" >> \"$(dirname \"$0\")/started.log\"\nsleep " + delay +
		"\necho \"$GOGLOVE_STUDY $GOGLOVE_TRIAL\" >> \"$(dirname \"$0\")/evaluated.log\"\n" +
		"n=$(printf '%s' \"$line\" | cksum | cut -c1-4)\necho \"{\\\"value\\\": $n}\"\n"
	if err := os.WriteFile(filepath.Join(dir, "eval.sh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf(`study: %s
space: {x1: !oneof [-5, 0, 5, 10]}
algorithm: grid
objective:
  metrics: {value: minimize}
  search:
    study: arch
    space: {a: !outer x1, b: !oneof [0, 3, 6, 9, 12, 15]}
    algorithm: grid
    objective: {command: [./eval.sh], metrics: {value: minimize}}
    budget: {trials: 4}
budget: {trials: 3}
heartbeat: {interval: 200ms, timeout: 1s}
max_attempts: 20
`, study)
	path := filepath.Join(dir, "nested.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkNestedStudy checks a finished nested study: exactly 3 outer
// trials and 4 trials in each of their inner studies, all completed,
// none proposed twice (grids: distinct DNA), the inner studies those of
// the outer trials and nothing else; it returns the inner trials'
// records by study.
func checkNestedStudy(t *testing.T, bin, store, study string) map[string][]trialLine {
	t.Helper()
	outer := studyTrials(t, bin, store, study)
	checkStudy(t, outer, 3)
	inner := map[string][]trialLine{}
	total := 0
	for _, o := range outer {
		name := fmt.Sprintf("%s/trial-%d/arch", study, o.Number)
		trials := studyTrials(t, bin, store, name)
		checkStudy(t, trials, 4)
		total += len(trials)
		inner[name] = trials
	}
	if total != 12 {
		t.Errorf("%d inner trials, want exactly 12", total)
	}
	out, err := exec.Command(bin, "studies", "--store", store, "--json").Output()
	if err != nil {
		t.Fatalf("goglove studies: %v", err)
	}
	var names []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var s struct {
			Name       string `json:"name"`
			Outer      string `json:"outer"`
			OuterTrial *int   `json:"outer_trial"`
		}
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatal(err)
		}
		if s.Name != study && !strings.HasPrefix(s.Name, study+"/") {
			continue
		}
		names = append(names, s.Name)
		if s.Name != study && (s.Outer != study || s.OuterTrial == nil || fmt.Sprintf("%s/trial-%d/arch", study, *s.OuterTrial) != s.Name) {
			t.Errorf("studies --json: %s is listed under %q, trial %v", s.Name, s.Outer, s.OuterTrial)
		}
	}
	want := []string{study, study + "/trial-0/arch", study + "/trial-1/arch", study + "/trial-2/arch"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("studies lists %v, want %v (each inner study under its outer one)", names, want)
	}
	return inner
}

// checkBestNamesWinner checks that goglove best on the outer study shows
// the winner of the best outer trial's inner search: the inner trial
// its metrics name, with its DNA and program.
func checkBestNamesWinner(t *testing.T, bin, store, study string) {
	t.Helper()
	out, err := exec.Command(bin, "best", "--store", store, "--study", study, "--json").Output()
	if err != nil {
		t.Fatalf("goglove best: %v", err)
	}
	var best struct {
		Best struct {
			Number  int                `json:"number"`
			Program map[string]any     `json:"program"`
			Metrics map[string]float64 `json:"metrics"`
			Inner   []struct {
				Study   string             `json:"study"`
				Number  int                `json:"number"`
				DNAText string             `json:"dna_text"`
				Program map[string]any     `json:"program"`
				Metrics map[string]float64 `json:"metrics"`
			} `json:"inner"`
		} `json:"best"`
	}
	if err := json.Unmarshal(out, &best); err != nil {
		t.Fatalf("best --json: %v\n%s", err, out)
	}
	b := best.Best
	if len(b.Inner) != 1 {
		t.Fatalf("best --json names %d inner winners, want 1:\n%s", len(b.Inner), out)
	}
	w := b.Inner[0]
	if w.Study != fmt.Sprintf("%s/trial-%d/arch", study, b.Number) || float64(w.Number) != b.Metrics["inner_trial"] ||
		w.Metrics["value"] != b.Metrics["value"] || w.Program["a"] != b.Program["x1"] || w.DNAText == "" {
		t.Errorf("best --json: outer trial %d %v %v, inner winner %+v: want the winner of its inner study", b.Number, b.Program, b.Metrics, w)
	}
	// The winner is the best of its inner study.
	for _, it := range studyTrialsMetrics(t, bin, store, w.Study) {
		if it < w.Metrics["value"] {
			t.Errorf("inner study %s has a value %v below its winner's %v", w.Study, it, w.Metrics["value"])
		}
	}
	text, err := exec.Command(bin, "best", "--store", store, "--study", study).Output()
	if err != nil || !strings.Contains(string(text), "inner:\n  - study: "+w.Study+"\n    trial: "+fmt.Sprint(w.Number)+"\n") {
		t.Errorf("goglove best does not show the inner winner (%v):\n%s", err, text)
	}
}

func studyTrialsMetrics(t *testing.T, bin, store, study string) []float64 {
	t.Helper()
	out, err := exec.Command(bin, "trials", "--store", store, "--study", study, "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var vals []float64
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var tl struct {
			Metrics map[string]float64 `json:"metrics"`
		}
		if err := json.Unmarshal([]byte(l), &tl); err != nil {
			t.Fatal(err)
		}
		vals = append(vals, tl.Metrics["value"])
	}
	return vals
}

// TestNestedSearchCLI: goglove search runs a nested config to exactly 3
// outer and 12 inner trials; studies, trials and best show the inner
// studies under their outer trials and the winner; running it again
// adds nothing.
func TestNestedSearchCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs goglove processes")
	}
	bin := goglove(t)
	dir := t.TempDir()
	cfg := nestedStudy(t, dir, "hw", "0")
	store := "sqlite://" + filepath.Join(dir, "s.db")
	for range 2 {
		if out, err := exec.Command(bin, "search", cfg, "--store", store).CombinedOutput(); err != nil {
			t.Fatalf("goglove search: %v\n%s", err, out)
		}
	}
	checkNestedStudy(t, bin, store, "hw")
	checkBestNamesWinner(t, bin, store, "hw")
	if n := strings.Count(readFile(t, filepath.Join(dir, "evaluated.log")), "\n"); n != 12 {
		t.Errorf("the inner objective ran %d times, want 12", n)
	}
	out, err := exec.Command(bin, "trials", "--store", store, "--study", "hw").Output()
	if err != nil {
		t.Fatal(err)
	}
	for n := range 3 {
		if !strings.Contains(string(out), fmt.Sprintf("inner        hw/trial-%d/arch  4 trials: 4 completed; best trial", n)) &&
			!strings.Contains(string(out), fmt.Sprintf("hw/trial-%d/arch  4 trials: 4 completed; best trial", n)) {
			t.Errorf("goglove trials does not list the inner study of trial %d:\n%s", n, out)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestKillNestedSearchAndResume kills a nested search with SIGKILL while
// an inner trial runs, again and again, resuming it each time with the
// same command: both levels resume (the outer trial is taken over, not
// proposed again; its inner study continues), and the study ends with
// exactly 3 outer and 12 inner trials, none proposed twice, none lost.
func TestKillNestedSearchAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("runs goglove processes for several seconds")
	}
	bin := goglove(t)
	dir := t.TempDir()
	cfg := nestedStudy(t, dir, "crash", "0.05")
	store := "sqlite://" + filepath.Join(dir, "s.db")
	rng := rand.New(rand.NewPCG(9, 9))
	midInner := 0
	for i := range 6 {
		killMidTrial(t, bin, dir, rng, i, "search", cfg, "--store", store)
		running := false
		for _, o := range studyTrials(t, bin, store, "crash") {
			if o.State != "running" {
				continue
			}
			for _, it := range studyTrials(t, bin, store, fmt.Sprintf("crash/trial-%d/arch", o.Number)) {
				running = running || it.State == "running"
			}
		}
		if running {
			midInner++
		}
	}
	if midInner < 4 {
		t.Errorf("only %d of 6 kills landed in a running inner trial; the test is too lenient", midInner)
	}
	if out, err := exec.Command(bin, "search", cfg, "--store", store).CombinedOutput(); err != nil {
		t.Fatalf("the last run: %v\n%s", err, out)
	}
	inner := checkNestedStudy(t, bin, store, "crash")
	outerTaken, innerTaken := 0, 0
	for _, o := range studyTrials(t, bin, store, "crash") {
		if o.Attempt > 1 {
			outerTaken++
		}
	}
	for _, trials := range inner {
		for _, it := range trials {
			if it.Attempt > 1 {
				innerTaken++
			}
		}
	}
	if outerTaken == 0 || innerTaken == 0 {
		t.Errorf("%d outer and %d inner trials were taken over after kills; want some of each", outerTaken, innerTaken)
	}
	// Nothing lost: every inner trial that started and was not killed
	// ended in its study; the inner objective ran at most once per
	// inner trial and kill.
	ended := strings.Count(readFile(t, filepath.Join(dir, "evaluated.log")), "\n")
	if ended < 12 || ended > 12+6 {
		t.Errorf("the inner objective finished %d times, want from 12 to 18 (once per inner trial, and once more per kill at most)", ended)
	}
	checkBestNamesWinner(t, bin, store, "crash")
	t.Logf("%d kills in an inner trial; %d outer and %d inner trials taken over; the inner objective finished %d times", midInner, outerTaken, innerTaken, ended)
}

// TestNestedWorkersPostgres: workers on PostgreSQL share a nested study
// and its inner studies; one is killed mid-way and its outer trial (with
// its half-done inner study) is taken up by another worker.
func TestNestedWorkersPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("runs goglove processes for several seconds")
	}
	url := os.Getenv("GOGLOVE_TEST_POSTGRES")
	if url == "" {
		t.Skip("GOGLOVE_TEST_POSTGRES is not set; to run the PostgreSQL tests set it to a database URL, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable (see README, Tests)")
	}
	bin := goglove(t)
	dir := t.TempDir()
	study := fmt.Sprintf("nested-%d", time.Now().UnixNano())
	cfg := nestedStudy(t, dir, study, "0.1")
	if out, err := exec.Command(bin, "search", cfg, "--store", url, "--create").CombinedOutput(); err != nil {
		t.Fatalf("search --create: %v\n%s", err, out)
	}
	start := func(name string) *exec.Cmd {
		cmd := exec.Command(bin, "worker", "--store", url, "--study", study, "--name", name, "--workers", "1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	w1, w2 := start("w1"), start("w2")
	waitTrialStarted(t, dir, 2, 30*time.Second)
	w1.Process.Signal(syscall.SIGKILL)
	w1.Wait()
	w3 := start("w3")
	for _, w := range []*exec.Cmd{w2, w3} {
		if err := w.Wait(); err != nil {
			t.Errorf("a worker that was not killed: %v", err)
		}
	}
	inner := checkNestedStudy(t, bin, url, study)
	workers := map[string]bool{}
	taken := 0
	for _, trials := range inner {
		for _, it := range trials {
			workers[it.Worker] = true
			if it.Attempt > 1 {
				taken++
			}
		}
	}
	if len(workers) < 2 {
		t.Errorf("the inner trials were run by %v; want several workers sharing the inner studies", workers)
	}
	outerTaken := 0
	for _, o := range studyTrials(t, bin, url, study) {
		if o.Attempt > 1 {
			outerTaken++
		}
	}
	if outerTaken != 1 {
		t.Errorf("%d outer trials were taken over, want the killed worker's one", outerTaken)
	}
	checkBestNamesWinner(t, bin, url, study)
	t.Logf("inner trials run by %v, %d taken over", workers, taken)
}
