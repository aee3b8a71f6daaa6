package space

import (
	"iter"
)

// Grid iterates over every DNA of a finite space in grid order: like an
// odometer over the numbers form, the last decision turning fastest,
// candidates in index order, ManyOf and Permutation choices in
// lexicographic order of their indices. It returns ErrNotFinite for a
// continuous space. The order is stable across runs and releases.
func (s *DNASpec) Grid() (iter.Seq[DNA], error) {
	if s.size == nil {
		return nil, &Error{Msg: "cannot enumerate a continuous space (it has a Float decision)", Err: ErrNotFinite}
	}
	return func(yield func(DNA) bool) {
		gridPoints(s.Points, func(ds []DNA) bool {
			return yield(DNA{Children: cloneDNAs(ds)})
		})
	}, nil
}

func cloneDNAs(ds []DNA) []DNA {
	if len(ds) == 0 {
		return nil
	}
	out := make([]DNA, len(ds))
	for i, d := range ds {
		out[i] = d.Clone()
	}
	return out
}

// gridPoints calls yield with every combination of decisions for points;
// the slice is reused between calls. It returns false when yield stopped.
func gridPoints(points []*DecisionPoint, yield func([]DNA) bool) bool {
	buf := make([]DNA, len(points))
	var rec func(i int) bool
	rec = func(i int) bool {
		if i == len(points) {
			return yield(buf)
		}
		return gridPoint(points[i], func(d DNA) bool {
			buf[i] = d
			return rec(i + 1)
		})
	}
	return rec(0)
}

func gridSlot(p *DecisionPoint, idx int, yield func(DNA) bool) bool {
	return gridPoints(p.Candidates[idx].Points, func(ds []DNA) bool {
		return yield(DNA{Value: float64(idx), Children: cloneDNAs(ds)})
	})
}

func gridPoint(p *DecisionPoint, yield func(DNA) bool) bool {
	switch p.Kind {
	case KindOneOf:
		for i := range p.Candidates {
			if !gridSlot(p, i, yield) {
				return false
			}
		}
		return true
	case KindInt:
		// Count in int64: a float64 counter cannot pass 2^53.
		for v := int64(p.Min); v <= int64(p.Max); v++ {
			if !yield(DNA{Value: float64(v)}) {
				return false
			}
		}
		return true
	}
	// ManyOf and Permutation: slot by slot, each slot's index (subject to
	// distinct and sorted) and then the decisions inside that candidate,
	// so the order is lexicographic over the numbers form.
	n := len(p.Candidates)
	slots := make([]DNA, p.K)
	used := make([]bool, n)
	var rec func(j int) bool
	rec = func(j int) bool {
		if j == p.K {
			return yield(DNA{Children: cloneDNAs(slots)})
		}
		start := 0
		if p.Sorted && j > 0 {
			start = int(slots[j-1].Value)
		}
		for i := start; i < n; i++ {
			if p.Distinct && used[i] {
				continue
			}
			used[i] = true
			ok := gridSlot(p, i, func(d DNA) bool {
				slots[j] = d
				return rec(j + 1)
			})
			used[i] = false
			if !ok {
				return false
			}
		}
		return true
	}
	return rec(0)
}
