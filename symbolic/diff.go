package symbolic

import "strings"

// Difference is one place where two trees differ. Old is nil when New was
// added there, New is nil when Old was removed.
type Difference struct {
	Path KeyPath
	Old  Value
	New  Value
}

// String formats the difference on one line: "path: old -> new", with
// "(none)" for a missing side.
func (d Difference) String() string {
	side := func(v Value) string {
		if v == nil {
			return "(none)"
		}
		return v.String()
	}
	p := d.Path.String()
	if p == "" {
		p = "(root)"
	}
	return p + ": " + side(d.Old) + " -> " + side(d.New)
}

// Diff returns the differences between a and b, in walk order, as the
// smallest places that differ: containers of the same kind (and objects of
// the same type) are compared entry by entry; anything else that is not
// Equal is one difference. Dicts with equal entries in a different order
// differ at the dict itself. Diff(a, b) is empty exactly when Equal(a, b).
func Diff(a, b Value) []Difference {
	var out []Difference
	diff(nil, a, b, &out)
	return out
}

func diff(steps []Step, a, b Value, out *[]Difference) {
	n := len(steps)
	at := func(s Step) []Step { return append(steps[:n:n], s) }
	switch x := a.(type) {
	case *List:
		if y, ok := b.(*List); ok {
			for i := 0; i < max(len(x.items), len(y.items)); i++ {
				switch {
				case i >= len(x.items):
					*out = append(*out, Difference{Path: Path(at(Index(i))...), New: y.items[i]})
				case i >= len(y.items):
					*out = append(*out, Difference{Path: Path(at(Index(i))...), Old: x.items[i]})
				default:
					diff(at(Index(i)), x.items[i], y.items[i], out)
				}
			}
			return
		}
	case *Dict:
		if y, ok := b.(*Dict); ok {
			before := len(*out)
			for i, k := range x.keys {
				if w, ok := y.Get(k); ok {
					diff(at(Key(k)), x.vals[i], w, out)
				} else {
					*out = append(*out, Difference{Path: Path(at(Key(k))...), Old: x.vals[i]})
				}
			}
			for i, k := range y.keys {
				if !x.Has(k) {
					*out = append(*out, Difference{Path: Path(at(Key(k))...), New: y.vals[i]})
				}
			}
			if len(*out) == before && strings.Join(x.keys, "\x00") != strings.Join(y.keys, "\x00") {
				*out = append(*out, Difference{Path: Path(steps...), Old: a, New: b})
			}
			return
		}
	case *Object:
		if y, ok := b.(*Object); ok && sameType(x.typ, y.typ) {
			for i, f := range x.fields {
				diff(at(Key(x.typ.fields[i].Name)), f, y.fields[i], out)
			}
			return
		}
	}
	if !Equal(a, b) {
		*out = append(*out, Difference{Path: Path(steps...), Old: a, New: b})
	}
}
