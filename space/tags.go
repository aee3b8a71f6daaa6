package space

import (
	"errors"
	"math"
	"strings"

	"github.com/c2602f9e/goglove/symbolic"
)

// Register adds the hyper-value tags to r, so YAML files can declare
// spaces:
//
//	act: !oneof [relu, gelu]
//	act: !oneof {name: act, candidates: [relu, gelu], hints: [arch]}
//	layers: !manyof {k: 2, candidates: [a, b, c], distinct: true, sorted: false}
//	order: !permutation [a, b, c]
//	lr: !float {min: 1.0e-4, max: 0.1, scale: log}
//	depth: !int {min: 1, max: 8}
//
// In JSON a hyper-value is written {"_tag": "!oneof", "_value": …}.
func Register(r *symbolic.Registry) error {
	for tag, fn := range map[string]symbolic.TagFunc{
		"!oneof":       decodeOneOf,
		"!manyof":      decodeManyOf,
		"!permutation": decodePermutation,
		"!float":       decodeFloat,
		"!int":         decodeInt,
	} {
		if err := r.RegisterTag(tag, fn); err != nil {
			return err
		}
	}
	return nil
}

// asSymbolic turns a space error into a symbolic one, so decoders add the
// file and line.
func asSymbolic(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return &symbolic.Error{Path: e.Path, Msg: e.Msg, Err: e.Err}
	}
	return err
}

func tagError(path symbolic.KeyPath, msg string) error {
	return &symbolic.Error{Path: path, Msg: msg, Err: ErrInvalidSpace}
}

// options reads the keys of a tag's dict content, refusing unknown ones.
type options struct {
	tag  string
	path symbolic.KeyPath
	d    *symbolic.Dict
}

func newOptions(tag string, path symbolic.KeyPath, content symbolic.Value, allowed ...string) (*options, error) {
	d, ok := content.(*symbolic.Dict)
	if !ok {
		return nil, tagError(path, tag+": want {"+strings.Join(allowed, ", ")+"}, got "+content.Kind().String())
	}
	for k := range d.All() {
		found := false
		for _, a := range allowed {
			found = found || a == k
		}
		if !found {
			return nil, tagError(path.Key(k), tag+": unknown option (want "+strings.Join(allowed, ", ")+")")
		}
	}
	return &options{tag: tag, path: path, d: d}, nil
}

func (o *options) list(key string, required bool) ([]symbolic.Value, error) {
	v, ok := o.d.Get(key)
	if !ok {
		if required {
			return nil, tagError(o.path, o.tag+": missing "+key)
		}
		return nil, nil
	}
	l, ok := v.(*symbolic.List)
	if !ok {
		return nil, tagError(o.path.Key(key), o.tag+": want a list, got "+v.Kind().String())
	}
	out := make([]symbolic.Value, l.Len())
	for i := range out {
		out[i] = l.At(i)
	}
	return out, nil
}

func (o *options) number(key string, integer bool) (float64, error) {
	v, ok := o.d.Get(key)
	if !ok {
		return 0, tagError(o.path, o.tag+": missing "+key)
	}
	switch x := v.(type) {
	case symbolic.Int:
		if integer && (x > 1<<53 || x < -(1<<53)) {
			return 0, tagError(o.path.Key(key), o.tag+": want an integer within ±2^53, got "+x.String())
		}
		return float64(x), nil
	case symbolic.Float:
		if integer && (float64(x) != math.Trunc(float64(x)) || math.Abs(float64(x)) > 1<<53) {
			return 0, tagError(o.path.Key(key), o.tag+": want an integer, got "+x.String())
		}
		return float64(x), nil
	}
	want := "a number"
	if integer {
		want = "an integer"
	}
	return 0, tagError(o.path.Key(key), o.tag+": want "+want+", got "+v.Kind().String())
}

func (o *options) boolean(key string, def bool) (bool, error) {
	v, ok := o.d.Get(key)
	if !ok {
		return def, nil
	}
	b, ok := v.(symbolic.Bool)
	if !ok {
		return false, tagError(o.path.Key(key), o.tag+": want true or false, got "+v.Kind().String())
	}
	return bool(b), nil
}

