package space

import (
	"fmt"
	"math"
	"strconv"

	"github.com/c2602f9e/goglove/symbolic"
)

// Numeric is a hyper-value choosing a number between two bounds
// (inclusive): Float for a float64 on a linear or log scale, Int for an
// integer. A Numeric is immutable and safe for concurrent use.
type Numeric struct {
	meta
	k        Kind
	min, max float64
	scale    Scale
	content  symbolic.Value
}

// Float returns a hyper-value choosing a float in [min, max], on a linear
// scale; see Log.
func Float(min, max float64) *Numeric {
	n := &Numeric{k: KindFloat, min: min, max: max}
	n.content = n.makeContent()
	return n
}

// Int returns a hyper-value choosing an integer in [min, max], which must
// be within ±2^53 (where float64 counts exactly).
func Int(min, max int) *Numeric {
	n := &Numeric{k: KindInt, min: float64(min), max: float64(max)}
	if min < -(1<<53) || min > 1<<53 || max < -(1<<53) || max > 1<<53 {
		n.err = fmt.Errorf("bounds must be within ±2^53, got [%d, %d]", min, max)
	}
	n.content = n.makeContent()
	return n
}

func (n *Numeric) clone() *Numeric {
	d := *n
	d.hints = cloneHints(n.hints)
	return &d
}

// Log returns a copy of a Float spread on a log scale (min must be > 0).
func (n *Numeric) Log() *Numeric {
	d := n.clone()
	d.scale = Log
	d.content = d.makeContent()
	return d
}

// Named returns a copy of n with the decision named name.
func (n *Numeric) Named(name string) *Numeric {
	d := n.clone()
	d.name = name
	d.content = d.makeContent()
	return d
}

// WithHints returns a copy of n with the given hints.
func (n *Numeric) WithHints(hints ...string) *Numeric {
	d := n.clone()
	d.hints = cloneHints(hints)
	d.content = d.makeContent()
	return d
}

func (n *Numeric) kind() Kind { return n.k }

// Bounds returns the inclusive bounds.
func (n *Numeric) Bounds() (min, max float64) { return n.min, n.max }

// Scale returns the scale of a Float (Linear for Int).
func (n *Numeric) Scale() Scale { return n.scale }

// Kind implements symbolic.Value.
func (n *Numeric) Kind() symbolic.Kind { return symbolic.KindTagged }

// String implements symbolic.Value.
func (n *Numeric) String() string { return n.Tag() + " " + n.content.String() }

// Tag implements symbolic.Tagged: "!float" or "!int".
func (n *Numeric) Tag() string { return "!" + n.k.String() }

// Content implements symbolic.Tagged: {min, max[, scale][, name][, hints]}.
func (n *Numeric) Content() symbolic.Value { return n.content }

func (n *Numeric) bound(f float64) symbolic.Value {
	if n.k == KindInt {
		return symbolic.Int(int64(f))
	}
	return symbolic.Float(f)
}

func (n *Numeric) makeContent() symbolic.Value {
	d := symbolic.NewDict(5)
	d.Set("min", n.bound(n.min))
	d.Set("max", n.bound(n.max))
	if n.scale == Log {
		d.Set("scale", symbolic.String("log"))
	}
	n.putMeta(d)
	return d
}

func (n *Numeric) validate(path symbolic.KeyPath) error {
	if n.err != nil {
		return spaceError(ErrInvalidSpace, path, n.Tag()+": "+n.err.Error())
	}
	switch {
	case math.IsNaN(n.min) || math.IsNaN(n.max) || math.IsInf(n.min, 0) || math.IsInf(n.max, 0):
		return spaceError(ErrInvalidSpace, path, n.Tag()+": bounds must be finite")
	case n.min > n.max:
		return spaceError(ErrInvalidSpace, path, n.Tag()+": min "+fmtNum(n.min)+" is greater than max "+fmtNum(n.max))
	case n.scale == Log && n.min <= 0:
		return spaceError(ErrInvalidSpace, path, n.Tag()+": log scale needs min > 0, got "+fmtNum(n.min))
	case n.k == KindInt && (n.min != math.Trunc(n.min) || n.max != math.Trunc(n.max)):
		return spaceError(ErrInvalidSpace, path, "!int: bounds must be integers")
	case n.k == KindInt && (math.Abs(n.min) > 1<<53 || math.Abs(n.max) > 1<<53):
		return spaceError(ErrInvalidSpace, path, "!int: bounds must be within ±2^53")
	}
	return nil
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// Conform implements symbolic.Conformer: both bounds must fit the place
// the value sits in (bounds of places are intervals, so every value in
// between fits too).
func (n *Numeric) Conform(path symbolic.KeyPath, conform func(symbolic.KeyPath, symbolic.Value) (symbolic.Value, error)) (symbolic.Tagged, error) {
	if err := n.validate(path); err != nil {
		return nil, asSymbolic(err)
	}
	for _, b := range []float64{n.min, n.max} {
		if _, err := conform(path, n.bound(b)); err != nil {
			if e, ok := err.(*symbolic.Error); ok {
				return nil, &symbolic.Error{File: e.File, Line: e.Line, Column: e.Column, Path: e.Path, Err: fmt.Errorf("%w: %w", ErrInvalidSpace, e.Err),
					Msg: n.Tag() + " bound " + fmtNum(b) + ": " + e.Msg}
			}
			return nil, err
		}
	}
	return n, nil
}

// value returns the symbolic value of a decision.
func (n *Numeric) value(x float64) symbolic.Value { return n.bound(x) }
