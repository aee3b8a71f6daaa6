package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/search"
)

// searchFile names a file in testdata/search.
func searchFile(name string) string { return filepath.Join("testdata", "search", name) }

// searchOutput is what search --json prints.
type searchOutput struct {
	Study      string          `json:"study"`
	Objectives []objectiveJSON `json:"objectives"`
	Best       *trialOutput    `json:"best"`
	Pareto     *[]trialOutput  `json:"pareto"`
	Completed  int             `json:"completed"`
	Failed     int             `json:"failed"`
	Skipped    int             `json:"skipped"`
	Early      int             `json:"early_stopped"`
	Elapsed    float64         `json:"elapsed_seconds"`
	Interrupt  bool            `json:"interrupted"`
	StopReason string          `json:"stop_reason"`
}

type trialOutput struct {
	Number  int                `json:"number"`
	DNA     []float64          `json:"dna"`
	Program map[string]any     `json:"program"`
	Metrics map[string]float64 `json:"metrics"`
}

// decodeSearchJSON decodes search --json output and checks that it is one
// object with exactly the documented keys.
func decodeSearchJSON(t *testing.T, stdout string, multi bool) searchOutput {
	t.Helper()
	var out searchOutput
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("search --json printed %q: %v", stdout, err)
	}
	if dec.More() {
		t.Fatalf("search --json printed more than one object: %q", stdout)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &keys); err != nil {
		t.Fatal(err)
	}
	want := []string{"study", "objectives", "best", "completed", "failed", "skipped", "early_stopped", "elapsed_seconds", "interrupted", "stop_reason"}
	if multi {
		want = append(want, "pareto")
	}
	var got []string
	for k := range keys {
		got = append(got, k)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("search --json keys %v, want %v", got, want)
	}
	return out
}

func TestSearchJSON(t *testing.T) {
	branin := searchFile("branin.yaml")
	tests := []struct {
		name          string
		args          []string
		wantCompleted int
	}{
		{"config budget", []string{branin, "--json"}, 12},
		{"flags after the file", []string{branin, "--trials", "5", "--seed", "3", "--json"}, 5},
		{"flags before the file", []string{"--json", "--trials=5", "--seed=3", branin}, 5},
		{"flags around the file", []string{"--trials", "5", branin, "--seed", "3", "--json", "--store", "mem://"}, 5},
		{"two workers", []string{branin, "--json", "--workers", "2", "--trials", "7"}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), append([]string{"search"}, tt.args...)...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit code %d, stderr %q; want 0 and none", code, stderr)
			}
			out := decodeSearchJSON(t, stdout, false)
			if out.Study != "branin" || out.Completed != tt.wantCompleted || out.Failed != 0 || out.Interrupt ||
				out.StopReason != "the trial budget is spent" || out.Elapsed <= 0 {
				t.Errorf("summary %+v, want study branin, %d completed, none failed, the budget spent", out, tt.wantCompleted)
			}
			if want := []objectiveJSON{{"value", "minimize"}}; !reflect.DeepEqual(out.Objectives, want) {
				t.Errorf("objectives %v, want %v", out.Objectives, want)
			}
			b := out.Best
			if b == nil {
				t.Fatal("best is null")
			}
			x, _ := b.Program["x"].([]any)
			if b.Number < 0 || b.Number >= tt.wantCompleted || len(b.DNA) != 2 || len(x) != 2 || x[0] != b.DNA[0] || x[1] != b.DNA[1] {
				t.Errorf("best %+v: want a trial number, a DNA of 2 numbers and the program {x: DNA}", b)
			}
			if _, ok := b.Metrics["value"]; !ok || len(b.Metrics) != 2 || b.Metrics["regret"] < 0 {
				t.Errorf("best metrics %v, want value and a regret ≥ 0", b.Metrics)
			}
		})
	}
}

// TestSearchSeed checks that the seed flag reaches the algorithm: the same
// seed gives the same best trial, another seed another one.
func TestSearchSeed(t *testing.T) {
	best := func(seed string) trialOutput {
		code, stdout, stderr := runCLI(t, t.Context(), "search", searchFile("branin.yaml"), "--json", "--seed", seed)
		if code != 0 {
			t.Fatalf("exit code %d, stderr %q", code, stderr)
		}
		return *decodeSearchJSON(t, stdout, false).Best
	}
	a, b, c := best("4"), best("4"), best("5")
	if !reflect.DeepEqual(a, b) {
		t.Errorf("seed 4 twice: best %v, then %v", a, b)
	}
	if reflect.DeepEqual(a, c) {
		t.Errorf("seeds 4 and 5 found the same best %v", a)
	}
}

