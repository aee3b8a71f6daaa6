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
	return d, nil
}

func notInSpace(path symbolic.KeyPath, msg string) error {
	return &Error{Path: path, Msg: msg, Err: ErrNotInSpace}
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
			return nil, notInSpace(path, "got "+short(prog)+", want a list of "+itoa(x.Len()))
		}
		for i := range x.Len() {
			if err := child(i, x.At(i), y.At(i), path.Index(i)); err != nil {
				return nil, err
			}
		}
	case *symbolic.Dict:
		y, ok := prog.(*symbolic.Dict)
		if !ok || y.Len() != x.Len() {
			return nil, notInSpace(path, "got "+short(prog)+", want a dict of "+itoa(x.Len())+" keys")
		}
		for i := range x.Len() {
			k, v := x.At(i)
			if k2, _ := y.At(i); k2 != k {
				return nil, notInSpace(path, "key "+k2+" where the space has key "+k)
			}
			_, w := y.At(i)
			if err := child(i, v, w, path.Key(k)); err != nil {
				return nil, err
			}
		}
	case *symbolic.Object:
		y, ok := prog.(*symbolic.Object)
		if !ok || y.Type().Name() != x.Type().Name() {
			return nil, notInSpace(path, "got "+short(prog)+", want an object of type "+x.Type().Name())
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
		used := make([]bool, len(p.Candidates))
		d := DNA{Children: make([]DNA, p.K)}
		for j := range p.K {
			item := l.At(j)
			found := false
			for i, c := range p.Candidates {
				if p.Distinct && used[i] {
					continue
				}
				slot, err := encodeCandidate(c, item, path.Index(j))
				if err == nil {
					slot.Value = float64(i)
					d.Children[j] = slot
					used[i], found = true, true
					break
				}
			}
			if !found {
				return DNA{}, notInSpace(path.Index(j), short(item)+" matches no (unused) candidate of "+p.Hyper.Tag()+" "+p.ID)
			}
		}
		if err := validatePoint(p, d); err != nil {
			return DNA{}, notInSpace(path, err.(*Error).Msg)
		}
		return d, nil
	}
	var f float64
	switch x := prog.(type) {
	case symbolic.Int:
		f = float64(x)
	case symbolic.Float:
		f = float64(x)
	default:
		return DNA{}, notInSpace(path, "got "+short(prog)+", want a number from "+p.Hyper.Tag()+" "+p.ID)
	}
	if math.IsNaN(f) || f < p.Min || f > p.Max || p.Kind == KindInt && f != math.Trunc(f) {
		return DNA{}, notInSpace(path, short(prog)+" is outside "+p.Hyper.String())
	}
	return DNA{Value: f}, nil
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
