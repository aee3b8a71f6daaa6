package layering

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const module = "github.com/c2602f9e/goglove"

// layer is one row of the table: the packages at name (relative to the
// module) and below it, the layers they may import and the other modules
// they may import directly.
type layer struct {
	name    string
	imports []string
	modules []string
}

// layers is the table of allowed arrows; the doc.go files of the packages
// and docs/architecture.md state it in prose.
var layers = []layer{
	{name: "symbolic", modules: []string{"go.yaml.in/yaml/v3"}},
	{name: "space", imports: []string{"symbolic"}},
	{name: "algorithms", imports: []string{"space", "symbolic"}, modules: []string{"gonum.org/v1/gonum"}},
	{name: "algorithms/problems", imports: []string{"space", "symbolic"}},
	{name: "search", imports: []string{"algorithms", "space", "symbolic"}},
	{name: "search/sqlitestore", imports: []string{"search"}, modules: []string{"modernc.org/sqlite"}},
	{name: "search/storetest", imports: []string{"search"}, modules: []string{"github.com/google/go-cmp"}},
	{name: "search/pgstore", imports: []string{"search"}, modules: []string{"github.com/jackc/pgx/v5"}},
	{name: "search/storeurl", imports: []string{"search/sqlitestore", "search/pgstore"}},
	{name: "internal"},
	{name: "trainer/checkpoint"},
	{name: "trainer/merge/lap", imports: []string{"internal"}},
	{name: "trainer/cache", imports: []string{"trainer/checkpoint"}, modules: []string{"go.yaml.in/yaml/v3", "golang.org/x/sys"}},
	{name: "trainer/spectral", modules: []string{"gonum.org/v1/gonum"}},
	{name: "trainer", imports: []string{"symbolic", "internal", "trainer/checkpoint", "trainer/cache", "trainer/spectral", "trainer/merge/lap"}, modules: []string{"golang.org/x/sys"}},
	{name: "trainer/bench", imports: []string{"trainer", "internal"}},
	{name: "plots", imports: []string{"search"}, modules: []string{"gonum.org/v1/plot"}},
	{name: "dashboard", imports: []string{"plots"}},
	{name: "experiments", imports: []string{"search", "search/storeurl", "algorithms/problems", "trainer", "internal", "trainer/bench", "plots"}},
	{name: "cmd", imports: []string{"experiments", "trainer/bench", "plots", "dashboard"}, modules: []string{"github.com/spf13/cobra", "golang.org/x/sys"}},
}

// pkg is what the test needs of a package listed by go list.
type pkg struct {
	ImportPath string
	Standard   bool
	DepOnly    bool
	Imports    []string
	Module     *struct{ Path string }
}

