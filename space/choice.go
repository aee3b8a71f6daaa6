package space

import (
	"fmt"
	"strconv"

	"github.com/c2602f9e/goglove/symbolic"
)

// Choice is a hyper-value that chooses among candidates: OneOf chooses
// one, ManyOf chooses k, Permutation orders all of them. Candidates may
// themselves contain hyper-values (conditional, hierarchical spaces).
// A Choice is immutable and safe for concurrent use.
type Choice struct {
	meta
	k          Kind
	candidates []symbolic.Value
	raw        []any // the Go values given, converted again by Template with a registry
	n          int   // ManyOf: the number of choices
	distinct   bool
	sorted     bool
	content    symbolic.Value
}

// maxK bounds ManyOf's k: a DNA holds k decisions.
const maxK = 1 << 16

var (
	_ Hyper = (*Choice)(nil)
	_ Hyper = (*Numeric)(nil)
)

// OneOf returns a hyper-value choosing one of the candidates. Candidates
// are symbolic Values or plain Go values (bool, numbers, strings, slices,
// string-keyed maps); registered struct values are converted by Template.
func OneOf(candidates ...any) *Choice { return newChoice(KindOneOf, candidates) }

// ManyOf returns a hyper-value choosing k of the candidates, by default
// distinct and in any order (so there are n!/(n−k)! programs); see
// Distinct and Sorted.
func ManyOf(k int, candidates ...any) *Choice {
	c := newChoice(KindManyOf, candidates)
	c.n, c.distinct = k, true
	c.content = c.makeContent()
	return c
}

// Permutation returns a hyper-value ordering all the candidates (n!
// programs).
func Permutation(candidates ...any) *Choice { return newChoice(KindPermutation, candidates) }

func newChoice(k Kind, raw []any) *Choice {
	c := &Choice{k: k, raw: raw, candidates: make([]symbolic.Value, len(raw))}
	var r *symbolic.Registry
	for i, x := range raw {
		v, err := plainValue(r, x)
		if err != nil && c.err == nil {
			c.err = fmt.Errorf("candidate %d: %w", i, err)
		}
		c.candidates[i] = v
	}
	c.content = c.makeContent()
	return c
}

// plainValue converts a candidate given as a Go value.
func plainValue(r *symbolic.Registry, x any) (symbolic.Value, error) {
	if v, ok := x.(symbolic.Value); ok && v != nil {
		return symbolic.Clone(v), nil // the space must not change with the caller's value
	}
	return r.FromGo(x) // a nil registry converts plain values only
}

func (c *Choice) clone() *Choice {
	d := *c
	d.hints = cloneHints(c.hints)
	return &d
}

// Named returns a copy of c with the decision named name.
func (c *Choice) Named(name string) *Choice {
	d := c.clone()
	d.name = name
	d.content = d.makeContent()
	return d
}

// WithHints returns a copy of c with the given hints.
func (c *Choice) WithHints(hints ...string) *Choice {
	d := c.clone()
	d.hints = cloneHints(hints)
	d.content = d.makeContent()
	return d
}

// Distinct returns a copy of a ManyOf choosing distinct candidates (true,
// the default) or allowing repeats (false).
func (c *Choice) Distinct(distinct bool) *Choice {
	d := c.clone()
	d.distinct = distinct
	d.content = d.makeContent()
	return d
}

// Sorted returns a copy of a ManyOf whose chosen indices are
// non-decreasing (increasing when distinct): order does not matter, so
// there are fewer programs.
func (c *Choice) Sorted(sorted bool) *Choice {
	d := c.clone()
	d.sorted = sorted
	d.content = d.makeContent()
	return d
}

// Kind returns KindOneOf, KindManyOf or KindPermutation.
func (c *Choice) kind() Kind { return c.k }

// Candidates returns the candidates. The slice must not be modified.
func (c *Choice) Candidates() []symbolic.Value { return c.candidates }

// K returns the number of candidates chosen: 1 for OneOf, k for ManyOf,
// n for Permutation.
func (c *Choice) K() int {
	switch c.k {
	case KindManyOf:
		return c.n
	case KindPermutation:
		return len(c.candidates)
	}
	return 1
}

// Kind implements symbolic.Value.
func (c *Choice) Kind() symbolic.Kind { return symbolic.KindTagged }

// String implements symbolic.Value.
func (c *Choice) String() string { return c.Tag() + " " + c.content.String() }

// Tag implements symbolic.Tagged.
func (c *Choice) Tag() string { return "!" + c.k.String() }

// Content implements symbolic.Tagged: the list of candidates, or a dict
// when there are options (name, hints, k, distinct, sorted).
func (c *Choice) Content() symbolic.Value { return c.content }

