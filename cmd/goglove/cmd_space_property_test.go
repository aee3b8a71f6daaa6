package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Properties of the space verbs, checked through the command line: enumerate
// prints each program once, sample is deterministic under a seed, and
// decode and encode are inverses.

// programLine is one line of sample --json or enumerate --json.
type programLine struct {
	DNA     []float64       `json:"dna"`
	Program json.RawMessage `json:"program"`
	dnaText string          // the "dna" field as printed
}

// parseProgramLines parses the output of sample --json or enumerate
// --json, checking that each line is a JSON object with exactly the keys
// dna and program.
func parseProgramLines(t *testing.T, out string) []programLine {
	t.Helper()
	var lines []programLine
	for line := range strings.Lines(out) {
		var keys map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &keys); err != nil || len(keys) != 2 || keys["dna"] == nil || keys["program"] == nil {
			t.Fatalf("line %q is not a JSON object {dna, program} (%v)", line, err)
		}
		var pl programLine
		if err := json.Unmarshal([]byte(line), &pl); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		pl.dnaText = string(keys["dna"])
		lines = append(lines, pl)
	}
	return lines
}

// TestSpaceEnumerateCount checks that enumerate prints each program of a
// finite space once: as many as its size, with distinct DNAs and
// programs, in both output formats.
func TestSpaceEnumerateCount(t *testing.T) {
	for _, file := range []string{"small.yaml", "small.json", "lists.yaml", "flat.yaml"} {
		t.Run(file, func(t *testing.T) {
			path := spaceFile(file)
			size, err := inspectJSON(t, path)["size"].(json.Number).Int64()
			if err != nil {
				t.Fatal(err)
			}
			_, out, _ := mustRunSpace(t, "enumerate", path, "--json")
			lines := parseProgramLines(t, out)
			if int64(len(lines)) != size {
				t.Errorf("enumerate --json printed %d programs, size is %d", len(lines), size)
			}
			dnas, programs := map[string]bool{}, map[string]bool{}
			for _, l := range lines {
				if dnas[l.dnaText] || programs[string(l.Program)] {
					t.Errorf("DNA %s or program %s printed twice", l.dnaText, l.Program)
				}
				dnas[l.dnaText], programs[string(l.Program)] = true, true
			}
			_, yaml, stderr := mustRunSpace(t, "enumerate", path)
			if n := strings.Count(yaml, "# dna: "); int64(n) != size || strings.Count(yaml, "---\n") != n-1 || stderr != "" {
				t.Errorf("enumerate printed %d YAML documents and %d separators, size is %d (stderr %q)", n, strings.Count(yaml, "---\n"), size, stderr)
			}
			_, limited, note := mustRunSpace(t, "enumerate", path, "--limit", "2", "--json")
			if want := min(size, 2); int64(len(parseProgramLines(t, limited))) != want {
				t.Errorf("--limit 2 printed %d programs, want %d", len(parseProgramLines(t, limited)), want)
			}
			if wantNote := size > 2; wantNote != strings.HasPrefix(note, "goglove: note: printed the first 2 of ") {
				t.Errorf("--limit 2 on a space of %d: stderr %q", size, note)
			}
			_, all, note := mustRunSpace(t, "enumerate", path, "--limit", fmt.Sprint(size), "--json")
			if all != out || note != "" {
				t.Errorf("--limit SIZE differs from no limit, or notes %q", note)
			}
		})
	}
}

// TestSpaceSampleDeterministic checks that the same seed prints the same
// programs, that a longer run starts with a shorter one's programs, and
// that both output formats print the same DNAs.
func TestSpaceSampleDeterministic(t *testing.T) {
	for _, file := range []string{spaceFile("small.yaml"), spaceFile("float.yaml"), spaceFile("lists.yaml"), exampleSpace} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			_, first, _ := mustRunSpace(t, "sample", file, "--n", "20", "--seed", "42", "--json")
			_, again, _ := mustRunSpace(t, "sample", file, "--n", "20", "--seed", "42", "--json")
			if first != again {
				t.Errorf("two runs with seed 42 differ:\n%s\n%s", first, again)
			}
			_, other, _ := mustRunSpace(t, "sample", file, "--n", "20", "--seed", "43", "--json")
			if first == other {
				t.Errorf("seeds 42 and 43 print the same 20 programs")
			}
			_, short, _ := mustRunSpace(t, "sample", file, "--n", "5", "--seed", "42", "--json")
			if !strings.HasPrefix(first, short) {
				t.Errorf("--n 5 does not print the first 5 programs of --n 20:\n%s\n%s", short, first)
			}
			lines := parseProgramLines(t, first)
			if len(lines) != 20 {
				t.Fatalf("--n 20 printed %d lines", len(lines))
			}
			_, yaml, _ := mustRunSpace(t, "sample", file, "--n", "20", "--seed", "42")
			var yamlDNAs []string
			for line := range strings.Lines(yaml) {
				if dna, ok := strings.CutPrefix(line, "# dna: "); ok {
					yamlDNAs = append(yamlDNAs, strings.TrimSuffix(dna, "\n"))
				}
			}
			for i, l := range lines {
				if i >= len(yamlDNAs) || yamlDNAs[i] != l.dnaText {
					t.Fatalf("YAML output's DNAs %q differ from the JSON output's (line %d: %s)", yamlDNAs, i, l.dnaText)
				}
			}
		})
	}
	t.Run("zero", func(t *testing.T) {
		if _, out, _ := mustRunSpace(t, "sample", spaceFile("small.yaml"), "--n", "0"); out != "" {
			t.Errorf("--n 0 printed %q", out)
		}
	})
}

