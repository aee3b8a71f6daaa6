package kernels

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// genFiles are the files gen_asm.go writes; genSources the program.
var (
	genFiles   = []string{"gemm_amd64.s", "qgemm_amd64.s", "kernels_decl_amd64.go", "elementwise_amd64.s"}
	genSources = []string{"gen_asm.go", "gen_isa.go", "gen_gemm.go", "gen_qgemm.go", "gen_elementwise.go", "gen_elementwise2.go", "gen_activation.go"}
)

// TestGeneratedUpToDate runs the generator into a temporary directory and
// checks that every committed assembly and declaration file is what it
// prints: an edit of a description or a printer must be followed by go
// generate.
func TestGeneratedUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	tmp := t.TempDir()
	cmd := exec.Command(gobin, append(append([]string{"run"}, genSources...), "-o", tmp)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run %v: %v\n%s", genSources, err, out)
	}
	for _, f := range genFiles {
		want, err := os.ReadFile(filepath.Join(tmp, f))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what gen_asm.go prints: run go generate", f)
		}
	}
}
