package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/search/storeurl"
	"github.com/c2602f9e/goglove/symbolic"
)

// TestReport writes the report of the view study and checks it against
// the store: the best trial and the Pareto front are those best --json
// gives, every plot it shows is an SVG file beside it, and its config
// block decodes to the config the study keeps.
func TestReport(t *testing.T) {
	store, dir := viewStudy(t)
	out := filepath.Join(dir, "report")
	code, stdout, stderr := runCLI(t, t.Context(), "report", "--store", store, "--study", "view", "--out", out)
	if code != 0 || !strings.Contains(stdout, "wrote the report of study view") {
		t.Fatalf("report: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	md, err := os.ReadFile(filepath.Join(out, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(md)
	for _, h := range []string{"# Study view", "## Cost", "## Best trials", "## Pareto front", "## Importance of the decisions", "## Plots", "## Config"} {
		if !strings.Contains(text, "\n"+h+"\n") && !strings.HasPrefix(text, h+"\n") {
			t.Errorf("the report has no section %q:\n%s", h, text)
		}
	}
	if strings.Contains(text, "sqlite://") {
		t.Errorf("the report names the store by its URL, not its description:\n%s", text)
	}
	// The plots: one image per kind, each a valid SVG file.
	images := regexp.MustCompile(`!\[([a-z]+)\]\((plots/[a-z]+\.svg)\)`).FindAllStringSubmatch(text, -1)
	if len(images) != 8 {
		t.Errorf("%d plots in the report, want 8 (every kind applies to the view study)", len(images))
	}
	for _, m := range images {
		data, err := os.ReadFile(filepath.Join(out, m[2]))
		if err != nil {
			t.Fatalf("the report shows %s: %v", m[2], err)
		}
		var root struct{ XMLName xml.Name }
		if err := xml.Unmarshal(data, &root); err != nil || root.XMLName.Local != "svg" {
			t.Errorf("%s: not an SVG document: %v", m[2], err)
		}
	}
	// The best trials and the front, against best --json.
	code, bestOut, _ := runCLI(t, t.Context(), "best", "--store", store, "--study", "view", "--json")
	var best struct {
		Best   struct{ Number int }
		Pareto []struct{ Number int }
	}
	if code != 0 || json.Unmarshal([]byte(bestOut), &best) != nil {
		t.Fatalf("best --json: exit %d, %q", code, bestOut)
	}
	section := func(name string) string {
		_, after, _ := strings.Cut(text, "## "+name+"\n")
		before, _, _ := strings.Cut(after, "\n## ")
		return before
	}
	rows := regexp.MustCompile(`(?m)^\| ([0-9]+) \|`)
	var bestRows []int
	for _, m := range rows.FindAllStringSubmatch(section("Best trials"), -1) {
		n, _ := strconv.Atoi(m[1])
		bestRows = append(bestRows, n)
	}
	if len(bestRows) != 8 || bestRows[0] != best.Best.Number {
		t.Errorf("best trials %v: want the 8 trials, trial %d first", bestRows, best.Best.Number)
	}
	var front, want []int
	for _, m := range rows.FindAllStringSubmatch(section("Pareto front"), -1) {
		n, _ := strconv.Atoi(m[1])
		front = append(front, n)
	}
	for _, p := range best.Pareto {
		want = append(want, p.Number)
	}
	slices.Sort(want)
	if !slices.Equal(front, want) {
		t.Errorf("the report's front %v, best --json's %v", front, want)
	}
	// The config, against the study's.
	_, after, _ := strings.Cut(text, "## Config\n\n```yaml\n")
	yaml, _, _ := strings.Cut(after, "```")
	reg := newRegistry()
	got, err := reg.DecodeYAML([]byte(yaml), nil)
	if err != nil {
		t.Fatalf("the report's config: %v\n%s", err, yaml)
	}
	st, err := storeurl.Open(t.Context(), store, &storeurl.Options{Registry: reg, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	info, err := st.Study(t.Context(), "view")
	if err != nil {
		t.Fatal(err)
	}
	if !symbolic.Equal(got, info.Config) {
		t.Errorf("the report's config differs from the study's:\n%s", yaml)
	}
}
