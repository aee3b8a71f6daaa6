package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEProgram builds the README's Go blocks, which together are one
// program, as a module of its own that uses goglove through the replace
// directive the README tells users to write, runs it, and checks what it
// prints.
func TestREADMEProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program in a module of its own")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllSubmatch(readme, -1)
	if len(blocks) < 2 {
		t.Fatalf("the README has %d Go blocks, want the program's two", len(blocks))
	}
	var program strings.Builder
	for _, b := range blocks {
		program.Write(b[1])
	}
	mod := regexp.MustCompile("(?s)```\n(module .*?)```").FindSubmatch(readme)
	if mod == nil {
		t.Fatal("the README has no go.mod block")
	}
	gomod := strings.Replace(string(mod[1]), "=> ../goglove", "=> "+root, 1)
	if gomod == string(mod[1]) {
		t.Fatal("the README's go.mod has no replace directive pointing at ../goglove")
	}
	dir := t.TempDir()
	for name, text := range map[string]string{"main.go": program.String(), "go.mod": gomod} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// go.sum: the README says go mod tidy; the module cache has what it needs.
	for _, args := range [][]string{{"mod", "tidy"}, {"run", "."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s\nthe program:\n%s", strings.Join(args, " "), err, out, program.String())
		}
		if args[0] != "run" {
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) != 3 || lines[0] != "symbolic: hidden[0]: want int in [1, 4096], got int 0" || lines[1] != "true true [64]" ||
			!strings.HasPrefix(lines[2], "{_type: example.MLP, hidden: [") || !strings.Contains(lines[2], "accuracy=0.9") {
			t.Errorf("the README program printed:\n%s\nwant the rebind error, true true [64], and a best MLP with accuracy 0.9…", out)
		}
	}
}
