package space

import "slices"

// Where selects decision points, for Filter.
type Where func(*DecisionPoint) bool

// ByHints selects the decision points having any of the hints.
func ByHints(hints ...string) Where {
	return func(p *DecisionPoint) bool {
		return slices.ContainsFunc(hints, p.HasHint)
	}
}

// ByNames selects the decision points with any of the names.
func ByNames(names ...string) Where {
	return func(p *DecisionPoint) bool { return slices.Contains(names, p.Name) }
}

// Not selects the points w does not select.
func Not(w Where) Where { return func(p *DecisionPoint) bool { return !w(p) } }

// Filter returns a view of s that decides only the points where selects
// (and, inside their candidates, the points it selects there): its
// DNASpec holds just those, and its Decode leaves every other hyper-value
// in place, so the program it returns is itself a space. This is how a
// nested search splits one space: the outer search decides
// s.Filter(ByHints("hardware")), and each of its programs, compiled with
// New, is the inner search's space.
func (s *Space) Filter(where Where) *Space {
	base := s
	if s.parent != nil {
		// A view of a view selects what both select.
		base = s.parent
		outer, inner := s.where, where
		where = func(p *DecisionPoint) bool { return outer(p) && inner(p) }
	}
	spec := &DNASpec{byID: map[string]*DecisionPoint{}}
	spec.Points = filterPoints(spec, base.spec.Points, where)
	spec.size = sizeOf(spec.Points)
	return &Space{tree: base.tree, spec: spec, plan: base.plan, where: where, parent: base}
}

// filterPoints copies the selected points, with their candidates' points
// filtered likewise. The copies keep the originals' identity for decoding
// through where, which is called with the original points.
func filterPoints(spec *DNASpec, points []*DecisionPoint, where Where) []*DecisionPoint {
	var out []*DecisionPoint
	for _, p := range points {
		if !where(p) {
			continue
		}
		q := *p
		q.index = len(spec.all)
		spec.all = append(spec.all, &q)
		if _, dup := spec.byID[q.ID]; !dup {
			spec.byID[q.ID] = &q
		}
		if len(p.Candidates) > 0 {
			q.Candidates = make([]*Candidate, len(p.Candidates))
			for i, c := range p.Candidates {
				cc := *c
				cc.owner = &q
				cc.Points = filterPoints(spec, c.Points, where)
				q.Candidates[i] = &cc
			}
		}
		out = append(out, &q)
	}
	return out
}
