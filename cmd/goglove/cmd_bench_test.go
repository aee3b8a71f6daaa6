package main

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

// blackboxOutput is one line of bench blackbox --json.
type blackboxOutput struct {
	Problem      string             `json:"problem"`
	Algo         string             `json:"algo"`
	Trials       int                `json:"trials"`
	Seeds        int                `json:"seeds"`
	MedianRegret map[string]float64 `json:"median_regret"`
	USPerTrial   float64            `json:"us_per_trial"`
}

// decodeBlackbox decodes the lines of bench blackbox --json, each an
// object with exactly the documented keys.
func decodeBlackbox(t *testing.T, stdout string) []blackboxOutput {
	t.Helper()
	var out []blackboxOutput
	for line := range strings.Lines(stdout) {
		var o blackboxOutput
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o); err != nil {
			t.Fatalf("bench blackbox --json printed %q: %v", line, err)
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &keys); err != nil || len(keys) != 6 {
			t.Errorf("line %q: want the 6 keys problem, algo, trials, seeds, median_regret, us_per_trial", line)
		}
		out = append(out, o)
	}
	return out
}

func TestBenchBlackboxJSON(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantAlgos []string
		wantKeys  []string
	}{
		{"one algorithm", []string{"--problem", "branin", "--algo", "random", "--trials", "8", "--seeds", "3", "--json"},
			[]string{"random"}, []string{"2", "4", "8"}},
		{"flags in any order", []string{"--json", "--trials=4", "--algo=tpe", "--seeds=2", "--problem=hartmann6"},
			[]string{"tpe"}, []string{"1", "2", "4"}},
		{"one trial", []string{"--problem", "ackley10", "--algo", "cmaes", "--trials", "1", "--seeds", "1", "--json"},
			[]string{"cmaes"}, []string{"1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), append([]string{"bench", "blackbox"}, tt.args...)...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit code %d, stderr %q; want 0 and none", code, stderr)
			}
			out := decodeBlackbox(t, stdout)
			var algos []string
			for _, o := range out {
				algos = append(algos, o.Algo)
				var keys []string
				for k, v := range o.MedianRegret {
					keys = append(keys, k)
					if v < 0 || math.IsNaN(v) {
						t.Errorf("%s: median regret %v at %s trials, want ≥ 0", o.Algo, v, k)
					}
				}
				slices.Sort(keys)
				if !slices.Equal(keys, tt.wantKeys) {
					t.Errorf("%s: median_regret keys %v, want %v", o.Algo, keys, tt.wantKeys)
				}
				if o.USPerTrial <= 0 {
					t.Errorf("%s: us_per_trial %v, want > 0", o.Algo, o.USPerTrial)
				}
			}
			if !slices.Equal(algos, tt.wantAlgos) {
				t.Errorf("algorithms %v, want %v", algos, tt.wantAlgos)
			}
		})
	}
}

// TestBenchBlackboxRegretOrder checks that median_regret keeps its keys in
// trial order in the JSON text, and that regret does not grow with trials.
func TestBenchBlackboxRegretOrder(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), "bench", "blackbox", "--problem", "branin", "--algo", "hill_climb", "--trials", "40", "--seeds", "3", "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	if i, j, k := strings.Index(stdout, `"10":`), strings.Index(stdout, `"20":`), strings.Index(stdout, `"40":`); i < 0 || i > j || j > k {
		t.Errorf("median_regret keys not in trial order: %s", stdout)
	}
	o := decodeBlackbox(t, stdout)[0]
	if r := o.MedianRegret; r["10"] < r["20"] || r["20"] < r["40"] {
		t.Errorf("median regret grows with the trials: %v", r)
	}
}

func TestBenchBlackboxAllText(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), "bench", "blackbox", "--problem", "branin", "--algo", "all", "--trials", "12", "--seeds", "1")
	if code != 0 {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	if want := "goglove: note: grid skipped on branin: algorithms: grid: space is not finite"; !strings.HasPrefix(stderr, want) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr %q, want one note %q…", stderr, want)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	header := strings.Fields(lines[0])
	if want := []string{"problem", "algo", "trials", "seeds", "regret@3", "regret@6", "regret@12", "us/trial"}; !slices.Equal(header, want) {
		t.Errorf("header %q, want %q", header, want)
	}
	var algos []string
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 8 || f[0] != "branin" || f[2] != "12" || f[3] != "1" {
			t.Errorf("row %q, want branin, an algorithm, 12 trials, 1 seed and 4 figures", l)
			continue
		}
		algos = append(algos, f[1])
	}
	if want := []string{"cmaes", "evolution", "hill_climb", "nsga2", "ppo", "random", "reinforce", "tpe"}; !slices.Equal(algos, want) {
		t.Errorf("algorithms %v, want %v (every one but grid)", algos, want)
	}
}

func TestBenchUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // the whole of stderr
	}{
		{"no problem", []string{"blackbox", "--algo", "tpe"},
			"goglove: bench blackbox: --problem is missing; give one of branin, hartmann6, rosenbrock10, ackley10, ackley10asym, or all"},
		{"no algorithm", []string{"blackbox", "--problem", "branin"},
			"goglove: bench blackbox: --algo is missing; give one of cmaes, evolution, grid, hill_climb, nsga2, ppo, random, reinforce, tpe, or all"},
		{"unknown problem", []string{"blackbox", "--problem", "sphere", "--algo", "tpe"},
			`goglove: bench blackbox: --problem: unknown problem "sphere"; want one of branin, hartmann6, rosenbrock10, ackley10, ackley10asym, or all`},
		{"unknown algorithm", []string{"blackbox", "--problem", "branin", "--algo", "annealing"},
			`goglove: bench blackbox: --algo: unknown algorithm "annealing"; want one of cmaes, evolution, grid, hill_climb, nsga2, ppo, random, reinforce, tpe, or all`},
		{"grid on a continuous space", []string{"blackbox", "--problem", "branin", "--algo", "grid"},
			"goglove: bench blackbox: grid cannot search branin: algorithms: grid: space is not finite: the float decision x[0] has infinitely many values (use another algorithm, e.g. random search)"},
		{"no trials", []string{"blackbox", "--problem", "branin", "--algo", "tpe", "--trials", "0"},
			"goglove: bench blackbox: --trials is 0, want 1 or more"},
		{"no seeds", []string{"blackbox", "--problem", "branin", "--algo", "tpe", "--seeds", "0"},
			"goglove: bench blackbox: --seeds is 0, want 1 or more"},
		{"blackbox argument", []string{"blackbox", "branin"},
			`goglove: bench blackbox: unexpected argument "branin"; usage: ` + benchBlackboxUsage},
		{"overhead argument", []string{"overhead", "now"}, `goglove: bench overhead: unexpected argument "now"; usage: ` + benchOverheadUsage},
		{"overhead no trials", []string{"overhead", "--trials", "0"}, "goglove: bench overhead: --trials is 0, want 1 or more"},
		{"overhead no reps", []string{"overhead", "--reps", "-1"}, "goglove: bench overhead: --reps is -1, want 1 or more"},
		{"unknown verb", []string{"blackbx"},
			`goglove: unknown command "blackbx" for 'goglove bench' (did you mean "blackbox"?); run 'goglove bench --help' for the list of commands`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), append([]string{"bench"}, tt.args...)...)
			if code != 2 || stdout != "" || stderr != tt.want+"\n" {
				t.Errorf("exit code %d, stdout %q, stderr\n%q\nwant 2, none and\n%q", code, stdout, stderr, tt.want+"\n")
			}
		})
	}
}

func TestBenchOverheadJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), "bench", "overhead", "--json", "--trials", "300", "--reps", "1")
	if code != 0 || stderr != "" {
		t.Fatalf("exit code %d, stderr %q; want 0 and none", code, stderr)
	}
	var out map[string]float64
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("bench overhead --json printed %q: %v", stdout, err)
	}
	keys := []string{"random_us_per_trial", "evolution_us_per_trial", "random_run_us_per_trial", "evolution_run_us_per_trial", "decode_us", "trials", "reps"}
	if len(out) != len(keys) {
		t.Errorf("keys of %v, want %v", out, keys)
	}
	for _, k := range keys {
		if out[k] <= 0 {
			t.Errorf("%s = %v, want > 0", k, out[k])
		}
	}
	if out["trials"] != 300 || out["reps"] != 1 || out["random_run_us_per_trial"] < out["random_us_per_trial"] {
		t.Errorf("figures %v: want 300 trials, 1 rep, and the run no shorter than the loop", out)
	}
}

func TestBenchOverheadText(t *testing.T) {
	code, stdout, stderr := runCLI(t, t.Context(), "bench", "overhead", "--trials", "100", "--reps", "2")
	if code != 0 || stderr != "" {
		t.Fatalf("exit code %d, stderr %q; want 0 and none", code, stderr)
	}
	for _, want := range []string{"median of 2 runs of 100 trials", "random search", "regularized evolution", "decode one DNA: "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output\n%s\ndoes not contain %q", stdout, want)
		}
	}
}