func TestSearchText(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), "search", searchFile("branin.yaml"), "--trials", "3")
	if code != 0 || stderr != "" {
		t.Fatalf("exit code %d, stderr %q; want 0 and none", code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	if len(lines) != 8 || !strings.HasPrefix(lines[0], "study branin: 3 completed, 0 failed, 0 skipped, 0 stopped early in ") ||
		!strings.HasSuffix(lines[0], " (the trial budget is spent)") || lines[1] != "best by value (minimize):" ||
		!strings.HasPrefix(lines[2], "  trial: ") || !strings.HasPrefix(lines[3], "  dna: [") ||
		!strings.HasPrefix(lines[4], "  metrics: {value: ") || lines[5] != "  program:" || !strings.HasPrefix(lines[6], "    x: [") {
		t.Errorf("search printed\n%s\nwant a summary line and the best trial", stdout)
	}
}

// TestSearchBadConfig checks that configs that cannot be used are bad
// input reported on one line naming the file and the key path.
func TestSearchBadConfig(t *testing.T) {
	tests := []struct {
		file string
		want string // the whole of stderr
	}{
		{"bad-algorithm-name.yaml", `symbolic: testdata/search/bad-algorithm-name.yaml: algorithm.name: unknown algorithm "simulated_annealing" (known: cmaes, darts, evolution, grid, hill_climb, nsga2, ppo, random, reinforce, tpe)`},
		{"bad-algorithm-option.yaml", "symbolic: testdata/search/bad-algorithm-option.yaml: algorithm.populaton: unknown field of algorithms.RegularizedEvolution (fields: population, tournament, selector, mutator, recombinator, seed)"},
		{"no-metrics.yaml", "symbolic: testdata/search/no-metrics.yaml: objective.metrics: missing: give a map from each metric to minimize or maximize, e.g. {loss: minimize}"},
		{"bad-builtin.yaml", `symbolic: testdata/search/bad-builtin.yaml: objective.builtin: unknown built-in objective "brainin" (known: ackley10, ackley10asym, branin, hardware.classify, hartmann6, rosenbrock10, trainer.classify, trainer.run)`},
		{"builtin-metric.yaml", "symbolic: testdata/search/builtin-metric.yaml: objective.metrics.loss: built-in objective branin does not report it (it reports value, regret)"},
		{"bad-direction.yaml", "symbolic: testdata/search/bad-direction.yaml: objective.metrics.value: want minimize or maximize, got smallest"},
		{"bad-timeout.yaml", `symbolic: testdata/search/bad-timeout.yaml: objective.timeout: want a positive duration such as 2s, got "soon"`},
		{"no-space.yaml", "symbolic: testdata/search/no-space.yaml: space: missing: give space or space_file"},
		{"space-and-file.yaml", "symbolic: testdata/search/space-and-file.yaml: space_file: give space or space_file, not both"},
		{"missing-space-file.yaml", "symbolic: testdata/search/missing-space-file.yaml: space_file: open testdata/search/nowhere.yaml: no such file or directory"},
		{"bad-space.yaml", "symbolic: testdata/search/bad-space.yaml:2:12: space.a: !oneof: no candidates"},
		{"bad-early-stopping.yaml", "symbolic: testdata/search/bad-early-stopping.yaml: early_stopping.min_trial: unknown field of algorithms.MedianStopping (fields: min_trials, min_steps)"},
		{"bad-early-stopping-name.yaml", `symbolic: testdata/search/bad-early-stopping-name.yaml: early_stopping.name: unknown policy "hyperband" (known: none, median, asha)`},
		{"bad-budget.yaml", "symbolic: testdata/search/bad-budget.yaml: budget.trials: want int in [0, +inf), got int -3"},
		{"unknown-key.yaml", "symbolic: testdata/search/unknown-key.yaml: budgett: unknown field of search.Config (fields: study, space, space_file, algorithm, objective, budget, workers, early_stopping, seed, heartbeat, max_attempts, max_failures, constraints)"},
		{"no-study.yaml", "symbolic: testdata/search/no-study.yaml: study: missing required field of search.Config (want string)"},
		{"not-a-map.yaml", "symbolic: testdata/search/not-a-map.yaml: a search config is a mapping, got list"},
		{"grid-continuous.yaml", "symbolic: testdata/search/grid-continuous.yaml: algorithm: grid cannot search this space: algorithms: grid: space is not finite: the float decision x[0] has infinitely many values (use another algorithm, e.g. random search)"},
		{"missing.yaml", "goglove: open testdata/search/missing.yaml: no such file or directory"},
		{"missing-command.yaml", `symbolic: testdata/search/missing-command.yaml: objective.command[0]: command "./nowhere.sh": no file testdata/search/nowhere.sh (a path with a slash is relative to the config's directory)`},
		{"command-not-on-path.yaml", `symbolic: testdata/search/command-not-on-path.yaml: objective.command[0]: command "goglove-no-such-command" is not found on PATH`},
		{"command-not-executable.yaml", `symbolic: testdata/search/command-not-executable.yaml: objective.command[0]: command "./objective.sh": testdata/search/objective.sh is not executable (chmod +x it, or name its interpreter: [sh, ./objective.sh])`},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, ".yaml"), func(t *testing.T) {
			for _, json := range []bool{false, true} {
				args := []string{"search", searchFile(tt.file)}
				if json {
					args = append(args, "--json")
				}
				code, stdout, stderr := runCLI(t, t.Context(), args...)
				if code != 2 || stdout != "" || stderr != tt.want+"\n" {
					t.Errorf("%v: exit code %d, stdout %q, stderr\n%q\nwant 2, none and\n%q", args, code, stdout, stderr, tt.want+"\n")
				}
			}
		})
	}
}