// listPackages lists the module's packages and all their dependencies.
func listPackages(t *testing.T) map[string]*pkg {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil && os.Getenv("GOROOT") != "" {
		goTool, err = filepath.Join(os.Getenv("GOROOT"), "bin", "go"), nil
	}
	if err != nil {
		t.Fatalf("layering: the go tool is needed to list the packages: %v", err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(goTool, "list", "-deps", "-json=ImportPath,Standard,DepOnly,Imports,Module", module+"/...")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("layering: go list: %v: %s", err, stderr.Bytes())
	}
	pkgs := map[string]*pkg{}
	dec := json.NewDecoder(&stdout)
	for {
		p := new(pkg)
		if err := dec.Decode(p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("layering: reading go list's output: %v", err)
		}
		pkgs[p.ImportPath] = p
	}
	return pkgs
}

// rel returns path relative to the module and whether it is in it.
func rel(path string) (string, bool) {
	if path == module {
		return "", true
	}
	r, ok := strings.CutPrefix(path, module+"/")
	return r, ok
}

// layerOf returns the longest name of the table that is path or a parent
// of it ("" if none is).
func layerOf(table []layer, path string) string {
	best := ""
	for _, l := range table {
		if (path == l.name || strings.HasPrefix(path, l.name+"/")) && len(l.name) > len(best) {
			best = l.name
		}
	}
	return best
}

// reach returns the layers a layer may import, itself included, and the
// modules they name, following the arrows transitively.
func reach(table []layer, name string) (layersOK, modulesOK map[string]bool) {
	byName := map[string]layer{}
	for _, l := range table {
		byName[l.name] = l
	}
	layersOK, modulesOK = map[string]bool{}, map[string]bool{}
	var visit func(string)
	visit = func(n string) {
		if layersOK[n] {
			return
		}
		layersOK[n] = true
		for _, m := range byName[n].modules {
			modulesOK[m] = true
		}
		for _, i := range byName[n].imports {
			visit(i)
		}
	}
	visit(name)
	return layersOK, modulesOK
}

// violations checks every package of the module (not only a dependency)
// against table and returns one line per broken arrow, naming the chain of
// imports that leads to it.
func violations(table []layer, pkgs map[string]*pkg) []string {
	var out []string
	claimed := map[string]bool{}
	var roots []string
	for path, p := range pkgs {
		if _, ok := rel(path); ok && !p.DepOnly {
			roots = append(roots, path)
		}
	}
	slices.Sort(roots)
	for _, root := range roots {
		r, _ := rel(root)
		own := layerOf(table, r)
		if own == "" {
			out = append(out, fmt.Sprintf("%s: no layer of the table holds it", r))
			continue
		}
		claimed[own] = true
		layersOK, modulesOK := reach(table, own)
		// A breadth-first walk over the module's packages; via records
		// how each was reached, for the message.
		via := map[string]string{root: ""}
		pulled := map[string]bool{}
		queue := []string{root}
		for len(queue) > 0 {
			from := queue[0]
			queue = queue[1:]
			p := pkgs[from]
			if p == nil {
				continue
			}
			for _, imp := range p.Imports {
				if _, seen := via[imp]; seen {
					continue
				}
				if ip, ok := pkgs[imp]; ok && ip.Standard {
					continue
				}
				via[imp] = from
				if ir, ok := rel(imp); ok {
					if l := layerOf(table, ir); !layersOK[l] {
						out = append(out, fmt.Sprintf("%s (layer %s) imports %s (layer %q): %s", r, own, ir, l, chain(via, imp)))
						continue
					}
					queue = append(queue, imp)
					continue
				}
				mod := imp
				if ip, ok := pkgs[imp]; ok && ip.Module != nil {
					mod = ip.Module.Path
				}
				if !modulesOK[mod] && !pulled[mod] {
					pulled[mod] = true
					out = append(out, fmt.Sprintf("%s (layer %s) pulls in module %s: %s", r, own, mod, chain(via, imp)))
				}
			}
		}
	}
	for _, l := range table {
		if !claimed[l.name] {
			out = append(out, fmt.Sprintf("layer %s holds no package", l.name))
		}
	}
	return out
}

// chain spells how the walk reached path: "search → search/x → y".
func chain(via map[string]string, path string) string {
	var parts []string
	for p := path; p != ""; p = via[p] {
		if r, ok := rel(p); ok {
			p2 := r
			if p2 == "" {
				p2 = "."
			}
			parts = append(parts, p2)
		} else {
			parts = append(parts, p)
		}
	}
	slices.Reverse(parts)
	return strings.Join(parts, " → ")
}

// TestLayering checks the module's packages against the table.
func TestLayering(t *testing.T) {
	pkgs := listPackages(t)
	n := 0
	for path, p := range pkgs {
		if _, ok := rel(path); ok && !p.DepOnly {
			n++
		}
	}
	// symbolic, space, algorithms, search, trainer, experiments, cmd at least.
	if n < 7 {
		t.Fatalf("go list gave %d packages of the module: the walk did not walk", n)
	}
	for _, v := range violations(layers, pkgs) {
		t.Error(v)
	}
}

// TestViolations checks that the checker finds each kind of broken
// arrow, on made-up packages.
func TestViolations(t *testing.T) {
	m := func(r string) string { return module + "/" + r }
	mk := func(path string, imports ...string) *pkg { return &pkg{ImportPath: path, Imports: imports} }
	base := func() map[string]*pkg {
		ps := map[string]*pkg{
			"fmt":                   {ImportPath: "fmt", Standard: true, DepOnly: true},
			m("symbolic"):           mk(m("symbolic"), "fmt", "go.yaml.in/yaml/v3"),
			m("space"):              mk(m("space"), m("symbolic")),
			m("search"):             mk(m("search"), m("space")),
			m("search/sqlitestore"): mk(m("search/sqlitestore"), m("search"), "modernc.org/sqlite"),
			m("trainer"):            mk(m("trainer"), m("trainer/nn"), m("symbolic")),
			m("trainer/nn"):         mk(m("trainer/nn")),
			"go.yaml.in/yaml/v3":    {ImportPath: "go.yaml.in/yaml/v3", DepOnly: true, Module: &struct{ Path string }{"go.yaml.in/yaml/v3"}},
			"modernc.org/sqlite":    {ImportPath: "modernc.org/sqlite", DepOnly: true, Module: &struct{ Path string }{"modernc.org/sqlite"}},
		}
		return ps
	}
	table := []layer{
		{name: "symbolic", modules: []string{"go.yaml.in/yaml/v3"}},
		{name: "space", imports: []string{"symbolic"}},
		{name: "search", imports: []string{"space", "symbolic"}},
		{name: "search/sqlitestore", imports: []string{"search"}, modules: []string{"modernc.org/sqlite"}},
		{name: "trainer", imports: []string{"symbolic"}},
	}
	tests := []struct {
		name   string
		change func(map[string]*pkg)
		want   []string
	}{
		{name: "clean", change: func(map[string]*pkg) {}},
		{
			name: "trainer imports search through a sub-package",
			change: func(ps map[string]*pkg) {
				ps[m("trainer/nn")].Imports = []string{m("search")}
			},
			want: []string{`trainer (layer trainer) imports search (layer "search"): trainer → trainer/nn → search`,
				`trainer/nn (layer trainer) imports search (layer "search"): trainer/nn → search`},
		},
		{
			name: "search pulls in a driver",
			change: func(ps map[string]*pkg) {
				ps[m("search/internal/codec")] = mk(m("search/internal/codec"), "modernc.org/sqlite")
				ps[m("search")].Imports = append(ps[m("search")].Imports, m("search/internal/codec"))
			},
			want: []string{"search (layer search) pulls in module modernc.org/sqlite: search → search/internal/codec → modernc.org/sqlite",
				"search/internal/codec (layer search) pulls in module modernc.org/sqlite: search/internal/codec → modernc.org/sqlite"},
		},
		{
			name:   "a package no layer holds",
			change: func(ps map[string]*pkg) { ps[m("util")] = mk(m("util")) },
			want:   []string{"util: no layer of the table holds it"},
		},
		{
			name:   "a layer with no package",
			change: func(ps map[string]*pkg) { delete(ps, m("space")); ps[m("search")].Imports = nil },
			want:   []string{"layer space holds no package"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := base()
			tt.change(ps)
			got := violations(table, ps)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("violations (-want +got):\n%s", d)
			}
		})
	}
}
