package space

import (
	"math"
	"strconv"
)

// Validate reports whether d is a valid DNA of s: one decision per point,
// indices in range, ManyOf and Permutation constraints met, numbers within
// bounds (and integral for Int). The error names the decision point.
func (s *DNASpec) Validate(d DNA) error {
	if d.Value != 0 {
		return &Error{Msg: "DNA root has value " + fmtNum(d.Value) + ", want 0 (decisions are its children)", Err: ErrInvalidDNA}
	}
	return validatePoints(s.Points, d.Children)
}

func invalid(p *DecisionPoint, msg string) error {
	return &Error{Msg: "DNA for " + p.ID + ": " + msg, Err: ErrInvalidDNA}
}

func validatePoints(points []*DecisionPoint, ds []DNA) error {
	if len(ds) != len(points) {
		what := "the top level"
		if len(points) > 0 && points[0].parent != nil {
			what = "the candidate holding " + points[0].ID
		}
		return &Error{Msg: "DNA has " + strconv.Itoa(len(ds)) + " decisions for " + what + ", want " + strconv.Itoa(len(points)), Err: ErrInvalidDNA}
	}
	for i, p := range points {
		if err := validatePoint(p, ds[i]); err != nil {
			return err
		}
	}
	return nil
}

func validateSlot(p *DecisionPoint, d DNA) error {
	c := candidateOf(p, d)
	if c == nil {
		return invalid(p, "index "+fmtNum(d.Value)+" out of range [0, "+strconv.Itoa(len(p.Candidates))+")")
	}
	if len(c.Points) == 0 && len(d.Children) > 0 {
		return invalid(p, "candidate "+fmtNum(d.Value)+" has no inner decisions, got "+strconv.Itoa(len(d.Children)))
	}
	return validatePoints(c.Points, d.Children)
}

func validatePoint(p *DecisionPoint, d DNA) error {
	switch p.Kind {
	case KindOneOf:
		return validateSlot(p, d)
	case KindManyOf, KindPermutation:
		if len(d.Children) != p.K {
			return invalid(p, strconv.Itoa(len(d.Children))+" choices, want "+strconv.Itoa(p.K))
		}
		if d.Value != 0 {
			return invalid(p, "value "+fmtNum(d.Value)+" on a "+p.Kind.String()+", want 0 (its choices are its children)")
		}
		var seen []bool
		if p.Distinct || p.Kind == KindPermutation {
			seen = make([]bool, len(p.Candidates))
		}
		for j, slot := range d.Children {
			if err := validateSlot(p, slot); err != nil {
				return err
			}
			idx := int(slot.Value)
			if seen != nil {
				if seen[idx] {
					return invalid(p, "candidate "+strconv.Itoa(idx)+" chosen twice, want distinct choices")
				}
				seen[idx] = true
			}
			if p.Sorted && j > 0 && slot.Value < d.Children[j-1].Value {
				return invalid(p, "indices not sorted: "+fmtNum(d.Children[j-1].Value)+" before "+fmtNum(slot.Value))
			}
		}
	case KindFloat, KindInt:
		v := d.Value
		if math.IsNaN(v) || v < p.Min || v > p.Max {
			return invalid(p, "value "+fmtNum(v)+" out of bounds ["+fmtNum(p.Min)+", "+fmtNum(p.Max)+"]")
		}
		if p.Kind == KindInt && v != math.Trunc(v) {
			return invalid(p, "value "+fmtNum(v)+" is not an integer")
		}
		if len(d.Children) != 0 {
			return invalid(p, "a number has no inner decisions")
		}
	}
	return nil
}
