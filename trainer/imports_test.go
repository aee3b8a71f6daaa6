package trainer

import (
	"go/build"
	"strings"
	"testing"
)

// TestImports checks the layering the package doc states: package
// trainer and everything of goglove it imports, directly or not, never
// import search, algorithms, experiments or the command line.
func TestImports(t *testing.T) {
	const module = "github.com/c2602f9e/goglove"
	forbidden := []string{module + "/search", module + "/algorithms", module + "/experiments", module + "/cmd"}
	seen := map[string]bool{}
	var visit func(path, from string)
	visit = func(path, from string) {
		if seen[path] || !strings.HasPrefix(path, module) {
			return
		}
		seen[path] = true
		for _, f := range forbidden {
			if path == f || strings.HasPrefix(path, f+"/") {
				t.Errorf("%s imports %s", from, path)
				return
			}
		}
		pkg, err := build.Import(path, ".", 0)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, imp := range pkg.Imports {
			visit(imp, path)
		}
	}
	visit(module+"/trainer", "")
	if len(seen) < 3 {
		t.Fatalf("visited only %d packages: the walk did not walk", len(seen))
	}
}
