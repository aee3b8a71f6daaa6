package space

import "github.com/c2602f9e/goglove/symbolic"

// Decisions returns what d decides, as a mapping from each active
// decision's ID to its value, depth first: a OneOf's chosen candidate
// (as written in the space; a ChooseFunc candidate is "func#i"), a
// ManyOf's or a Permutation's chosen candidates as a list, in program
// order, an Int's or a Float's number. Decisions inside a chosen
// candidate follow the choice, under their own IDs (opt[0].lr). It is
// the program a store records for a space whose programs are not
// symbolic trees (a define-by-run space of Go values). d must be valid
// for s; decisions it lacks are left out.
func (s *DNASpec) Decisions(d DNA) *symbolic.Dict {
	out := symbolic.NewDict(len(s.Points))
	addDecisions(out, s.Points, d.Children)
	return out
}

func addDecisions(out *symbolic.Dict, points []*DecisionPoint, ds []DNA) {
	for i, p := range points {
		if i >= len(ds) {
			return
		}
		d := ds[i]
		switch p.Kind {
		case KindOneOf:
			c := candidateOf(p, d)
			if c == nil {
				continue
			}
			out.Set(p.ID, symbolic.Clone(c.Value))
			addDecisions(out, c.Points, d.Children)
		case KindManyOf, KindPermutation:
			l := symbolic.NewList()
			for _, slot := range d.Children {
				if c := candidateOf(p, slot); c != nil {
					l.Append(symbolic.Clone(c.Value))
				}
			}
			out.Set(p.ID, l)
			for _, slot := range d.Children {
				if c := candidateOf(p, slot); c != nil {
					addDecisions(out, c.Points, slot.Children)
				}
			}
		case KindInt:
			out.Set(p.ID, symbolic.Int(int64(d.Value)))
		default:
			out.Set(p.ID, symbolic.Float(d.Value))
		}
	}
}