// TestSpaceRoundTrip checks, through the command line, that decode(dna)
// is the program sample and enumerate print with dna, and that encoding
// that program gives dna back.
func TestSpaceRoundTrip(t *testing.T) {
	cases := []struct {
		file string
		args []string
	}{
		{spaceFile("small.yaml"), []string{"enumerate", "--json"}},
		{spaceFile("lists.yaml"), []string{"enumerate", "--json"}},
		{spaceFile("flat.yaml"), []string{"enumerate", "--json"}},
		{spaceFile("float.yaml"), []string{"sample", "--json", "--n", "30", "--seed", "1"}},
		{exampleSpace, []string{"sample", "--json", "--n", "30", "--seed", "2"}},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(filepath.Base(c.file)+"/"+c.args[0], func(t *testing.T) {
			_, out, _ := mustRunSpace(t, append(c.args, c.file)...)
			lines := parseProgramLines(t, out)
			if testing.Short() && len(lines) > 10 {
				lines = lines[:10]
			}
			for _, l := range lines {
				_, decoded, _ := mustRunSpace(t, "decode", c.file, "--dna", l.dnaText, "--json")
				if decoded != string(l.Program)+"\n" {
					t.Errorf("decode --dna %s printed %s, want %s", l.dnaText, decoded, l.Program)
				}
				prog := filepath.Join(dir, "program.json")
				if err := os.WriteFile(prog, l.Program, 0o644); err != nil {
					t.Fatal(err)
				}
				_, dna, _ := mustRunSpace(t, "encode", c.file, prog)
				if dna != l.dnaText+"\n" {
					t.Errorf("encode of %s printed %s, want %s", l.Program, dna, l.dnaText)
				}
				var nums []float64
				if err := json.Unmarshal([]byte(dna), &nums); err != nil || !slices.Equal(nums, l.DNA) {
					t.Errorf("encode printed %q, not the JSON array %v (%v)", dna, l.DNA, err)
				}
			}
		})
	}
	t.Run("yaml program", func(t *testing.T) {
		_, yaml, _ := mustRunSpace(t, "decode", spaceFile("small.yaml"), "--dna", "[1, 0, 1, 2]")
		prog := filepath.Join(dir, "program.yaml")
		if err := os.WriteFile(prog, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, dna, _ := mustRunSpace(t, "encode", spaceFile("small.yaml"), prog); dna != "[1, 0, 1, 2]\n" {
			t.Errorf("encode of the decoded YAML program printed %q", dna)
		}
	})
}

// TestSpaceSampleYAMLDocuments checks that the YAML output of sample is a
// stream of documents that fmt reads back one by one.
func TestSpaceSampleYAMLDocuments(t *testing.T) {
	_, out, _ := mustRunSpace(t, "sample", exampleSpace, "--n", "3", "--seed", "11")
	_, jsonOut, _ := mustRunSpace(t, "sample", exampleSpace, "--n", "3", "--seed", "11", "--json")
	docs := strings.Split(out, "---\n")
	lines := parseProgramLines(t, jsonOut)
	if len(docs) != 3 {
		t.Fatalf("sample --n 3 printed %d YAML documents:\n%s", len(docs), out)
	}
	dir := t.TempDir()
	for i, doc := range docs {
		name := filepath.Join(dir, fmt.Sprintf("doc%d.yaml", i))
		if err := os.WriteFile(name, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		got := callFmt(t, t.Context(), fmtOptions{JSON: true, DropComments: true}, name)
		var want bytes.Buffer
		if err := json.Indent(&want, lines[i].Program, "", "  "); err != nil {
			t.Fatal(err)
		}
		if got.code != 0 || got.stdout != want.String()+"\n" {
			t.Errorf("document %d as JSON (exit %d, %s):\n%s\nwant:\n%s", i, got.code, got.stderr, got.stdout, want.String())
		}
	}
}
