package space

import (
	"math"

	"github.com/c2602f9e/goglove/symbolic"
)

// Encode returns the DNA that decodes to program: the inverse of Decode.
// When program is not in the space, the error names the key path (in the
// program) of the first value the space cannot produce.
func (s *Space) Encode(program symbolic.Value) (DNA, error) {
	if s.where != nil {
		return DNA{}, &Error{Msg: "cannot encode with a Filter view; encode with the whole space", Err: ErrNotInSpace}
	}
	children, err := encodePlan(s.plan, s.tree, program, symbolic.KeyPath{})
	if err != nil {
		return DNA{}, err
	}
	d := DNA{Children: children}
	if err := s.spec.Validate(d); err != nil {
		return DNA{}, err
	}
	// The DNA must give back the program itself: an int where the space
	// produces an integral float, say, only shows here.
	back, err := s.decodeValid(d)
	if err != nil {
		return DNA{}, err
	}
	if diffs := symbolic.Diff(back, program); len(diffs) > 0 {
		return DNA{}, notInSpace(diffs[0].Path, "got "+short(diffs[0].New)+", but the space produces "+short(diffs[0].Old)+" here")
	}
	return d, nil
}

func notInSpace(path symbolic.KeyPath, msg string) error {
	return &Error{Path: path, Msg: msg, Err: ErrNotInSpace}
}

// mismatch is notInSpace for a program whose shape or literals differ
// from the space's (rather than a decision no candidate explains).
func mismatch(path symbolic.KeyPath, msg string) error {
	return &Error{Path: path, Msg: msg, Err: ErrNotInSpace, literal: true}
}

