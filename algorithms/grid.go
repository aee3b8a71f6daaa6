package algorithms

import (
	"context"
	"fmt"
	"math"

	"github.com/c2602f9e/goglove/space"
)

// Grid is grid search: it proposes every DNA of a finite space once, in
// the grid order of DNASpec.Grid (an odometer over the numbers form, the
// last decision turning fastest), then returns ErrDone. It keeps only the
// current DNA, never the whole space, so spaces far too large to list
// are fine (it simply does not finish them). Setup fails on a continuous
// space. Grid ignores feedback.
//
// Trial n is the n-th DNA in grid order (from 0), and draw k of it the
// (n+k)-th (see TrialProposer): workers sharing a study each propose the
// next trial's DNA, and together they walk the grid once. Moving forward
// costs one step of the odometer per DNA passed; moving back starts
// again from the first.
//
// A Grid is not safe for concurrent use.
type Grid struct {
	spec *space.DNASpec
	cur  space.DNA
	pos  int // cur is the pos-th DNA; -1: cur is spent, start again
	end  int // the number of DNA, when known and an int; else -1
	next int // the trial Propose proposes for
}

var _ TrialProposer = (*Grid)(nil)

// Setup prepares g for spec and rewinds it to the first DNA. It returns an
// error wrapping space.ErrNotFinite when the space has a Float decision.
func (g *Grid) Setup(spec *space.DNASpec) error {
	if spec == nil {
		return errNilSpec("grid")
	}
	if _, ok := spec.Size(); !ok {
		id := ""
		for _, p := range spec.All() {
			if p.Kind == space.KindFloat {
				id = p.ID
				break
			}
		}
		return fmt.Errorf("algorithms: grid: %w: the float decision %s has infinitely many values (use another algorithm, e.g. random search)", space.ErrNotFinite, id)
	}
	g.spec = spec
	g.pos, g.end, g.next = -1, -1, 0
	if n, _ := spec.Size(); n.IsInt64() && n.Int64() <= math.MaxInt {
		g.end = int(n.Int64())
	}
	return nil
}

// Propose returns the next DNA in grid order, or ErrDone once every DNA
// has been proposed.
func (g *Grid) Propose(ctx context.Context) (space.DNA, error) {
	return g.ProposeTrial(ctx, g.next, 0)
}

// ProposeTrial returns the (trial+draw)-th DNA in grid order, or ErrDone
// past the last.
func (g *Grid) ProposeTrial(ctx context.Context, trial, draw int) (space.DNA, error) {
	if g.spec == nil {
		return space.DNA{}, errNotSetUp("grid")
	}
	if err := checkTrial("grid", trial, draw); err != nil {
		return space.DNA{}, err
	}
	g.next = trial + 1
	target := trial + draw
	if target < 0 || g.end >= 0 && target >= g.end {
		return space.DNA{}, ErrDone // target < 0: trial+draw overflowed
	}
	if g.pos < 0 || target < g.pos {
		g.cur = space.DNA{Children: firstPoints(g.spec.Points)}
		g.pos = 0
	}
	for g.pos < target {
		if !advancePoints(g.spec.Points, g.cur.Children) {
			g.pos, g.end = -1, g.pos+1
			return space.DNA{}, ErrDone
		}
		g.pos++
	}
	return g.cur.Clone(), nil
}

// Feedback does nothing: grid search does not learn.
func (g *Grid) Feedback(Result) {}

// The odometer. firstX returns the first decisions in grid order;
// advanceX moves decisions in place to the next ones and reports false,
// leaving them unspecified, when they were the last. A choice's slots and
// a candidate's inner decisions are digits like any other, so advancing
// a choice first advances the decisions inside its last slot.

func firstPoints(points []*space.DecisionPoint) []space.DNA {
	if len(points) == 0 {
		return nil
	}
	out := make([]space.DNA, len(points))
	for i, p := range points {
		out[i] = firstPoint(p)
	}
	return out
}

func firstSlot(p *space.DecisionPoint, i int) space.DNA {
	return space.DNA{Value: float64(i), Children: firstPoints(p.Candidates[i].Points)}
}

func firstPoint(p *space.DecisionPoint) space.DNA {
	switch p.Kind {
	case space.KindOneOf:
		return firstSlot(p, 0)
	case space.KindManyOf, space.KindPermutation:
		d := space.DNA{Children: make([]space.DNA, p.K)}
		fillSlots(p, d.Children, 0) // always possible: the space was validated
		return d
	}
	return space.DNA{Value: p.Min}
}

func advancePoints(points []*space.DecisionPoint, ds []space.DNA) bool {
	for i := len(points) - 1; i >= 0; i-- {
		if advancePoint(points[i], &ds[i]) {
			for j := i + 1; j < len(points); j++ {
				ds[j] = firstPoint(points[j])
			}
			return true
		}
	}
	return false
}

func advancePoint(p *space.DecisionPoint, d *space.DNA) bool {
	switch p.Kind {
	case space.KindOneOf:
		i := int(d.Value)
		if advancePoints(p.Candidates[i].Points, d.Children) {
			return true
		}
		if i+1 < len(p.Candidates) {
			*d = firstSlot(p, i+1)
			return true
		}
		return false
	case space.KindManyOf, space.KindPermutation:
		return advanceSlots(p, d.Children)
	}
	if d.Value < p.Max {
		d.Value++
		return true
	}
	return false
}

// advanceSlots advances the slots of a ManyOf or a Permutation: the
// digits are, in order, each slot's index then the decisions inside its
// candidate.
func advanceSlots(p *space.DecisionPoint, slots []space.DNA) bool {
	for j := len(slots) - 1; j >= 0; j-- {
		i := int(slots[j].Value)
		if advancePoints(p.Candidates[i].Points, slots[j].Children) {
			fillSlots(p, slots, j+1) // the indices before j+1 are unchanged
			return true
		}
		for next := i + 1; next < len(p.Candidates); next++ {
			if !slotAllowed(p, slots[:j], next) {
				continue
			}
			slots[j] = firstSlot(p, next)
			if fillSlots(p, slots, j+1) {
				return true
			}
		}
	}
	return false
}

// fillSlots sets slots[from:] to their first values given slots[:from],
// the smallest allowed index in each; it reports false when the
// constraints leave no index for some slot.
func fillSlots(p *space.DecisionPoint, slots []space.DNA, from int) bool {
	for j := from; j < len(slots); j++ {
		found := false
		for i := range p.Candidates {
			if slotAllowed(p, slots[:j], i) {
				slots[j] = firstSlot(p, i)
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// slotAllowed reports whether index i may follow the slots before it:
// not already chosen when the choice is distinct, not below the previous
// index when it is sorted.
func slotAllowed(p *space.DecisionPoint, before []space.DNA, i int) bool {
	if p.Sorted && len(before) > 0 && float64(i) < before[len(before)-1].Value {
		return false
	}
	if p.Distinct {
		for _, s := range before {
			if int(s.Value) == i {
				return false
			}
		}
	}
	return true
}