func (c *Choice) makeContent() symbolic.Value {
	cands := symbolic.NewList(c.candidates...)
	if c.k != KindManyOf && c.name == "" && len(c.hints) == 0 {
		return cands
	}
	d := symbolic.NewDict(6)
	if c.k == KindManyOf {
		d.Set("k", symbolic.Int(c.n))
	}
	d.Set("candidates", cands)
	if c.k == KindManyOf {
		d.Set("distinct", symbolic.Bool(c.distinct))
		d.Set("sorted", symbolic.Bool(c.sorted))
	}
	c.putMeta(d)
	return d
}

func (c *Choice) validate(path symbolic.KeyPath) error {
	if c.err != nil {
		return spaceError(ErrInvalidSpace, path, c.Tag()+": "+c.err.Error())
	}
	n := len(c.candidates)
	if n == 0 {
		return spaceError(ErrInvalidSpace, path, c.Tag()+": no candidates")
	}
	if c.k == KindManyOf {
		if c.n < 1 {
			return spaceError(ErrInvalidSpace, path, "!manyof: k is "+strconv.Itoa(c.n)+", want at least 1")
		}
		if c.n > maxK {
			return spaceError(ErrInvalidSpace, path, "!manyof: k is "+strconv.Itoa(c.n)+", more than the limit of "+strconv.Itoa(maxK))
		}
		if c.distinct && c.n > n {
			return spaceError(ErrInvalidSpace, path, "!manyof: k is "+strconv.Itoa(c.n)+
				" but there are only "+strconv.Itoa(n)+" candidates to choose distinct ones from")
		}
	}
	return nil
}

// Conform implements symbolic.Conformer: every candidate must fit the
// place the choice sits in (for ManyOf and Permutation, which produce
// lists, every candidate must fit as an element of the list).
func (c *Choice) Conform(path symbolic.KeyPath, conform func(symbolic.KeyPath, symbolic.Value) (symbolic.Value, error)) (symbolic.Tagged, error) {
	if err := c.validate(path); err != nil {
		return nil, asSymbolic(err)
	}
	d := c.clone()
	d.candidates = make([]symbolic.Value, len(c.candidates))
	for i, cand := range c.candidates {
		var v symbolic.Value
		var err error
		if c.k == KindOneOf {
			v, err = conform(path, cand)
		} else {
			var l symbolic.Value
			l, err = conform(path, symbolic.NewList(cand))
			if err == nil {
				v = l.(*symbolic.List).At(0)
			}
		}
		if err != nil {
			return nil, candidateError(c, path, i, err)
		}
		d.candidates[i] = v
	}
	d.content = d.makeContent()
	return d, nil
}

// candidateError rewrites a check error on a candidate to say which one.
// For ManyOf and Permutation, whose candidates were checked as items of a
// list at path, the list index is dropped from the error's path.
func candidateError(c *Choice, path symbolic.KeyPath, i int, err error) error {
	if e, ok := err.(*symbolic.Error); ok {
		p := e.Path
		if c.k != KindOneOf && p.Len() > path.Len() && p.HasPrefix(path) {
			steps := p.Steps()
			p = symbolic.Path(append(steps[:path.Len():path.Len()], steps[path.Len()+1:]...)...)
		}
		return &symbolic.Error{File: e.File, Line: e.Line, Column: e.Column, Path: p, Err: fmt.Errorf("%w: %w", ErrInvalidSpace, e.Err),
			Msg: "candidate " + strconv.Itoa(i) + " of " + c.Tag() + ": " + e.Msg}
	}
	return fmt.Errorf("%w: candidate %d of %s: %w", ErrInvalidSpace, i, c.Tag(), err)
}

// withRegistry returns c with its Go-valued candidates converted by r.
func (c *Choice) withRegistry(r *symbolic.Registry) (*Choice, error) {
	if c.raw == nil {
		return c, nil
	}
	d := c.clone()
	d.err = nil
	d.candidates = make([]symbolic.Value, len(c.raw))
	for i, x := range c.raw {
		v, err := plainValue(r, x)
		if err != nil {
			if e, ok := err.(*symbolic.Error); ok {
				return nil, &symbolic.Error{Path: e.Path, Err: fmt.Errorf("%w: %w", ErrInvalidSpace, e.Err),
					Msg: "candidate " + strconv.Itoa(i) + " of " + c.Tag() + ": " + e.Msg}
			}
			return nil, fmt.Errorf("%w: candidate %d of %s: %w", ErrInvalidSpace, i, c.Tag(), err)
		}
		d.candidates[i] = v
	}
	d.content = d.makeContent()
	return d, nil
}
