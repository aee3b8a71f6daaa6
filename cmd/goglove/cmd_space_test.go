package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// spaceFile names a file in testdata/space.
func spaceFile(name string) string { return filepath.Join("testdata", "space", name) }

// exampleSpace is the example space shipped with the repository.
var exampleSpace = filepath.Join("..", "..", "experiments", "configs", "space-example.yaml")

// TestSpaceGolden runs the space verbs and compares what they print with
// testdata/space/golden/NAME.golden (stdout) and NAME.stderr.golden (the
// exit code and stderr, when the run failed or printed a note). Run
// "go test -update" to rewrite them. Flags come before, between and
// after the arguments, as users type them.
func TestSpaceGolden(t *testing.T) {
	small, lists, float, flat, big := spaceFile("small.yaml"), spaceFile("lists.yaml"), spaceFile("float.yaml"), spaceFile("flat.yaml"), spaceFile("big.yaml")
	tests := []struct {
		name string
		args []string
	}{
		{"inspect-small", []string{"inspect", small}},
		{"inspect-small-json", []string{"inspect", small, "--json"}},
		{"inspect-lists", []string{"inspect", lists}},
		{"inspect-lists-json", []string{"inspect", "--json", lists}},
		{"inspect-float", []string{"inspect", float}},
		{"inspect-float-json", []string{"inspect", float, "--json"}},
		{"inspect-flat", []string{"inspect", flat}},
		{"inspect-big-json", []string{"inspect", big, "--json"}},
		{"inspect-example", []string{"inspect", exampleSpace}},
		{"sample-small", []string{"sample", small, "--n", "4", "--seed", "1"}},
		{"sample-small-json", []string{"sample", "--json", "--seed=2", small, "--n=4"}},
		{"sample-lists-json", []string{"sample", lists, "--json", "--n", "3", "--seed", "3"}},
		{"sample-float-json", []string{"sample", float, "--json", "--n", "3", "--seed", "5"}},
		{"sample-flat", []string{"sample", flat}},
		{"sample-example", []string{"sample", exampleSpace, "--seed", "7", "--n", "2"}},
		{"enumerate-small", []string{"enumerate", small}},
		{"enumerate-small-json", []string{"enumerate", small, "--json"}},
		{"enumerate-lists-limit", []string{"enumerate", lists, "--limit", "5"}},
		{"enumerate-lists-limit-json", []string{"enumerate", "--limit", "3", lists, "--json"}},
		{"enumerate-flat", []string{"enumerate", flat}},
		{"enumerate-float", []string{"enumerate", float}},
		{"decode-small", []string{"decode", small, "--dna", "[1, 0, 1, 2]"}},
		{"decode-small-json", []string{"decode", "--dna=[0, 1, 3]", "--json", small}},
		{"decode-lists", []string{"decode", lists, "--dna", "[2, 0, 1, 0, 2, 0, 1, 1]"}},
		{"decode-float", []string{"decode", float, "--dna", "[0.001, 0.25, 1]"}},
		{"decode-bad-index", []string{"decode", small, "--dna", "[0, 0, 2, 1]"}},
		{"encode-small", []string{"encode", small, spaceFile("program.yaml")}},
		{"encode-small-json-program", []string{"encode", small, spaceFile("program.json")}},
		{"encode-json-space", []string{"encode", spaceFile("small.json"), spaceFile("program.yaml")}},
		{"encode-outside", []string{"encode", small, spaceFile("outside.yaml")}},
		{"encode-outside-depth", []string{"encode", small, spaceFile("outside-depth.yaml")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), append([]string{"space"}, tt.args...)...)
			golden := filepath.Join("testdata", "space", "golden", tt.name)
			checkGolden(t, golden+".golden", stdout)
			diag := ""
			if code != 0 || stderr != "" {
				diag = fmt.Sprintf("exit %d\n%s", code, stderr)
			}
			checkGolden(t, golden+".stderr.golden", diag)
		})
	}
}

