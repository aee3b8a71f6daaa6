package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests of this file run goglove as real processes and kill them
// with SIGKILL mid-trial: a study must end with exactly its budget of
// ended trials (completed ones, and failed ones only where the trial's
// workers were killed max_attempts times), each grid point proposed at
// most once, and no trial left running.

// crashStudy writes a study config whose objective is a shell script
// that takes delay, logs each program it evaluates and reports a value.
func crashStudy(t *testing.T, dir, study string, trials int, delay string) string {
	t.Helper()
	script := filepath.Join(dir, "eval.sh")
	body := "#!/bin/sh\nread line\necho started >> \"$(dirname \"$0\")/started.log\"\nsleep " + delay + "\necho \"$line\" >> \"$(dirname \"$0\")/evaluated.log\"\necho '{\"value\": 1}'\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	var vals []string
	for i := range 20 {
		vals = append(vals, fmt.Sprint(i))
	}
	grid := "[" + strings.Join(vals, ", ") + "]"
	cfg := fmt.Sprintf(`study: %s
space:
  a: !oneof %s
  b: !oneof %s
algorithm: grid
objective:
  command: [./eval.sh]
  metrics: {value: minimize}
budget: {trials: %d}
workers: 2
heartbeat: {interval: 200ms, timeout: 1s}
`, study, grid, grid, trials)
	path := filepath.Join(dir, "crash.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// defaultMaxAttempts is max_attempts when a config leaves it out: a trial
// whose worker stops at this attempt fails as abandoned.
const defaultMaxAttempts = 3

// trialLine is one line of goglove trials --json.
type trialLine struct {
	Number  int             `json:"number"`
	State   string          `json:"state"`
	DNA     json.RawMessage `json:"dna"`
	Attempt int             `json:"attempt"`
	Worker  string          `json:"worker"`
	Error   string          `json:"error"`
}

func studyTrials(t *testing.T, bin, store, study string) []trialLine {
	t.Helper()
	out, err := exec.Command(bin, "trials", "--store", store, "--study", study, "--json").Output()
	if err != nil {
		t.Fatalf("goglove trials: %v", err)
	}
	var lines []trialLine
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l == "" {
			continue
		}
		var tl trialLine
		if err := json.Unmarshal([]byte(l), &tl); err != nil {
			t.Fatalf("trials --json line %q: %v", l, err)
		}
		lines = append(lines, tl)
	}
	return lines
}

// checkStudy checks the end state of a crashed and finished study: the
// budget counts every trial that ended, and the only failures are trials
// abandoned after max_attempts kills.
func checkStudy(t *testing.T, trials []trialLine, budget int) {
	t.Helper()
	completed, abandoned := 0, 0
	dnas := map[string]int{}
	for _, tr := range trials {
		switch tr.State {
		case "completed":
			completed++
		case "failed":
			if !strings.HasPrefix(tr.Error, "abandoned: ") {
				t.Errorf("trial %d failed (%s), want only trials abandoned by killed workers", tr.Number, tr.Error)
			}
			abandoned++
		case "running":
			t.Errorf("trial %d is still running (worker %s, attempt %d)", tr.Number, tr.Worker, tr.Attempt)
		default:
			t.Errorf("trial %d is %s", tr.Number, tr.State)
		}
		if prev, ok := dnas[string(tr.DNA)]; ok {
			t.Errorf("trials %d and %d have the same DNA %s: a grid point proposed twice", prev, tr.Number, tr.DNA)
		}
		dnas[string(tr.DNA)] = tr.Number
	}
	if len(trials) != budget {
		t.Errorf("%d trials (%d completed, %d abandoned), want exactly the budget %d", len(trials), completed, abandoned, budget)
	}
	t.Logf("%d trials: %d completed, %d abandoned after max_attempts kills", len(trials), completed, abandoned)
}

// trialsStarted counts the trials the objective of crashStudy in dir
// has started.
func trialsStarted(dir string) int {
	b, _ := os.ReadFile(filepath.Join(dir, "started.log"))
	return strings.Count(string(b), "\n")
}

// waitTrialStarted waits until the objective of crashStudy in dir has
// started more than seen trials.
func waitTrialStarted(t *testing.T, dir string, seen int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if trialsStarted(dir) > seen {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no trial started within %v", within)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// killMidTrial runs bin with args and kills it with SIGKILL (the i-th
// kill, for messages) once it has started a trial of those trialsStarted
// counts in dir (on a loaded machine its start-up can take longer than
// any fixed wait), a random part of a trial's time later.
func killMidTrial(t *testing.T, bin, dir string, rng *rand.Rand, i int, args ...string) {
	t.Helper()
	seen := trialsStarted(dir)
	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitTrialStarted(t, dir, seen, 20*time.Second)
	time.Sleep(time.Duration(rng.IntN(30)) * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill %d: %v", i, err)
	}
	cmd.Wait()
}

// TestKillSearchAndResume kills a search mid-trial ten times in a row,
// resuming it each time with the same command, then lets it finish.
func TestKillSearchAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("runs goglove processes for several seconds")
	}
	bin := goglove(t)
	dir := t.TempDir()
	cfg := crashStudy(t, dir, "crash", 100, "0.04")
	store := "sqlite://" + filepath.Join(dir, "study.db")
	rng := rand.New(rand.NewPCG(7, 7))
	killedMidTrial := 0
	for i := range 10 {
		killMidTrial(t, bin, dir, rng, i, "search", cfg, "--store", store)
		for _, tr := range studyTrials(t, bin, store, "crash") {
			if tr.State == "running" {
				killedMidTrial++
				break
			}
		}
	}
	if killedMidTrial < 7 {
		t.Errorf("only %d of 10 kills landed mid-trial; the test is too lenient", killedMidTrial)
	}
	out, err := exec.Command(bin, "search", cfg, "--store", store, "--json").CombinedOutput()
	if err != nil {
		t.Fatalf("the last run: %v\n%s", err, out)
	}
	trials := studyTrials(t, bin, store, "crash")
	checkStudy(t, trials, 100)
	reclaimed := 0
	for _, tr := range trials {
		if tr.Attempt > 1 {
			reclaimed++
		}
	}
	if reclaimed == 0 {
		t.Errorf("no trial was taken over after a kill")
	}
	t.Logf("%d kills mid-trial, %d trials in all, %d taken over", killedMidTrial, len(trials), reclaimed)
}

// runWorkers runs workers goglove worker processes on the study, kills
// one at random every so often (starting a new one in its place), then
// lets the last ones finish. Workers are named, so stopped ones are
// found by their heartbeats, not by their process ids. It checks that
// the trials a killed worker left running were taken over within two
// heartbeat timeouts (the config's: 1s): one to notice, one of slack for
// a loaded machine.
func runWorkers(t *testing.T, bin, store, study string, workers, kills int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	rng := rand.New(rand.NewPCG(3, 3))
	var (
		mu       sync.Mutex
		takeover = map[[2]int]time.Time{} // {trial, attempt} → when
		readers  sync.WaitGroup
	)
	taken := regexp.MustCompile(`trial (\d+): taken over from a stopped worker \(attempt (\d+)\)`)
	next := 0
	// A worker's stderr is read to its end before the process is waited
	// for: Wait closes the pipe, and the lines not yet read would be lost
	// (a takeover logged just before its worker was killed, seen as
	// never taken over).
	type worker struct {
		cmd  *exec.Cmd
		read chan struct{} // closed when stderr is read to its end
	}
	start := func() worker {
		next++
		cmd := exec.CommandContext(ctx, bin, "worker", "--store", store, "--study", study,
			"--name", fmt.Sprintf("w%d", next), "--workers", "1")
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		read := make(chan struct{})
		readers.Go(func() {
			defer close(read)
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				if m := taken.FindStringSubmatch(sc.Text()); m != nil {
					n, _ := strconv.Atoi(m[1])
					a, _ := strconv.Atoi(m[2])
					mu.Lock()
					takeover[[2]int{n, a}] = time.Now()
					mu.Unlock()
				}
			}
		})
		return worker{cmd, read}
	}
	type orphan struct {
		trial, attempt int
		killed         time.Time
	}
	var orphans []orphan
	running := make([]worker, workers)
	names := make([]string, workers)
	for i := range running {
		running[i] = start()
		names[i] = fmt.Sprintf("w%d", next)
	}
	for range kills {
		time.Sleep(time.Duration(150+rng.IntN(200)) * time.Millisecond)
		i := rng.IntN(len(running))
		running[i].cmd.Process.Signal(syscall.SIGKILL)
		killed := time.Now()
		<-running[i].read
		running[i].cmd.Wait()
		for _, tr := range studyTrials(t, bin, store, study) {
			if tr.State == "running" && tr.Worker == names[i] {
				orphans = append(orphans, orphan{tr.Number, tr.Attempt, killed})
			}
		}
		running[i] = start()
		names[i] = fmt.Sprintf("w%d", next)
	}
	for _, w := range running {
		<-w.read
		if err := w.cmd.Wait(); err != nil {
			t.Errorf("a worker that was not killed: %v", err)
		}
	}
	readers.Wait()
	if len(orphans) < kills/2 {
		t.Errorf("only %d of %d kills left a trial running; the test is too lenient", len(orphans), kills)
	}
	var worst time.Duration
	final := studyTrials(t, bin, store, study)
	for _, o := range orphans {
		if o.attempt >= defaultMaxAttempts {
			// Its last attempt: the trial fails as abandoned instead.
			if tr := final[o.trial]; tr.State != "failed" || !strings.HasPrefix(tr.Error, "abandoned") {
				t.Errorf("trial %d, left running at its last attempt %d by a killed worker, ended %s (%q); want failed as abandoned", o.trial, o.attempt, tr.State, tr.Error)
			}
			continue
		}
		at, ok := takeover[[2]int{o.trial, o.attempt + 1}]
		if !ok {
			t.Errorf("trial %d, left running at attempt %d by a killed worker, was not taken over", o.trial, o.attempt)
			continue
		}
		d := at.Sub(o.killed)
		worst = max(worst, d)
		if d > 2*time.Second {
			t.Errorf("trial %d was taken over %v after its worker was killed; want within two heartbeat timeouts (2s)", o.trial, d)
		}
	}
	t.Logf("%d trials left running by %d kills, all taken over, the slowest after %v", len(orphans), kills, worst)
}

func TestKillWorkersSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("runs goglove processes for several seconds")
	}
	bin := goglove(t)
	dir := t.TempDir()
	cfg := crashStudy(t, dir, "workers", 120, "0.05")
	store := "sqlite://" + filepath.Join(dir, "study.db")
	if out, err := exec.Command(bin, "search", cfg, "--store", store, "--create").CombinedOutput(); err != nil {
		t.Fatalf("search --create: %v\n%s", err, out)
	}
	runWorkers(t, bin, store, "workers", 3, 6)
	checkStudy(t, studyTrials(t, bin, store, "workers"), 120)
}

func TestKillWorkersPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("runs goglove processes for several seconds")
	}
	url := os.Getenv("GOGLOVE_TEST_POSTGRES")
	if url == "" {
		t.Skip("GOGLOVE_TEST_POSTGRES is not set; to run the PostgreSQL tests set it to a database URL, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable (see README, Tests)")
	}
	bin := goglove(t)
	dir := t.TempDir()
	study := fmt.Sprintf("workers-%d", time.Now().UnixNano())
	cfg := crashStudy(t, dir, study, 160, "0.05")
	if out, err := exec.Command(bin, "search", cfg, "--store", url, "--create").CombinedOutput(); err != nil {
		t.Fatalf("search --create: %v\n%s", err, out)
	}
	runWorkers(t, bin, url, study, 4, 8)
	checkStudy(t, studyTrials(t, bin, url, study), 160)
}
