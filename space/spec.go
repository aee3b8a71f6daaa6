package space

import (
	"math/big"
	"strings"

	"github.com/c2602f9e/goglove/symbolic"
)

// DNASpec is the genotype of a space, the only view search algorithms
// have of it: the tree of decision points. It is immutable and safe for
// concurrent use.
type DNASpec struct {
	// Points are the top-level decision points in template order (depth
	// first, in key order: document order for YAML).
	Points []*DecisionPoint

	all  []*DecisionPoint // every point, depth first
	byID map[string]*DecisionPoint
	size *big.Int // nil when some decision is a Float
}

// DecisionPoint is one decision of a space.
type DecisionPoint struct {
	// ID is the key path of the hyper-value in the space. Inside a
	// candidate, the candidate's index is written as a list index: the
	// decision m inside candidate 0 of the choice at opt is opt[0].m.
	ID string
	// Name and Hints are the hyper-value's optional name and tags.
	Name  string
	Hints []string
	// Kind is the kind of decision.
	Kind Kind
	// Candidates are the candidates of a choice, with the decision points
	// inside each.
	Candidates []*Candidate
	// K is the number of candidates chosen: 1 for OneOf, k for ManyOf and
	// n for Permutation.
	K int
	// Distinct and Sorted constrain a ManyOf's choices.
	Distinct, Sorted bool
	// Min, Max and Scale bound a Float or an Int.
	Min, Max float64
	Scale    Scale
	// Hyper is the hyper-value itself.
	Hyper Hyper

	index  int // position in DNASpec.all
	parent *Candidate
}

// Candidate is one candidate of a choice.
type Candidate struct {
	// Value is the candidate as written; it may contain hyper-values.
	Value symbolic.Value
	// Points are the decision points inside Value, in order.
	Points []*DecisionPoint

	plan  *plan
	owner *DecisionPoint
}

// All returns every decision point, depth first (a choice before the
// points inside its candidates). The slice must not be modified.
func (s *DNASpec) All() []*DecisionPoint { return s.all }

// Lookup returns the decision point with the given ID.
func (s *DNASpec) Lookup(id string) (*DecisionPoint, bool) {
	p, ok := s.byID[id]
	return p, ok
}

// Size returns the number of distinct programs of a finite space, and
// false when the space is continuous (it has a Float decision).
func (s *DNASpec) Size() (*big.Int, bool) {
	if s.size == nil {
		return nil, false
	}
	return new(big.Int).Set(s.size), true
}

// SizeString returns the size in decimal, or "continuous".
func (s *DNASpec) SizeString() string {
	if s.size == nil {
		return "continuous"
	}
	return s.size.String()
}

// Parent returns the choice and candidate index whose candidate holds p,
// or nil and -1 for a top-level point.
func (p *DecisionPoint) Parent() (*DecisionPoint, int) {
	if p.parent == nil {
		return nil, -1
	}
	for i, c := range p.parent.owner.Candidates {
		if c == p.parent {
			return p.parent.owner, i
		}
	}
	return nil, -1
}

// HasHint reports whether the point has the hint h.
func (p *DecisionPoint) HasHint(h string) bool {
	for _, x := range p.Hints {
		if x == h {
			return true
		}
	}
	return false
}

// String describes the point on one line, e.g. "opt: oneof of 2" or
// "lr (name lr): float in [0.0001, 0.1] log".
func (p *DecisionPoint) String() string {
	var b strings.Builder
	b.WriteString(p.ID)
	if p.Name != "" && !strings.HasSuffix(p.ID, "."+p.Name) && p.ID != p.Name {
		b.WriteString(" (name " + p.Name + ")")
	}
	b.WriteString(": ")
	b.WriteString(p.Kind.String())
	switch p.Kind {
	case KindOneOf, KindPermutation:
		b.WriteString(" of " + itoa(len(p.Candidates)))
	case KindManyOf:
		b.WriteString(" " + itoa(p.K) + " of " + itoa(len(p.Candidates)))
		if !p.Distinct {
			b.WriteString(" with repeats")
		}
		if p.Sorted {
			b.WriteString(" sorted")
		}
	case KindFloat, KindInt:
		b.WriteString(" in [" + fmtNum(p.Min) + ", " + fmtNum(p.Max) + "]")
		if p.Scale == Log {
			b.WriteString(" log")
		}
	}
	return b.String()
}

// String describes the space as goglove space inspect prints it: one line
// per decision point, depth first, each indented two spaces per choice
// enclosing it and followed by its hints, then the size:
//
//	activation: oneof of 3 (hints: arch)
//	optimizer: oneof of 2
//	  optimizer[0].momentum: oneof of 3
//	size: 18
//
// A space without decisions is "no decision points" and "size: 1". The
// lines are separated, not ended, by newlines.
func (s *DNASpec) String() string {
	var b strings.Builder
	if len(s.Points) == 0 {
		b.WriteString("no decision points\n")
	}
	writePoints(&b, s.Points, 0)
	b.WriteString("size: " + s.SizeString())
	return b.String()
}

func writePoints(b *strings.Builder, points []*DecisionPoint, depth int) {
	for _, p := range points {
		for range depth {
			b.WriteString("  ")
		}
		b.WriteString(p.String())
		if len(p.Hints) > 0 {
			b.WriteString(" (hints: " + strings.Join(p.Hints, ", ") + ")")
		}
		b.WriteByte('\n')
		for _, c := range p.Candidates {
			writePoints(b, c.Points, depth+1)
		}
	}
}
