package main

import (
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestTrialsCSVColumns reads trials --csv of the view study back and
// checks it against trials --json: a column per decision by key path,
// empty where the decision is conditional and absent, the value each
// trial's program holds at that key path, and a column per metric with
// the JSON's values.
func TestTrialsCSVColumns(t *testing.T) {
	store, _ := viewStudy(t)
	code, csvOut, stderr := runCLI(t, t.Context(), "trials", "--store", store, "--study", "view", "--csv")
	if code != 0 || stderr != "" {
		t.Fatalf("trials --csv: exit %d, stderr %q", code, stderr)
	}
	code, jsonOut, stderr := runCLI(t, t.Context(), "trials", "--store", store, "--study", "view", "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("trials --json: exit %d, stderr %q", code, stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	decisions := []string{"model.hidden", "model.activation", "optimizer", "optimizer[0].lr", "optimizer[1].momentum"}
	if !slices.Equal(header[6:11], decisions) {
		t.Fatalf("header %v: want the decisions %v after the six fixed columns", header, decisions)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	type line struct {
		Number  int
		State   string
		Metrics map[string]float64
		Program struct {
			Model struct {
				Hidden     []int
				Activation string
			}
			Optimizer struct {
				Type     string `json:"_type"`
				LR       float64
				Momentum float64
			}
		}
	}
	var lines []line
	for l := range strings.Lines(jsonOut) {
		var x line
		if err := json.Unmarshal([]byte(l), &x); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, x)
	}
	if len(lines) != len(rows)-1 || len(lines) != 8 {
		t.Fatalf("%d JSON lines, %d CSV rows; want 8 each", len(lines), len(rows)-1)
	}
	sgd, adamw := 0, 0
	for i, x := range lines {
		r := rows[i+1]
		get := func(name string) string { return r[col[name]] }
		if get("number") != strconv.Itoa(x.Number) || get("state") != x.State {
			t.Fatalf("row %v against trial %d %s", r, x.Number, x.State)
		}
		hidden, _ := json.Marshal(x.Program.Model.Hidden)
		if get("model.hidden") != string(hidden) || get("model.activation") != x.Program.Model.Activation {
			t.Errorf("trial %d: model.hidden %q, model.activation %q; the program has %s, %s", x.Number,
				get("model.hidden"), get("model.activation"), hidden, x.Program.Model.Activation)
		}
		if !strings.Contains(get("optimizer"), x.Program.Optimizer.Type) {
			t.Errorf("trial %d: optimizer %q, the program's is %s", x.Number, get("optimizer"), x.Program.Optimizer.Type)
		}
		lr, mom := get("optimizer[0].lr"), get("optimizer[1].momentum")
		switch x.Program.Optimizer.Type {
		case "trainer.AdamW":
			adamw++
			if v, err := strconv.ParseFloat(lr, 64); err != nil || v != x.Program.Optimizer.LR || mom != "" {
				t.Errorf("trial %d (AdamW): lr %q, momentum %q; want %v and empty", x.Number, lr, mom, x.Program.Optimizer.LR)
			}
		case "trainer.SGD":
			sgd++
			if v, err := strconv.ParseFloat(mom, 64); err != nil || v != x.Program.Optimizer.Momentum || lr != "" {
				t.Errorf("trial %d (SGD): momentum %q, lr %q; want %v and empty", x.Number, mom, lr, x.Program.Optimizer.Momentum)
			}
		default:
			t.Errorf("trial %d: optimizer %q", x.Number, x.Program.Optimizer.Type)
		}
		for name, want := range x.Metrics {
			i, ok := col[name]
			if !ok {
				t.Fatalf("no column for metric %s in %v", name, header)
			}
			if got, err := strconv.ParseFloat(r[i], 64); err != nil || got != want {
				t.Errorf("trial %d: %s %q in the CSV, %v in the JSON", x.Number, name, r[i], want)
			}
		}
	}
	if sgd == 0 || adamw == 0 {
		t.Errorf("%d SGD and %d AdamW trials: the test wants both, to see the conditional columns empty", sgd, adamw)
	}
}