// TestSpaceJSONSpaceSameAsYAML checks that a space written in JSON is the
// same space as in YAML.
func TestSpaceJSONSpaceSameAsYAML(t *testing.T) {
	for _, args := range [][]string{
		{"inspect", "--json"},
		{"enumerate", "--json"},
		{"sample", "--n", "10", "--seed", "9"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			_, fromYAML, _ := mustRunSpace(t, append(args, spaceFile("small.yaml"))...)
			_, fromJSON, _ := mustRunSpace(t, append(args, spaceFile("small.json"))...)
			if fromYAML != fromJSON {
				t.Errorf("small.yaml and small.json differ:\n%s\nJSON:\n%s", fromYAML, fromJSON)
			}
		})
	}
}

// mustRunSpace runs "goglove space ARGS..." and fails the test unless it
// succeeds.
func mustRunSpace(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, t.Context(), append([]string{"space"}, args...)...)
	if code != 0 {
		t.Fatalf("goglove space %s: exit %d, stderr %q", strings.Join(args, " "), code, stderr)
	}
	return code, stdout, stderr
}

// checkOneErrorLine checks a run that must fail with exit code 2, print
// nothing on stdout and exactly one line on stderr containing each of
// wants.
func checkOneErrorLine(t *testing.T, code int, stdout, stderr string, wants ...string) {
	t.Helper()
	if code != 2 {
		t.Errorf("exit code %d, want 2 (stderr %q)", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout %q, want none", stdout)
	}
	if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("stderr %q is not exactly one line", stderr)
	}
	for _, want := range wants {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q does not contain %q", stderr, want)
		}
	}
}

// TestSpaceBadSpace checks that every verb reports a malformed space on
// one line naming the file and the key path, with exit code 2.
func TestSpaceBadSpace(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		content string
		want    []string // substrings of the one stderr line
	}{
		{"no candidates", "s.yaml", "model:\n  act: !oneof []\n", []string{"s.yaml:2:", "model.act: !oneof: no candidates"}},
		{"no candidates dict form", "s.yaml", "act: !oneof {candidates: [], name: act}\n", []string{"act: !oneof: no candidates"}},
		{"min greater than max", "s.yaml", "lr: !float {min: 0.1, max: 0.01}\n", []string{"lr: !float: min 0.1 is greater than max 0.01"}},
		{"int min greater than max", "s.yaml", "model: {depth: !int {min: 4, max: 1}}\n", []string{"model.depth: !int: min 4 is greater than max 1"}},
		{"k greater than n distinct", "s.yaml", "layers: !manyof {k: 3, candidates: [a, b]}\n",
			[]string{"layers: !manyof: k is 3 but there are only 2 candidates"}},
		{"k zero", "s.yaml", "layers: !manyof {k: 0, candidates: [a, b]}\n", []string{"layers: !manyof: k is 0"}},
		{"log scale min zero", "s.yaml", "lr: !float {min: 0, max: 1, scale: log}\n", []string{"lr: !float: log scale needs min > 0"}},
		{"log scale min negative", "s.yaml", "lr: !float {min: -1.0, max: 1.0, scale: log}\n", []string{"lr: !float: log scale needs min > 0"}},
		{"non-integer int bound", "s.yaml", "depth: !int {min: 1.5, max: 4}\n", []string{"depth.min: !int: want an integer"}},
		{"non-integer int max", "s.yaml", "depth: !int {min: 1, max: 4.5}\n", []string{"depth.max: !int: want an integer"}},
		{"nested in a candidate", "s.yaml", "opt: !oneof [{name: sgd, m: !float {min: 1.0, max: 0.0}}]\n",
			[]string{"opt[0].m: !float: min 1 is greater than max 0"}},
		{"unknown option", "s.yaml", "depth: !int {min: 1, max: 4, step: 1}\n", []string{"depth.step: !int: unknown option"}},
		{"unknown scale", "s.yaml", "lr: !float {min: 1.0, max: 2.0, scale: cubic}\n", []string{"lr.scale: !float: want linear or log"}},
		{"unknown tag", "s.yaml", "act: !choice [relu, gelu]\n", []string{"act: unknown tag !choice"}},
		{"json no candidates", "s.json", `{"a": {"_tag": "!oneof", "_value": []}}`, []string{"s.json:1:", "a: !oneof: no candidates"}},
		{"syntax error", "s.yaml", "a: [1\n", []string{"symbolic: s.yaml:1"}},
	}
	verbs := [][]string{
		{"inspect"},
		{"inspect", "--json"},
		{"sample", "--n", "2"},
		{"enumerate"},
		{"decode", "--dna", "[0]"},
		{"encode", "@", "p.yaml"},
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"p.yaml": "a: 1\n"})
	t.Chdir(dir)
	for _, tt := range tests {
		writeFiles(t, dir, map[string]string{tt.file: tt.content})
		for _, verb := range verbs {
			args := append([]string{"space"}, verb...)
			if i := slices.Index(args, "@"); i >= 0 {
				args[i] = tt.file
			} else {
				args = append(args, tt.file)
			}
			t.Run(tt.name+"/"+strings.Join(verb, " "), func(t *testing.T) {
				code, stdout, stderr := runCLI(t, t.Context(), args...)
				checkOneErrorLine(t, code, stdout, stderr, append([]string{"symbolic: " + tt.file + ":"}, tt.want...)...)
			})
		}
	}
}

