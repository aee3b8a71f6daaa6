package search

import (
	"context"
	"testing"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

type dbrProgram struct {
	Act   string
	Width int
}

// TestDefineByRunProgram: a define-by-run study records each trial's
// decisions as its program, a mapping from decision names to values that
// agrees with what the objective evaluated.
func TestDefineByRunProgram(t *testing.T) {
	s, err := space.Trace(func(h *space.Decider) dbrProgram {
		return dbrProgram{Act: space.Choose(h, "act", "relu", "gelu"), Width: space.IntIn(h, "width", 1, 100)}
	})
	if err != nil {
		t.Fatal(err)
	}
	st := NewMemStore()
	ctx := context.Background()
	evaluated := map[int]dbrProgram{}
	_, err = Run(ctx, Searchable[dbrProgram](s), &randomAlgo{seed: 4},
		func(ctx context.Context, tr *Trial[dbrProgram]) (Metrics, error) {
			evaluated[tr.Number] = tr.Program
			return Metrics{"reward": float64(tr.Program.Width)}, nil
		}, &Options{Store: st, Study: "dbr", Trials: 5})
	if err != nil {
		t.Fatal(err)
	}
	trials, err := st.Trials(ctx, "dbr")
	if err != nil {
		t.Fatal(err)
	}
	if len(trials) != 5 {
		t.Fatalf("%d trials, want 5", len(trials))
	}
	for _, tr := range trials {
		p := evaluated[tr.Number]
		want := symbolic.NewDict(2)
		want.Set("act", symbolic.String(p.Act))
		want.Set("width", symbolic.Int(p.Width))
		if tr.Program == nil || len(symbolic.Diff(want, tr.Program)) > 0 {
			t.Errorf("trial %d: program %v, want %s", tr.Number, tr.Program, want)
		}
	}
}
