package main

import (
	"context"
	"encoding/json"
	"io"

	"github.com/c2602f9e/goglove/space"
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
		Short: "List the decision points and the size of a space",
		Long: `Inspect lists the decision points of the space in FILE, depth first, one a
line, each indented under the choice whose candidate holds it, followed
by its hints in parentheses; the last line is the size of the space, the
number of distinct programs it holds, or "continuous" when it has a
!float decision:

    activation: oneof of 3 (hints: arch)
    optimizer: oneof of 2 (hints: training)
      optimizer[0].momentum: oneof of 3 (hints: training)
    size: 18

With --json it prints one JSON object:

    {"size": 18, "decision_points": [{"id": ..., "name": ..., "kind": ..., "hints": [...], ...}, ...]}

size is a JSON integer when it fits in 64 bits, else a string of decimal
digits, or the string "continuous". decision_points lists every point
depth first; each has id, name ("" when unnamed), kind (oneof, manyof,
permutation, float or int) and hints, then by kind: candidates (the
number of candidates of a choice), k (the number chosen, for manyof and
permutation), distinct and sorted (manyof), min, max and scale ("linear"
or "log", for float and int). A point inside a candidate also has parent
(the ID of the choice) and candidate (the candidate's index).`,
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
	if opts.JSON {
		return printSpaceJSON(stdout, s.Spec())
	}
	return printSpaceText(stdout, s.Spec())
}

// printSpaceText writes the text form of inspect, DNASpec.String.
func printSpaceText(w io.Writer, spec *space.DNASpec) error {
	_, err := io.WriteString(w, spec.String()+"\n")
	return err
}

// spaceJSON is what inspect --json prints; the JSON names are part of the
// command's output format.
type spaceJSON struct {
	Size           json.RawMessage `json:"size"`
	DecisionPoints []pointJSON     `json:"decision_points"`
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
func printSpaceJSON(w io.Writer, spec *space.DNASpec) error {
	out := spaceJSON{Size: sizeJSON(spec), DecisionPoints: []pointJSON{}}
	for _, p := range spec.All() {
		out.DecisionPoints = append(out.DecisionPoints, pointToJSON(p))
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
