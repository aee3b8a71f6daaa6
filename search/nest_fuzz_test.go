package search

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// FuzzNestedConfig feeds untrusted nested configs (an inner search as the
// objective, !outer references in it) through ParseConfig, Config.Job
// and the resolving of the inner config for programs of the outer space,
// as goglove search and each outer trial do: nothing may panic, every
// error is one line and bad input, and a config kept in a study decodes
// back to itself.
//
//	go test ./search -run '^$' -fuzz '^FuzzNestedConfig$' -fuzztime 60s
func FuzzNestedConfig(f *testing.F) {
	f.Add([]byte(nestedConfig))
	f.Add([]byte(strings.Replace(nestedConfig, "!outer hw.scale", "!outer hw", 1)))
	f.Add([]byte(strings.Replace(nestedConfig, "!outer hw.bound", "!outer hw.bound[0]", 1)))
	f.Add([]byte("study: s\nspace: {a: !oneof [1, 2]}\nobjective:\n  metrics: {loss: minimize}\n  search: {study: i, space: {x: !int {min: 0, max: 3}, scale: !outer a}, objective: {builtin: test.loss, metrics: {loss: minimize}}}\n"))
	reg := nestedRegistry(f)
	builtins := nestedBuiltins()
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(reg, "n.yaml", data)
		var j *Job
		if err == nil {
			j, err = cfg.Job("n.yaml", builtins)
		}
		if err == nil && cfg.Objective.Search != nil && cfg.Objective.Search.Kind() != symbolic.KindNull {
			rng := rand.New(rand.NewPCG(5, 5))
			for range 3 {
				prog, derr := j.Space.Decode(j.Space.Spec().Random(rng))
				if derr != nil {
					t.Fatalf("a program of a checked space does not decode: %v", derr)
				}
				if _, err = cfg.innerJob("n.yaml", builtins, prog, cfg.firstSeed()); err != nil {
					break
				}
			}
		}
		if err == nil {
			back, berr := ConfigFromStudy(reg, StudyInfo{Name: cfg.Study, Config: cfg.Tree()})
			if berr != nil {
				t.Fatalf("the kept config of a valid one is refused: %v", berr)
			}
			if !symbolic.Equal(back.Tree(), cfg.Tree()) {
				t.Fatalf("the kept config decodes to %v, want %v", back.Tree(), cfg.Tree())
			}
			return
		}
		var se *symbolic.Error
		var spe *space.Error
		if !errors.As(err, &se) && !errors.As(err, &spe) {
			t.Fatalf("error %v (%T) is not bad input", err, err)
		}
		if strings.ContainsAny(err.Error(), "\n\r") {
			t.Fatalf("error spans lines: %q", err.Error())
		}
	})
}