// TestSpaceBadDNA checks that decode reports a DNA that does not fit the
// space on one line, with exit code 2.
func TestSpaceBadDNA(t *testing.T) {
	small, float := spaceFile("small.yaml"), spaceFile("float.yaml")
	tests := []struct {
		name  string
		space string
		dna   string
		want  string // a substring of the one stderr line
	}{
		{"too short", small, "[0, 1]", "space: DNA is too short"},
		{"empty", small, "[]", "space: DNA is too short"},
		{"too long", small, "[0, 1, 2, 3]", "space: DNA has 4 entries, the space takes 3"},
		{"too long for the chosen candidate", small, "[0, 0, 1, 2, 1]", "space: DNA has 5 entries, the space takes 4"},
		{"index out of range", small, "[2, 1, 2]", "space: DNA entry 0 for act is 2, want a candidate index in [0, 2)"},
		{"negative index", small, "[-1, 1, 2]", "for act is -1"},
		{"fractional index", small, "[0.5, 1, 2]", "for act is 0.5"},
		{"nested index out of range", small, "[0, 0, 5, 1]", "space: DNA entry 2 for opt[0].momentum is 5"},
		{"int out of bounds", small, "[0, 1, 4]", "space: DNA for depth: value 4 out of bounds [1, 3]"},
		{"int not an integer", small, "[0, 1, 1.5]", "space: DNA for depth: value 1.5 is not an integer"},
		{"float out of bounds", float, "[0.5, 0.25, 0]", "space: DNA for lr: value 0.5 out of bounds [0.0001, 0.1]"},
		{"float below bounds", float, "[0.001, -0.25, 0]", "space: DNA for dropout: value -0.25 out of bounds [0, 0.5]"},
		{"not JSON", small, "zero", "space: DNA must be a JSON array of numbers"},
		{"not numbers", small, `["relu", 1, 2]`, "space: DNA must be a JSON array of numbers"},
		{"not an array", small, `{"act": 0}`, "space: DNA must be a JSON array of numbers"},
		{"text after the array", small, "[0, 1, 2] [1]", "space: DNA must be a JSON array of numbers such as [0, 1, 0.5]: unexpected text after the array"},
		{"infinite", float, "[1e999, 0.25, 0]", "is not a finite number"},
		{"missing", small, "", "goglove: space decode: --dna is required"},
	}
	for _, tt := range tests {
		for _, asJSON := range []bool{false, true} {
			name := tt.name
			args := []string{"space", "decode", tt.space, "--dna", tt.dna}
			if asJSON {
				name += "/json"
				args = append(args, "--json")
			}
			t.Run(name, func(t *testing.T) {
				code, stdout, stderr := runCLI(t, t.Context(), args...)
				checkOneErrorLine(t, code, stdout, stderr, tt.want)
			})
		}
	}
}

