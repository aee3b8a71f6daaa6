package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dirFiles returns the names and contents of the files in dir.
func dirFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

func TestFmtWrite(t *testing.T) {
	tests := []struct {
		name       string
		opts       fmtOptions
		files      map[string]string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string            // a substring of stderr; "" means none
		wantFiles  map[string]string // the files changed; the others must be as before
	}{
		{"yaml", fmtOptions{Write: true}, map[string]string{"a.yaml": "a:   [1,2]\n"}, []string{"a.yaml"}, 0, "", "",
			map[string]string{"a.yaml": "a: [1, 2]\n"}},
		{"json stays json", fmtOptions{Write: true}, map[string]string{"a.json": `{"a":[1]}`}, []string{"a.json"}, 0, "", "",
			map[string]string{"a.json": "{\n  \"a\": [\n    1\n  ]\n}\n"}},
		{"json with --json", fmtOptions{Write: true, JSON: true}, map[string]string{"a.JSON": `{"a":1}`}, []string{"a.JSON"}, 0, "", "",
			map[string]string{"a.JSON": "{\n  \"a\": 1\n}\n"}},
		{"canonical file", fmtOptions{Write: true}, map[string]string{"a.yaml": "a: 1\n"}, []string{"a.yaml"}, 0, "", "", nil},
		{"several files", fmtOptions{Write: true}, map[string]string{"a.yaml": "a:  1", "b.yaml": "b: 2\n", "c.json": "[ ]"},
			[]string{"a.yaml", "b.yaml", "c.json"}, 0, "", "", map[string]string{"a.yaml": "a: 1\n", "c.json": "[]\n"}},
		{"comments refused", fmtOptions{Write: true}, map[string]string{"a.yaml": "# doc\na:  1\n"}, []string{"a.yaml"}, 2, "",
			"goglove: a.yaml: not rewritten: it has comments, which the canonical form drops (--drop-comments rewrites it anyway)", nil},
		{"comment-only file refused", fmtOptions{Write: true}, map[string]string{"a.yaml": "# TODO\n"}, []string{"a.yaml"}, 2, "",
			"a.yaml: not rewritten", nil},
		{"comments dropped on request", fmtOptions{Write: true, DropComments: true}, map[string]string{"a.yaml": "# doc\na:  1 # one\n"},
			[]string{"a.yaml"}, 0, "", "", map[string]string{"a.yaml": "a: 1\n"}},
		{"refusal does not stop the others", fmtOptions{Write: true}, map[string]string{"a.yaml": "a: 1 # c\n", "b.yaml": "b:  2\n"},
			[]string{"a.yaml", "b.yaml"}, 2, "", "a.yaml: not rewritten", map[string]string{"b.yaml": "b: 2\n"}},
		{"bad file does not stop the others", fmtOptions{Write: true}, map[string]string{"a.yaml": "a: [\n", "b.yaml": "b:  2\n"},
			[]string{"a.yaml", "b.yaml"}, 2, "", "symbolic: a.yaml:", map[string]string{"b.yaml": "b: 2\n"}},
		{"unknown type untouched", fmtOptions{Write: true}, map[string]string{"a.yaml": "_type:   x\n"}, []string{"a.yaml"}, 2, "",
			`symbolic: a.yaml:1:1: _type: unknown _type "x"`, nil},
		{"usage error writes nothing", fmtOptions{Write: true, JSON: true}, map[string]string{"a.json": "[ ]", "b.yaml": "b:  2\n"},
			[]string{"a.json", "b.yaml"}, 2, "", "--json with -w applies only to .json files", nil},
		{"list and write", fmtOptions{Write: true, List: true}, map[string]string{"a.yaml": "a:  1", "b.yaml": "b: 2\n"},
			[]string{"a.yaml", "b.yaml"}, 0, "a.yaml\n", "", map[string]string{"a.yaml": "a: 1\n"}},
		{"list and write refused", fmtOptions{Write: true, List: true}, map[string]string{"a.yaml": "a: 1 # c\n"},
			[]string{"a.yaml"}, 2, "a.yaml\n", "a.yaml: not rewritten", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tt.files)
			t.Chdir(dir)
			got := callFmt(t, t.Context(), tt.opts, tt.args...)
			if got.code != tt.wantCode || got.stdout != tt.wantStdout {
				t.Errorf("exit code %d, stdout %q; want %d, %q (stderr %q)", got.code, got.stdout, tt.wantCode, tt.wantStdout, got.stderr)
			}
			if tt.wantStderr == "" && got.stderr != "" || !strings.Contains(got.stderr, tt.wantStderr) {
				t.Errorf("stderr %q, want %q", got.stderr, tt.wantStderr)
			}
			want := map[string]string{}
			for name, content := range tt.files {
				want[name] = content
			}
			for name, content := range tt.wantFiles {
				want[name] = content
			}
			got2 := dirFiles(t, dir) // also catches temporary files left behind
			for name := range want {
				if got2[name] != want[name] {
					t.Errorf("%s is %q, want %q", name, got2[name], want[name])
				}
			}
			for name := range got2 {
				if _, ok := want[name]; !ok {
					t.Errorf("fmt -w left %s behind", name)
				}
			}
		})
	}
}

