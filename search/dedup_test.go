package search

import (
	"context"
	"testing"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/symbolic"
)

// dedupSpace is a space of 72 programs.
const dedupSpace = `study: dedup
space:
  act: !oneof [relu, gelu, tanh]
  width: !oneof [16, 32, 64, 128]
  depth: !int {min: 1, max: 3}
  drop: !oneof [0.0, 0.5]
objective:
  metrics: {loss: minimize}
  command: [sh, -c, "read p; echo '{\"loss\": 1}'"]
`

// TestDedupConfig: algorithm: {name: …, dedup: true} wraps any algorithm
// in a Dedup; with it, a search over a 72-program space with no trial
// budget ends, the algorithm done, after exactly 72 distinct trials,
// though every trial scores alike and the algorithm would repeat itself.
func TestDedupConfig(t *testing.T) {
	for _, algo := range []string{"tpe", "evolution", "random"} {
		t.Run(algo, func(t *testing.T) {
			src := dedupSpace + "algorithm: {name: " + algo + ", dedup: true}\nseed: 2\n"
			cfg, err := ParseConfig(configRegistryWithSpace(t), "d.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			j, err := cfg.Job("d.yaml", testBuiltins())
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := j.Algorithm.(*algorithms.Dedup); !ok {
				t.Fatalf("algorithm %T, want a Dedup", j.Algorithm)
			}
			// A Go objective rather than the command, to keep 72 trials
			// quick; the loss favours one program.
			j.Objective = func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
				w, _ := symbolic.GetPath(tr.Program, "width")
				return Metrics{"loss": float64(w.(symbolic.Int))}, nil
			}
			st := NewMemStore()
			res, err := j.Run(context.Background(), st, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Completed != 72 || res.StopReason != "the algorithm has nothing more to propose" {
				t.Fatalf("%d completed, stopped: %s; want 72, the algorithm done", res.Completed, res.StopReason)
			}
			trials, err := st.Trials(context.Background(), "dedup")
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, tr := range trials {
				if seen[tr.DNAText] {
					t.Fatalf("trial %d repeats %s", tr.Number, tr.DNAText)
				}
				seen[tr.DNAText] = true
			}
			if len(trials) != 72 {
				t.Fatalf("%d trials, want 72", len(trials))
			}
		})
	}
}

// TestDedupSharedStudy: three runners sharing a study, each with its own
// Dedup of TPE, together try each of the 72 programs once.
func TestDedupSharedStudy(t *testing.T) {
	cfg, err := ParseConfig(configRegistryWithSpace(t), "d.yaml", []byte(dedupSpace+"algorithm: {name: tpe, dedup: true}\n"))
	if err != nil {
		t.Fatal(err)
	}
	st := NewMemStore()
	ctx := context.Background()
	errs := make(chan error, 3)
	for w := range 3 {
		j, err := cfg.Job("d.yaml", testBuiltins())
		if err != nil {
			t.Fatal(err)
		}
		j.Objective = func(ctx context.Context, tr *Trial[symbolic.Value]) (Metrics, error) {
			w, _ := symbolic.GetPath(tr.Program, "width")
			return Metrics{"loss": float64(w.(symbolic.Int))}, nil
		}
		j.Options.Worker = "w" + string(rune('0'+w))
		go func() {
			_, err := j.Run(ctx, st, nil)
			errs <- err
		}()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	trials, err := st.Trials(ctx, "dedup")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, tr := range trials {
		if tr.State != Completed || seen[tr.DNAText] {
			t.Fatalf("trial %d: %s, %s (seen before: %v)", tr.Number, tr.State, tr.DNAText, seen[tr.DNAText])
		}
		seen[tr.DNAText] = true
	}
	if len(seen) != 72 {
		t.Fatalf("%d distinct trials, want 72", len(seen))
	}
}