// TestSpaceNotInSpace checks that encode reports a program the space
// cannot produce on one line naming the program file and the key path.
func TestSpaceNotInSpace(t *testing.T) {
	tests := []struct {
		name    string
		program string
		want    string // a substring of the one stderr line, which starts "space: p.yaml: "
	}{
		{"no matching candidate", "act: gelu\nopt: {name: sgd, momentum: 0.5}\ndepth: 2\n", "opt.momentum: 0.5 matches no candidate of !oneof opt[0].momentum"},
		{"value not a candidate", "act: tanh\nopt: {name: adam}\ndepth: 2\n", "act: tanh matches no candidate"},
		{"int out of bounds", "act: relu\nopt: {name: adam}\ndepth: 7\n", "depth: 7 is outside"},
		{"int not a number", "act: relu\nopt: {name: adam}\ndepth: deep\n", "depth: got deep"},
		{"missing key", "act: relu\nopt: {name: adam}\n", "depth: missing: the space has this key"},
		{"not a dict", "[relu, adam, 2]\n", "got [relu, adam, 2], want a dict"},
	}
	dir := t.TempDir()
	space, err := os.ReadFile(spaceFile("small.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{"s.yaml": string(space)})
	t.Chdir(dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeFiles(t, dir, map[string]string{"p.yaml": tt.program})
			code, stdout, stderr := runCLI(t, t.Context(), "space", "encode", "s.yaml", "p.yaml")
			checkOneErrorLine(t, code, stdout, stderr, "space: p.yaml: ", tt.want)
		})
	}
}

// TestSpaceUsage checks the usage errors of the space verbs.
func TestSpaceUsage(t *testing.T) {
	small := spaceFile("small.yaml")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown verb", []string{"space", "bogus"}, `goglove: unknown command "bogus" for 'goglove space'`},
		{"misspelt verb", []string{"space", "inspec", small}, `(did you mean "inspect"?)`},
		{"inspect without file", []string{"space", "inspect"}, "goglove: space inspect: missing arguments; usage: goglove space inspect [--json] FILE"},
		{"inspect two files", []string{"space", "inspect", small, small}, `goglove: space inspect: unexpected argument "` + small + `"`},
		{"sample without file", []string{"space", "sample", "--n", "2"}, "space sample: missing arguments"},
		{"sample negative n", []string{"space", "sample", small, "--n", "-1"}, "goglove: space sample: --n is -1, want 0 or more"},
		{"sample negative seed", []string{"space", "sample", small, "--seed", "-1"}, `invalid argument "-1" for "--seed"`},
		{"sample bad n", []string{"space", "sample", small, "--n", "many"}, `invalid argument "many" for "--n"`},
		{"enumerate negative limit", []string{"space", "enumerate", small, "--limit", "-2"}, "goglove: space enumerate: --limit is -2"},
		{"enumerate two files", []string{"space", "enumerate", small, "x"}, `unexpected argument "x"`},
		{"decode without file", []string{"space", "decode", "--dna", "[0]"}, "space decode: missing arguments"},
		{"decode unknown flag", []string{"space", "decode", small, "--dnaa", "[0]"}, "unknown flag: --dnaa; run 'goglove space decode --help'"},
		{"encode one file", []string{"space", "encode", small}, "goglove: space encode: missing arguments; usage: goglove space encode FILE PROGRAM_FILE"},
		{"encode three files", []string{"space", "encode", small, small, "x"}, `unexpected argument "x"`},
		{"encode has no json flag", []string{"space", "encode", small, small, "--json"}, "unknown flag: --json"},
		{"missing space file", []string{"space", "inspect", "nope.yaml"}, "goglove: open nope.yaml: no such file or directory"},
		{"missing program file", []string{"space", "encode", small, "nope.yaml"}, "goglove: open nope.yaml: no such file or directory"},
		{"directory", []string{"space", "sample", "testdata"}, "goglove: testdata: is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, t.Context(), tt.args...)
			checkOneErrorLine(t, code, stdout, stderr, tt.want)
		})
	}
}