func TestSearchUsageErrors(t *testing.T) {
	branin := searchFile("branin.yaml")
	tests := []struct {
		name string
		args []string
		want string // the whole of stderr
	}{
		{"no config", nil, "search: missing arguments; usage: " + searchUsage},
		{"two configs", []string{branin, branin}, `search: unexpected argument "` + branin + `"; usage: ` + searchUsage},
		{"negative trials", []string{branin, "--trials", "-1"}, "search: --trials is -1, want 0 (no limit) to 100000000"},
		{"too many trials", []string{branin, "--trials", "100000001"}, "search: --trials is 100000001, want 0 (no limit) to 100000000"},
		{"negative seed", []string{branin, "--seed", "-2"}, "search: --seed is -2, want 0 or more"},
		{"no workers", []string{branin, "--workers", "0"}, "search: --workers is 0, want 1 to 1024"},
		{"too many workers", []string{branin, "--workers", "100000000"}, "search: --workers is 100000000, want 1 to 1024"},
		{"heartbeat interval too short", []string{branin, "--heartbeat-interval", "1ns"}, "search: --heartbeat-interval is 1ns, want 100ms to 24h0m0s"},
		{"heartbeat timeout too short", []string{branin, "--heartbeat-timeout", "1ms"}, "search: --heartbeat-timeout is 1ms, want 500ms to 24h0m0s"},
		{"negative heartbeat interval", []string{branin, "--heartbeat-interval", "-1s"}, "search: --heartbeat-interval is -1s, want 100ms to 24h0m0s"},
		{"bad trials", []string{branin, "--trials", "many"}, `goglove: invalid argument "many" for "--trials" flag: strconv.ParseInt: parsing "many": invalid syntax; run 'goglove search --help' for usage`},
		{"sqlite store without a path", []string{branin, "--store", "sqlite://"},
			"search: --store sqlite://: give a file, as in sqlite://goglove.db"},
		{"unknown store with a password", []string{branin, "--store", "redis://:s3cret@cache/0"},
			"search: --store redis://…: unknown store; the stores today: mem://, sqlite://PATH, postgres://…"},
		{"not a URL", []string{branin, "--store", "admin:s3cret@db"},
			"search: --store: want a URL such as mem:// or sqlite://goglove.db; the stores today: mem://, sqlite://PATH, postgres://…"},
		{"mem with a path", []string{branin, "--store", "mem://s3cret"},
			"search: --store mem://: the in-memory store takes no name or path, give mem:// alone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), append([]string{"search"}, tt.args...)...)
			if code != 2 || stdout != "" || stderr != tt.want+"\n" {
				t.Errorf("exit code %d, stdout %q, stderr\n%q\nwant 2, none and\n%q", code, stdout, stderr, tt.want+"\n")
			}
			if strings.Contains(stderr, "s3cret") {
				t.Errorf("stderr %q shows the password of the store URL", stderr)
			}
		})
	}
}