// meta reads name and hints.
func (o *options) meta() (meta, error) {
	var m meta
	if v, ok := o.d.Get("name"); ok {
		s, ok := v.(symbolic.String)
		if !ok {
			return m, tagError(o.path.Key("name"), o.tag+": want a string, got "+v.Kind().String())
		}
		m.name = string(s)
	}
	hints, err := o.list("hints", false)
	if err != nil {
		return m, err
	}
	for i, h := range hints {
		s, ok := h.(symbolic.String)
		if !ok {
			return m, tagError(o.path.Key("hints").Index(i), o.tag+": want a string, got "+h.Kind().String())
		}
		m.hints = append(m.hints, string(s))
	}
	return m, nil
}

// choiceFrom builds a OneOf or Permutation from list or dict content.
func choiceFrom(k Kind, path symbolic.KeyPath, content symbolic.Value) (symbolic.Tagged, error) {
	c := &Choice{k: k}
	if l, ok := content.(*symbolic.List); ok {
		for _, v := range l.All() {
			c.candidates = append(c.candidates, v)
		}
	} else {
		o, err := newOptions("!"+k.String(), path, content, "candidates", "name", "hints")
		if err != nil {
			return nil, err
		}
		if c.candidates, err = o.list("candidates", true); err != nil {
			return nil, err
		}
		if c.meta, err = o.meta(); err != nil {
			return nil, err
		}
	}
	if err := c.validate(path); err != nil {
		return nil, asSymbolic(err)
	}
	c.content = c.makeContent()
	return c, nil
}

func decodeOneOf(path symbolic.KeyPath, content symbolic.Value) (symbolic.Tagged, error) {
	return choiceFrom(KindOneOf, path, content)
}

func decodePermutation(path symbolic.KeyPath, content symbolic.Value) (symbolic.Tagged, error) {
	return choiceFrom(KindPermutation, path, content)
}

func decodeManyOf(path symbolic.KeyPath, content symbolic.Value) (symbolic.Tagged, error) {
	o, err := newOptions("!manyof", path, content, "k", "candidates", "distinct", "sorted", "name", "hints")
	if err != nil {
		return nil, err
	}
	c := &Choice{k: KindManyOf}
	k, err := o.number("k", true)
	if err != nil {
		return nil, err
	}
	c.n = int(k)
	if c.candidates, err = o.list("candidates", true); err != nil {
		return nil, err
	}
	if c.distinct, err = o.boolean("distinct", true); err != nil {
		return nil, err
	}
	if c.sorted, err = o.boolean("sorted", false); err != nil {
		return nil, err
	}
	if c.meta, err = o.meta(); err != nil {
		return nil, err
	}
	if err := c.validate(path); err != nil {
		return nil, asSymbolic(err)
	}
	c.content = c.makeContent()
	return c, nil
}

func decodeNumeric(k Kind, path symbolic.KeyPath, content symbolic.Value) (symbolic.Tagged, error) {
	allowed := []string{"min", "max", "name", "hints"}
	if k == KindFloat {
		allowed = append(allowed, "scale")
	}
	o, err := newOptions("!"+k.String(), path, content, allowed...)
	if err != nil {
		return nil, err
	}
	n := &Numeric{k: k}
	if n.min, err = o.number("min", k == KindInt); err != nil {
		return nil, err
	}
	if n.max, err = o.number("max", k == KindInt); err != nil {
		return nil, err
	}
	if v, ok := o.d.Get("scale"); ok {
		switch v.String() {
		case "linear":
		case "log":
			n.scale = Log
		default:
			return nil, tagError(path.Key("scale"), "!float: want linear or log, got "+v.String())
		}
	}
	if n.meta, err = o.meta(); err != nil {
		return nil, err
	}
	if err := n.validate(path); err != nil {
		return nil, asSymbolic(err)
	}
	n.content = n.makeContent()
	return n, nil
}

func decodeFloat(path symbolic.KeyPath, content symbolic.Value) (symbolic.Tagged, error) {
	return decodeNumeric(KindFloat, path, content)
}

func decodeInt(path symbolic.KeyPath, content symbolic.Value) (symbolic.Tagged, error) {
	return decodeNumeric(KindInt, path, content)
}