func TestFmtWriteKeepsMode(t *testing.T) {
	for _, mode := range []os.FileMode{0o600, 0o640, 0o755} {
		t.Run(mode.String(), func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "a.yaml")
			if err := os.WriteFile(name, []byte("a:   1\n"), mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(name, mode); err != nil { // not subject to umask
				t.Fatal(err)
			}
			if got := callFmt(t, t.Context(), fmtOptions{Write: true}, name); got.code != 0 {
				t.Fatalf("fmt -w: %+v", got)
			}
			fi, err := os.Stat(name)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode() != mode {
				t.Errorf("mode after fmt -w is %v, want %v", fi.Mode(), mode)
			}
		})
	}
}

func TestFmtWriteLeavesCanonicalFileAlone(t *testing.T) {
	name := filepath.Join(t.TempDir(), "a.yaml")
	if err := os.WriteFile(name, []byte("a: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if got := callFmt(t, t.Context(), fmtOptions{Write: true}, name); got.code != 0 {
		t.Fatalf("fmt -w: %+v", got)
	}
	after, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) || !before.ModTime().Equal(after.ModTime()) {
		t.Errorf("fmt -w replaced a canonical file")
	}
}

func TestFmtWriteFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.yaml")
	link := filepath.Join(dir, "link.yaml")
	if err := os.WriteFile(target, []byte("a:   1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.yaml", link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if got := callFmt(t, t.Context(), fmtOptions{Write: true}, link); got.code != 0 {
		t.Fatalf("fmt -w: %+v", got)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("fmt -w replaced the symbolic link (%v)", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "a: 1\n" {
		t.Errorf("target is %q, want it rewritten", b)
	}
}

// TestFmtFlagsAfterArgs checks that flags work before and after the files,
// through the whole command line, and that "--" ends the flags.
func TestFmtFlagsAfterArgs(t *testing.T) {
	type result struct {
		code     int
		stdout   string
		contentA string // a.yaml after the run
	}
	dir := t.TempDir()
	a := filepath.Join(dir, "a.yaml")
	tests := []struct {
		name          string
		before, after []string
		want          result
	}{
		{"json", []string{"fmt", "--json", a}, []string{"fmt", a, "--json"}, result{0, "{\n  \"a\": 1\n}\n", "a:  1\n"}},
		{"list", []string{"fmt", "-l", a}, []string{"fmt", a, "-l"}, result{0, a + "\n", "a:  1\n"}},
		{"combined short flags", []string{"fmt", "-lw", a}, []string{"fmt", a, "-lw"}, result{0, a + "\n", "a: 1\n"}},
		{"write", []string{"fmt", "-w", a}, []string{"fmt", a, "-w"}, result{0, "", "a: 1\n"}},
		{"write with json is refused", []string{"fmt", "-w", "--json", a}, []string{"fmt", a, "-w", "--json"}, result{2, "", "a:  1\n"}},
		{"flags around the file", []string{"fmt", "-w", "--drop-comments", a}, []string{"fmt", "-w", a, "--drop-comments"}, result{0, "", "a: 1\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got [2]result
			for i, args := range [][]string{tt.before, tt.after} {
				writeFiles(t, dir, map[string]string{"a.yaml": "a:  1\n"})
				code, stdout, _ := runCLI(t, t.Context(), args...)
				b, _ := os.ReadFile(a)
				got[i] = result{code, stdout, string(b)}
			}
			if got[0] != tt.want || got[1] != tt.want {
				t.Errorf("%q gave %+v and %q gave %+v, want %+v", tt.before, got[0], tt.after, got[1], tt.want)
			}
		})
	}
	t.Run("double dash", func(t *testing.T) {
		writeFiles(t, dir, map[string]string{"-dash.yaml": "d:  1\n"})
		t.Chdir(dir)
		code, stdout, stderr := runCLI(t, t.Context(), "fmt", "--json", "--", "-dash.yaml")
		if code != 0 || stdout != "{\n  \"d\": 1\n}\n" {
			t.Errorf("fmt --json -- -dash.yaml: exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
	})
}