// TestSpaceFlagsAfterArguments checks that flags may come before or after
// the positional arguments.
func TestSpaceFlagsAfterArguments(t *testing.T) {
	small := spaceFile("small.yaml")
	tests := []struct {
		name          string
		before, after []string
	}{
		{"inspect", []string{"inspect", "--json", small}, []string{"inspect", small, "--json"}},
		{"sample", []string{"sample", "--n", "3", "--seed", "4", "--json", small}, []string{"sample", small, "--json", "--seed=4", "--n=3"}},
		{"enumerate", []string{"enumerate", "--limit", "2", small}, []string{"enumerate", small, "--limit", "2"}},
		{"decode", []string{"decode", "--dna", "[1, 1, 2]", "--json", small}, []string{"decode", small, "--json", "--dna", "[1, 1, 2]"}},
		{"encode", []string{"encode", "--", small, spaceFile("program.yaml")}, []string{"encode", small, spaceFile("program.yaml")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c1, out1, err1 := runCLI(t, t.Context(), append([]string{"space"}, tt.before...)...)
			c2, out2, err2 := runCLI(t, t.Context(), append([]string{"space"}, tt.after...)...)
			if c1 != 0 || c1 != c2 || out1 != out2 || err1 != err2 || out1 == "" {
				t.Errorf("flags first: exit %d, stdout %q, stderr %q\nflags last: exit %d, stdout %q, stderr %q", c1, out1, err1, c2, out2, err2)
			}
		})
	}
}

// TestSpaceHelp checks that "space VERB --help" and "help space VERB"
// describe every space verb and all of its flags.
func TestSpaceHelp(t *testing.T) {
	group := newSpaceCmd()
	verbs := group.Commands()
	if len(verbs) != 5 {
		t.Fatalf("space has %d verbs, want inspect, sample, enumerate, decode and encode", len(verbs))
	}
	for _, verb := range verbs {
		for _, args := range [][]string{{"space", verb.Name(), "--help"}, {"help", "space", verb.Name()}} {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				code, stdout, stderr := runCLI(t, t.Context(), args...)
				if code != 0 || stderr != "" {
					t.Fatalf("exit code %d, stderr %q; want 0 and none", code, stderr)
				}
				if !strings.Contains(stdout, "goglove space "+verb.Name()) {
					t.Errorf("help does not show the usage line %q:\n%s", "goglove space "+verb.Name(), stdout)
				}
				verb.LocalFlags().VisitAll(func(f *pflag.Flag) {
					if !strings.Contains(stdout, "--"+f.Name) || !strings.Contains(stdout, f.Usage) {
						t.Errorf("help does not mention flag --%s (%s):\n%s", f.Name, f.Usage, stdout)
					}
				})
			})
		}
	}
	code, stdout, _ := runCLI(t, t.Context(), "space")
	if code != 0 || !strings.Contains(stdout, "Available Commands:") {
		t.Errorf("goglove space: exit %d, want 0 and the list of verbs:\n%s", code, stdout)
	}
}

// inspectJSON runs inspect --json on file and decodes its output.
func inspectJSON(t *testing.T, file string) map[string]any {
	t.Helper()
	_, stdout, _ := mustRunSpace(t, "inspect", "--json", file)
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.UseNumber()
	var got map[string]any
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("inspect --json output is not a JSON object: %v\n%s", err, stdout)
	}
	if dec.More() {
		t.Fatalf("inspect --json printed more than one JSON value:\n%s", stdout)
	}
	return got
}

