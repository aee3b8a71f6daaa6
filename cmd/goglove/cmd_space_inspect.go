package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/spf13/cobra"
)

// spaceInspectOptions are the flags of "goglove space inspect". The zero
// value prints text.
type spaceInspectOptions struct {
	// JSON prints one JSON object instead of text.
	JSON bool
}

const spaceInspectUsage = "goglove space inspect [--json] FILE"

func newSpaceInspectCmd() *cobra.Command {
	var opts spaceInspectOptions
	cmd := &cobra.Command{
		Use:   "inspect [flags] FILE",
		Short: "List the decision points, the size and the effective layer fields of a space",
		Long: `Inspect lists the decision points of the space in FILE, depth first, one a
line, each indented under the choice whose candidate holds it, followed
by its hints in parentheses; then a line gives the size of the space,
the number of distinct programs it holds, or "continuous" when it has a
!float decision:

    activation: oneof of 3 (hints: arch)
    optimizer: oneof of 2 (hints: training)
      optimizer[0].momentum: oneof of 3 (hints: training)
    size: 18

When a trainer.Sequential in FILE has layer fields left empty, which take
the model's field of the same name (model.activation, model.init), a
last section lists each with the value it takes: the model's value, or
the hyper-value that searches it. A layer inside a candidate of a choice
is named as decision points are, by the choice's ID and the candidate's
index:

    effective layer fields:
      space.model.layers[0].init: glorot_uniform (from space.model.init)
      space.model.layers[1][1].activation: !oneof [relu, gelu] (from space.model.activation)

With --json it prints one JSON object:

    {"size": 18, "decision_points": [{"id": ..., "name": ..., "kind": ..., "hints": [...], ...}, ...],
     "effective": [{"path": ..., "value": ..., "from": ...}, ...]}

size is a JSON integer when it fits in 64 bits, else a string of decimal
digits, or the string "continuous". decision_points lists every point
depth first; each has id, name ("" when unnamed), kind (oneof, manyof,
permutation, float or int) and hints, then by kind: candidates (the
number of candidates of a choice), k (the number chosen, for manyof and
permutation), distinct and sorted (manyof), min, max and scale ("linear"
or "log", for float and int). A point inside a candidate also has parent
(the ID of the choice) and candidate (the candidate's index). effective
lists the layer fields left empty, in the order of the text form (an
empty list when there are none): path (the field's key path), value (the
value it takes, in YAML flow form) and from (the key path of the model's
field).`,
		Example: `  goglove space inspect experiments/configs/space-example.yaml
  goglove space inspect space.yaml --json | jq .size`,
		Args: cobra.ArbitraryArgs, // runSpaceInspect checks the arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSpaceInspect(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print one JSON object instead of text")
	return cmd
}

// runSpaceInspect prints the decision points and the size of the space
// named by args[0].
func runSpaceInspect(_ context.Context, opts spaceInspectOptions, args []string, stdout, _ io.Writer) error {
	if err := checkArgCount("space inspect", args, 1, spaceInspectUsage); err != nil {
		return err
	}
	s, err := loadSpace(newRegistry(), args[0])
	if err != nil {
		return err
	}
	effective := trainer.Inherited(s.Tree())
	if opts.JSON {
		return printSpaceJSON(stdout, s.Spec(), effective)
	}
	return printSpaceText(stdout, s.Spec(), effective)
}

// printSpaceText writes the text form of inspect: DNASpec.String, then
// the effective layer fields, if any.
func printSpaceText(w io.Writer, spec *space.DNASpec, effective []trainer.Inheritance) error {
	var b strings.Builder
	b.WriteString(spec.String() + "\n")
	if len(effective) > 0 {
		b.WriteString("effective layer fields:\n")
		for _, in := range effective {
			fmt.Fprintf(&b, "  %s: %s (from %s)\n", in.Path, in.Value, in.From)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// spaceJSON is what inspect --json prints; the JSON names are part of the
// command's output format.
type spaceJSON struct {
	Size           json.RawMessage `json:"size"`
	DecisionPoints []pointJSON     `json:"decision_points"`
	Effective      []effectiveJSON `json:"effective"`
}

// effectiveJSON is one layer field left empty in inspect --json, with the
// value it takes in YAML flow form and the model field it comes from.
type effectiveJSON struct {
	Path  string `json:"path"`
	Value string `json:"value"`
	From  string `json:"from"`
}

// pointJSON is one decision point in inspect --json. Fields that do not
// apply to the point's kind are left out.
type pointJSON struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Kind       string   `json:"kind"`
	Hints      []string `json:"hints"`
	Candidates *int     `json:"candidates,omitempty"` // choices
	K          *int     `json:"k,omitempty"`          // manyof, permutation
	Distinct   *bool    `json:"distinct,omitempty"`   // manyof
	Sorted     *bool    `json:"sorted,omitempty"`     // manyof
	Min        *float64 `json:"min,omitempty"`        // float, int
	Max        *float64 `json:"max,omitempty"`        // float, int
	Scale      string   `json:"scale,omitempty"`      // float, int
	Parent     string   `json:"parent,omitempty"`     // points inside a candidate
	Candidate  *int     `json:"candidate,omitempty"`  // points inside a candidate
}

// printSpaceJSON writes inspect --json.
func printSpaceJSON(w io.Writer, spec *space.DNASpec, effective []trainer.Inheritance) error {
	out := spaceJSON{Size: sizeJSON(spec), DecisionPoints: []pointJSON{}, Effective: []effectiveJSON{}}
	for _, p := range spec.All() {
		out.DecisionPoints = append(out.DecisionPoints, pointToJSON(p))
	}
	for _, in := range effective {
		out.Effective = append(out.Effective, effectiveJSON{Path: in.Path.String(), Value: in.Value.String(), From: in.From.String()})
	}
	return writeJSON(w, out)
}

// sizeJSON returns the size of the space as a JSON integer when it fits in
// an int64, else as a string: its decimal digits, or "continuous".
func sizeJSON(spec *space.DNASpec) json.RawMessage {
	size, finite := spec.Size()
	var v any = "continuous"
	if finite {
		v = size.String()
		if size.IsInt64() {
			v = size.Int64()
		}
	}
	b, _ := json.Marshal(v) // an int64 or a string always marshals
	return b
}

func pointToJSON(p *space.DecisionPoint) pointJSON {
	j := pointJSON{ID: p.ID, Name: p.Name, Kind: p.Kind.String(), Hints: p.Hints}
	if j.Hints == nil {
		j.Hints = []string{}
	}
	switch p.Kind {
	case space.KindOneOf, space.KindManyOf, space.KindPermutation:
		j.Candidates = ptr(len(p.Candidates))
		if p.Kind != space.KindOneOf {
			j.K = ptr(p.K)
		}
		if p.Kind == space.KindManyOf {
			j.Distinct, j.Sorted = ptr(p.Distinct), ptr(p.Sorted)
		}
	case space.KindFloat, space.KindInt:
		j.Min, j.Max, j.Scale = ptr(p.Min), ptr(p.Max), p.Scale.String()
	}
	if parent, i := p.Parent(); parent != nil {
		j.Parent, j.Candidate = parent.ID, ptr(i)
	}
	return j
}

func ptr[T any](v T) *T { return &v }
