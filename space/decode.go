package space

import (
	"github.com/c2602f9e/goglove/symbolic"
)

// Decode returns the program d selects: the space's tree with every
// hyper-value replaced by its decision. Only the chosen path is walked;
// parts of the tree without hyper-values are cloned, so the program shares
// nothing with the space. Objects are rebuilt through their registered
// type, so their schema and OnBound hooks check the result.
//
// For a Filter view, only the view's decisions are made; the other
// hyper-values stay, and the result is itself a space.
func (s *Space) Decode(d DNA) (symbolic.Value, error) {
	if err := s.spec.Validate(d); err != nil {
		return nil, err
	}
	return s.decodeValid(d)
}

// decodeValid decodes a DNA already validated.
func (s *Space) decodeValid(d DNA) (symbolic.Value, error) {
	if s.plan == nil {
		return symbolic.Clone(s.tree), nil
	}
	pos := 0
	return s.decodePlan(s.plan, d.Children, &pos)
}

func (s *Space) decodePlan(p *plan, ds []DNA, pos *int) (symbolic.Value, error) {
	if p == nil {
		return nil, nil // the caller clones the literal
	}
	if p.point != nil {
		if s.where != nil && !s.where(p.point) {
			return p.src, nil // undecided: the hyper-value stays (it is immutable)
		}
		d := ds[*pos]
		*pos++
		return s.decodePoint(p.point, d)
	}
	item := func(i int, v symbolic.Value) (symbolic.Value, error) {
		if p.children[i] == nil {
			return symbolic.Clone(v), nil
		}
		out, err := s.decodePlan(p.children[i], ds, pos)
		if err != nil {
			return nil, prefixError(stepOf(p.src, i), err)
		}
		return out, nil
	}
	switch x := p.src.(type) {
	case *symbolic.List:
		items := make([]symbolic.Value, x.Len())
		for i := range items {
			v, err := item(i, x.At(i))
			if err != nil {
				return nil, err
			}
			items[i] = v
		}
		return symbolic.NewList(items...), nil
	case *symbolic.Dict:
		out := symbolic.NewDict(x.Len())
		for i := range x.Len() {
			k, v := x.At(i)
			nv, err := item(i, v)
			if err != nil {
				return nil, err
			}
			out.Set(k, nv)
		}
		return out, nil
	case *symbolic.Object:
		fields := make([]symbolic.Value, x.Len())
		for i := range fields {
			_, v := x.At(i)
			nv, err := item(i, v)
			if err != nil {
				return nil, err
			}
			fields[i] = nv
		}
		o, err := x.Type().NewFromFields(fields)
		if err != nil {
			return nil, err
		}
		return o, nil
	}
	return symbolic.Clone(p.src), nil
}

func (s *Space) decodePoint(p *DecisionPoint, d DNA) (symbolic.Value, error) {
	switch p.Kind {
	case KindOneOf:
		return s.decodeCandidate(p.Candidates[int(d.Value)], d.Children)
	case KindManyOf, KindPermutation:
		items := make([]symbolic.Value, len(d.Children))
		for i, slot := range d.Children {
			v, err := s.decodeCandidate(p.Candidates[int(slot.Value)], slot.Children)
			if err != nil {
				return nil, prefixError(symbolic.Index(i), err)
			}
			items[i] = v
		}
		return symbolic.NewList(items...), nil
	}
	return p.Hyper.(*Numeric).value(d.Value), nil
}

func (s *Space) decodeCandidate(c *Candidate, ds []DNA) (symbolic.Value, error) {
	if c.plan == nil {
		return symbolic.Clone(c.Value), nil
	}
	pos := 0
	return s.decodePlan(c.plan, ds, &pos)
}

// stepOf returns the step to the i-th entry of a container.
func stepOf(v symbolic.Value, i int) symbolic.Step {
	switch x := v.(type) {
	case *symbolic.Dict:
		k, _ := x.At(i)
		return symbolic.Key(k)
	case *symbolic.Object:
		k, _ := x.At(i)
		return symbolic.Key(k)
	}
	return symbolic.Index(i)
}

// prefixError puts step in front of the key path of a decoding error, so
// that, once unwound, the error names the full path in the program.
func prefixError(step symbolic.Step, err error) error {
	switch e := err.(type) {
	case *symbolic.Error:
		c := *e
		c.Path = symbolic.Path(append([]symbolic.Step{step}, e.Path.Steps()...)...)
		return &c
	case *Error:
		c := *e
		c.Path = symbolic.Path(append([]symbolic.Step{step}, e.Path.Steps()...)...)
		return &c
	}
	return err
}