func TestSpaceInspectJSON(t *testing.T) {
	t.Run("size", func(t *testing.T) {
		tests := []struct {
			file string
			want any
		}{
			{"small.yaml", json.Number("18")},
			{"lists.yaml", json.Number("162")},
			{"flat.yaml", json.Number("1")},
			{"big.yaml", "51090942171709440000"}, // 21!, more than an int64 holds
			{"float.yaml", "continuous"},
		}
		for _, tt := range tests {
			got := inspectJSON(t, spaceFile(tt.file))["size"]
			if got != tt.want {
				t.Errorf("%s: size is %#v (%T), want %#v (%T)", tt.file, got, got, tt.want, tt.want)
			}
		}
		if got := inspectJSON(t, exampleSpace)["size"]; got != "continuous" {
			t.Errorf("example space: size is %#v, want \"continuous\"", got)
		}
	})

	// wantKeys are the keys of a point by kind, beside id, name, kind, hints.
	wantKeys := map[string][]string{
		"oneof":       {"candidates"},
		"manyof":      {"candidates", "k", "distinct", "sorted"},
		"permutation": {"candidates", "k"},
		"float":       {"min", "max", "scale"},
		"int":         {"min", "max", "scale"},
	}
	for _, file := range []string{spaceFile("small.yaml"), spaceFile("lists.yaml"), spaceFile("float.yaml"), spaceFile("flat.yaml"), exampleSpace} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			got := inspectJSON(t, file)
			if len(got) != 3 {
				t.Errorf("keys of the object: %v, want size, decision_points and effective", slices.Sorted(maps.Keys(got)))
			}
			if eff, ok := got["effective"].([]any); !ok || len(eff) != 0 {
				t.Errorf("effective is %#v, want an empty list (no trainer.Sequential)", got["effective"])
			}
			points, ok := got["decision_points"].([]any)
			if !ok {
				t.Fatalf("decision_points is %T, want a list", got["decision_points"])
			}
			ids := map[string]bool{}
			for i, raw := range points {
				p, ok := raw.(map[string]any)
				if !ok {
					t.Fatalf("decision point %d is %T, want an object", i, raw)
				}
				id, _ := p["id"].(string)
				kind, _ := p["kind"].(string)
				ids[id] = true
				if _, ok := p["name"].(string); !ok || id == "" {
					t.Errorf("point %d: id %#v, name %#v; want strings", i, p["id"], p["name"])
				}
				if _, ok := p["hints"].([]any); !ok {
					t.Errorf("point %s: hints is %#v, want a list", id, p["hints"])
				}
				keys := append([]string{"id", "name", "kind", "hints"}, wantKeys[kind]...)
				if wantKeys[kind] == nil {
					t.Errorf("point %s: kind %#v", id, p["kind"])
				}
				if parent, nested := p["parent"]; nested {
					keys = append(keys, "parent", "candidate")
					if !ids[parent.(string)] {
						t.Errorf("point %s: parent %v is not listed before it", id, parent)
					}
					if !strings.HasPrefix(id, parent.(string)+"["+fmt.Sprint(p["candidate"])+"]") {
						t.Errorf("point %s: parent %v, candidate %v do not match its ID", id, parent, p["candidate"])
					}
				}
				if !slices.Equal(slices.Sorted(maps.Keys(p)), slices.Sorted(slices.Values(keys))) {
					t.Errorf("point %s: keys %v, want %v", id, slices.Sorted(maps.Keys(p)), keys)
				}
				for _, k := range []string{"candidates", "k", "candidate", "min", "max"} {
					if v, ok := p[k]; ok {
						if _, isNum := v.(json.Number); !isNum {
							t.Errorf("point %s: %s is %#v, want a number", id, k, v)
						}
					}
				}
				for _, k := range []string{"distinct", "sorted"} {
					if v, ok := p[k]; ok {
						if _, isBool := v.(bool); !isBool {
							t.Errorf("point %s: %s is %#v, want a bool", id, k, v)
						}
					}
				}
				if s, ok := p["scale"]; ok && s != "linear" && s != "log" {
					t.Errorf("point %s: scale %#v", id, s)
				}
			}
		})
	}

	t.Run("values", func(t *testing.T) {
		points := inspectJSON(t, exampleSpace)["decision_points"].([]any)
		byID := map[string]map[string]any{}
		for _, p := range points {
			byID[p.(map[string]any)["id"].(string)] = p.(map[string]any)
		}
		checks := []struct {
			id, key string
			want    any
		}{
			{"lr", "kind", "float"},
			{"lr", "name", "lr"},
			{"lr", "scale", "log"},
			{"lr", "min", json.Number("0.0001")},
			{"lr", "max", json.Number("0.1")},
			{"model.depth", "kind", "int"},
			{"model.depth", "max", json.Number("4")},
			{"optimizer", "candidates", json.Number("2")},
			{"optimizer[0].momentum", "parent", "optimizer"},
			{"optimizer[0].momentum", "candidate", json.Number("0")},
			{"optimizer[1].weight_decay", "candidate", json.Number("1")},
			{"augmentations", "k", json.Number("2")},
			{"augmentations", "distinct", true},
			{"augmentations", "sorted", true},
		}
		for _, c := range checks {
			if got := byID[c.id][c.key]; got != c.want {
				t.Errorf("%s.%s is %#v, want %#v", c.id, c.key, got, c.want)
			}
		}
		if h := byID["model.width"]["hints"].([]any); len(h) != 1 || h[0] != "arch" {
			t.Errorf("model.width hints %v, want [arch]", h)
		}
	})
}