// encodePlan matches prog against the template src (compiled as p) and
// returns the decisions found, in order.
func encodePlan(p *plan, src, prog symbolic.Value, path symbolic.KeyPath) ([]DNA, error) {
	if p == nil {
		if !symbolic.Equal(src, prog) {
			return nil, &Error{Path: path, Msg: "got " + short(prog) + ", the space has only " + short(src) + " here",
				Err: ErrNotInSpace, literal: true}
		}
		return nil, nil
	}
	if p.point != nil {
		d, err := encodePoint(p.point, prog, path)
		if err != nil {
			return nil, err
		}
		return []DNA{d}, nil
	}
	var out []DNA
	child := func(i int, s, v symbolic.Value, at symbolic.KeyPath) error {
		ds, err := encodePlan(p.children[i], s, v, at)
		out = append(out, ds...)
		return err
	}
	switch x := p.src.(type) {
	case *symbolic.List:
		y, ok := prog.(*symbolic.List)
		if !ok || y.Len() != x.Len() {
			return nil, mismatch(path, "got "+short(prog)+", want a list of "+itoa(x.Len()))
		}
		for i := range x.Len() {
			if err := child(i, x.At(i), y.At(i), path.Index(i)); err != nil {
				return nil, err
			}
		}
	case *symbolic.Dict:
		y, ok := prog.(*symbolic.Dict)
		if !ok {
			return nil, mismatch(path, "got "+short(prog)+", want a dict")
		}
		for i := range x.Len() {
			if k, _ := x.At(i); !y.Has(k) {
				return nil, mismatch(path.Key(k), "missing: the space has this key")
			}
		}
		for i := range y.Len() {
			if k, _ := y.At(i); !x.Has(k) {
				return nil, mismatch(path.Key(k), "not in the space: it has no such key")
			}
		}
		for i := range x.Len() {
			k, v := x.At(i)
			if k2, _ := y.At(i); k2 != k {
				return nil, mismatch(path, "key "+k2+" where the space has key "+k)
			}
			_, w := y.At(i)
			if err := child(i, v, w, path.Key(k)); err != nil {
				return nil, err
			}
		}
	case *symbolic.Object:
		y, ok := prog.(*symbolic.Object)
		if !ok || y.Type().Name() != x.Type().Name() {
			return nil, mismatch(path, "got "+short(prog)+", want an object of type "+x.Type().Name())
		}
		for i := range x.Len() {
			k, v := x.At(i)
			_, w := y.At(i)
			if err := child(i, v, w, path.Key(k)); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func encodeCandidate(c *Candidate, prog symbolic.Value, path symbolic.KeyPath) (DNA, error) {
	ds, err := encodePlan(c.plan, c.Value, prog, path)
	return DNA{Children: ds}, err
}

func encodePoint(p *DecisionPoint, prog symbolic.Value, path symbolic.KeyPath) (DNA, error) {
	switch p.Kind {
	case KindOneOf:
		// When no candidate matches, report the candidate whose literal
		// parts all matched but a decision below did not: that is the
		// likely intent.
		var deepest error
		depth := path.Len()
		for i, c := range p.Candidates {
			d, err := encodeCandidate(c, prog, path)
			if err == nil {
				d.Value = float64(i)
				return d, nil
			}
			if e, ok := err.(*Error); ok && !e.literal && e.Path.Len() > depth {
				deepest, depth = err, e.Path.Len()
			}
		}
		if deepest != nil {
			return DNA{}, deepest
		}
		return DNA{}, notInSpace(path, short(prog)+" matches no candidate of "+p.Hyper.Tag()+" "+p.ID)
	case KindManyOf, KindPermutation:
		l, ok := prog.(*symbolic.List)
		if !ok || l.Len() != p.K {
			return DNA{}, notInSpace(path, "got "+short(prog)+", want a list of "+itoa(p.K)+" from "+p.Hyper.Tag()+" "+p.ID)
		}
		d := DNA{Children: make([]DNA, p.K)}
		if err := matchItems(p, l, path, d.Children); err != nil {
			return DNA{}, err
		}
		if err := validatePoint(p, d); err != nil {
			return DNA{}, notInSpace(path, err.(*Error).Msg)
		}
		return d, nil
	}
	// The program must hold what the decision produces: a Float decodes to
	// a float; an Int to an int, or to an integral float in a float field.
	var f float64
	switch x := prog.(type) {
	case symbolic.Int:
		if p.Kind != KindInt {
			return DNA{}, notInSpace(path, "got int "+x.String()+", want a float from "+p.Hyper.String())
		}
		f = float64(x)
	case symbolic.Float:
		f = float64(x)
		if p.Kind == KindInt && f != math.Trunc(f) {
			return DNA{}, notInSpace(path, x.String()+" is not an integer, want an int from "+p.Hyper.String())
		}
	default:
		return DNA{}, notInSpace(path, "got "+short(prog)+", want a number from "+p.Hyper.String())
	}
	if math.IsNaN(f) || f < p.Min || f > p.Max {
		return DNA{}, notInSpace(path, short(prog)+" is outside "+p.Hyper.String())
	}
	return DNA{Value: f}, nil
}

// matchItems assigns each item of a ManyOf's or Permutation's list to a
// candidate, backtracking when a greedy choice leaves a later item
// without one (candidates may overlap), and checks distinct and sorted.
func matchItems(p *DecisionPoint, l *symbolic.List, path symbolic.KeyPath, slots []DNA) error {
	n := len(p.Candidates)
	// matches[j] lists the candidates item j can come from, with their DNA.
	type match struct {
		i int
		d DNA
	}
	matches := make([][]match, l.Len())
	for j := range matches {
		for i, c := range p.Candidates {
			if d, err := encodeCandidate(c, l.At(j), path.Index(j)); err == nil {
				d.Value = float64(i)
				matches[j] = append(matches[j], match{i, d})
			}
		}
		if len(matches[j]) == 0 {
			return notInSpace(path.Index(j), short(l.At(j))+" matches no candidate of "+p.Hyper.Tag()+" "+p.ID)
		}
	}
	used := make([]bool, n)
	var rec func(j int) bool
	rec = func(j int) bool {
		if j == len(matches) {
			return true
		}
		for _, m := range matches[j] {
			if p.Distinct && used[m.i] || p.Sorted && j > 0 && float64(m.i) < slots[j-1].Value {
				continue
			}
			used[m.i] = true
			slots[j] = m.d
			if rec(j + 1) {
				return true
			}
			used[m.i] = false
		}
		return false
	}
	if !rec(0) {
		what := "distinct"
		if p.Sorted {
			what = "sorted, distinct"
			if !p.Distinct {
				what = "sorted"
			}
		}
		return notInSpace(path, short(l)+": no assignment of its items to "+what+" candidates of "+p.Hyper.Tag()+" "+p.ID)
	}
	return nil
}

// short describes a value in error messages, cut to a readable length.
func short(v symbolic.Value) string {
	if v == nil {
		return "null"
	}
	s := v.String()
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}