// TestSearchCommandFails checks that a command objective that fails makes
// failed trials and that the search goes on until its budget is spent:
// budget.trials counts the failed trials too, budget.completed does not.
// It says why the last one failed.
func TestSearchCommandFails(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		args                  []string
		wantTrials, wantCompl int // 0: any
	}{
		{"trials", nil, 8, 0},
		{"completed", []string{"--completed", "8", "--trials", "0"}, 0, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), append([]string{"search", searchFile("mixed.yaml"), "--json"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit code %d, stderr %q; want 0", code, stderr)
			}
			out := decodeSearchJSON(t, stdout, false)
			if out.Failed == 0 || tc.wantTrials > 0 && out.Completed+out.Failed != tc.wantTrials || tc.wantCompl > 0 && out.Completed != tc.wantCompl {
				t.Errorf("%d completed, %d failed; want %d trials, %d completed (0: any) and some failed (act: tanh)",
					out.Completed, out.Failed, tc.wantTrials, tc.wantCompl)
			}
			if out.Best == nil || out.Best.Program["act"] == "tanh" || out.Best.Metrics["loss"] != 1 || out.Best.Program["width"] != 64.0 {
				t.Errorf("best %+v, want a width-64 program with loss 1", out.Best)
			}
			if !strings.HasPrefix(stderr, "goglove: note: ") || !strings.HasSuffix(stderr, ": sh: exit status 3; stderr: starting | objective: tanh diverged\n") || strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr %q, want one note with the last failure's reason (its exit status and the last lines of its stderr)", stderr)
			}
		})
	}
}

// TestSearchAllFail: an objective that always fails spends a trial
// budget in as many failed trials; a budget of completed trials, which
// failures do not spend, is guarded by the failure limit, and the error
// says how to go on.
func TestSearchAllFail(t *testing.T) {
	for _, tc := range []struct {
		name       string
		args       []string
		wantFailed int
		reason     string
		lastLine   string
	}{
		{"trials", nil, 3, "the trial budget is spent", "search: no trial completed: all 3 failed"},
		{"trials 2", []string{"--trials", "2"}, 2, "the trial budget is spent", "search: no trial completed: all 2 failed"},
		{"completed", []string{"--completed", "1", "--trials", "0", "--max-failures", "4"}, 5, "search: too many failed trials: 5 failed (limit 4)",
			"search: too many failed trials: 5 failed (limit 4); after fixing what failed, raise the limit (--max-failures 10 allows as many again, -1 none) or delete the study (goglove studies rm all-fail)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), append([]string{"search", searchFile("all-fail.yaml"), "--json"}, tc.args...)...)
			if code != 1 {
				t.Errorf("exit code %d, want 1", code)
			}
			out := decodeSearchJSON(t, stdout, false)
			if out.Best != nil || out.Completed != 0 || out.Failed != tc.wantFailed || out.StopReason != tc.reason {
				t.Errorf("result %+v, want best null, %d failed, none completed, stopped as %q", out, tc.wantFailed, tc.reason)
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if len(lines) != 2 || !strings.HasSuffix(lines[0], "sh: exit status 3; stderr: starting | objective: tanh diverged") || lines[1] != tc.lastLine {
				t.Errorf("stderr %q, want the last failure and %q", stderr, tc.lastLine)
			}
		})
	}
}

func TestSearchPareto(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), "search", searchFile("pareto.yaml"), "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit code %d, stderr %q; want 0 and none", code, stderr)
	}
	out := decodeSearchJSON(t, stdout, true)
	if out.Completed != 6 || out.StopReason != "the algorithm has nothing more to propose" {
		t.Errorf("%d completed, stop reason %q; want grid's 6 and its end", out.Completed, out.StopReason)
	}
	var losses []float64
	for _, p := range *out.Pareto {
		losses = append(losses, p.Metrics["loss"])
		if len(p.DNA) != 2 || p.Program["act"] == nil {
			t.Errorf("pareto trial %+v: want a DNA of 2 and a program", p)
		}
	}
	if want := []float64{1, 1, 2, 2, 3, 3}; !slices.Equal(losses, want) {
		t.Errorf("pareto losses %v, want %v (every trial, the best loss first)", losses, want)
	}

	code, stdout, _ = runCLI(t, t.Context(), "search", searchFile("pareto.yaml"))
	if code != 0 || !strings.Contains(stdout, "\npareto front of loss (minimize), size (minimize): 6 trials, best loss first\n- trial: 2\n  dna: [0, 2]\n  metrics: {loss: 1, size: 4}\n  program:\n    act: relu\n    width: 64\n- trial: 5\n") {
		t.Errorf("text output:\n%s\nwant the Pareto front as a YAML list", stdout)
	}
}

// TestSearchInterrupt checks that a search whose context is cancelled
// (Ctrl-C) prints what it found and exits with code 1.
func TestSearchInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	time.AfterFunc(700*time.Millisecond, cancel) // as Ctrl-C does
	code, stdout, stderr := runCLI(t, ctx, "search", searchFile("slow.yaml"), "--json")
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	out := decodeSearchJSON(t, stdout, false)
	if !out.Interrupt || out.StopReason != "interrupted" || out.Completed == 0 || out.Best == nil {
		t.Errorf("result %+v, want interrupted with some trials completed", out)
	}
	if !strings.HasPrefix(stderr, "goglove: interrupted after ") || !strings.HasSuffix(stderr, " trials; the result printed is what was found\n") {
		t.Errorf("stderr %q, want one line saying the search was interrupted", stderr)
	}
}

// TestSearchProgress checks the progress line: drawn in place with "\r"
// and cleared at the end, so that the result starts on a clean line.
func TestSearchProgress(t *testing.T) {
	var stdout, stderr bytes.Buffer
	opts := searchOptions{progress: true}
	if err := runSearch(t.Context(), opts, []string{searchFile("branin.yaml")}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	got := stderr.String()
	if !strings.HasPrefix(got, "\rtrials ") || !strings.HasSuffix(got, "\r\x1b[K") || strings.Contains(got, "\n") {
		t.Errorf("progress output %q, want lines drawn with \\r and cleared", got)
	}
	if !strings.HasPrefix(stdout.String(), "study branin: 12 completed") {
		t.Errorf("stdout %q, want the result", stdout.String())
	}
}

func TestFormatProgress(t *testing.T) {
	tests := []struct {
		name    string
		p       search.Progress
		budget  budgets
		elapsed time.Duration
		want    string
	}{
		{"start", search.Progress{}, budgets{trials: 200}, 0, "trials 0/200  completed 0  failed 0  best value -  0.0 trials/s  0s"},
		{"running", search.Progress{Completed: 57, Failed: 3, Best: 0.3981132, HaveBest: true}, budgets{trials: 200}, 2 * time.Second,
			"trials 60/200  completed 57  failed 3  best value 0.398113  30.0 trials/s  2s"},
		{"completed budget", search.Progress{Completed: 7, Failed: 2, EarlyStopped: 1, Best: 1, HaveBest: true}, budgets{completed: 50}, 2 * time.Second,
			"trials 10  completed 7/50  failed 2  best value 1  5.0 trials/s  2s"},
		{"both budgets", search.Progress{Completed: 7, Failed: 2}, budgets{trials: 20, completed: 10}, time.Second,
			"trials 9/20  completed 7/10  failed 2  best value -  9.0 trials/s  1s"},
		{"no budget", search.Progress{Completed: 9, Skipped: 1, Best: -2, HaveBest: true}, budgets{}, 4 * time.Second,
			"trials 10  completed 9  failed 0  best value -2  2.5 trials/s  4s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatProgress(tt.p, "value", tt.budget, tt.elapsed); got != tt.want {
				t.Errorf("formatProgress = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFormatElapsed(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{344_123 * time.Nanosecond, "344µs"},
		{12_345_678 * time.Nanosecond, "12.35ms"},
		{1_234_567_890 * time.Nanosecond, "1.23s"},
		{125 * time.Second, "2m5s"},
	}
	for _, tt := range tests {
		if got := formatElapsed(tt.d); got != tt.want {
			t.Errorf("formatElapsed(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// TestSearchExamples runs the example configs of experiments/configs.
func TestSearchExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every example config")
	}
	t.Chdir(filepath.Join("..", "..")) // the command objectives are named from the repository root
	tests := []struct {
		file      string
		completed int
		multi     bool
	}{
		{"branin-tpe.yaml", 200, false},
		{"ackley-cmaes.yaml", 1000, false},
		{"toy-model-tpe.yaml", 100, false},
		{"toy-model-nsga2.yaml", 200, true},
		{"sequential-search.yaml", 12, false},
		{"evaluation-search.yaml", 4, false},
		{"algorithm-search.yaml", 9, false},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, ".yaml"), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), "search", filepath.Join("experiments", "configs", tt.file), "--json")
			if code != 0 || stderr != "" {
				t.Fatalf("exit code %d, stderr %q; want 0 and none", code, stderr)
			}
			out := decodeSearchJSON(t, stdout, tt.multi)
			if out.Completed != tt.completed || out.Failed != 0 || out.Best == nil {
				t.Errorf("%d completed, %d failed, best %v; want %d, none and a best", out.Completed, out.Failed, out.Best, tt.completed)
			}
			if tt.multi && len(*out.Pareto) < 2 {
				t.Errorf("pareto front of %d trials, want several", len(*out.Pareto))
			}
		})
	}
}
