package symbolic

import "errors"

// SkipChildren, returned by a WalkFunc, skips the children of the value
// just visited; the walk goes on with its siblings.
var SkipChildren = errors.New("skip children")

// WalkFunc is called by Walk for each value with its key path. Returning
// SkipChildren skips the value's children; any other error stops the walk
// and is returned by Walk.
type WalkFunc func(path KeyPath, v Value) error

// Walk visits v and every value below it, depth first, parents before
// children, in list, dict and field order. It does not descend into
// tagged values. The paths passed to fn may be kept.
func Walk(v Value, fn WalkFunc) error {
	err := walk(nil, v, fn)
	if errors.Is(err, SkipChildren) {
		return nil
	}
	return err
}

func walk(steps []Step, v Value, fn WalkFunc) error {
	if err := fn(Path(steps...), v); err != nil {
		if errors.Is(err, SkipChildren) {
			return nil
		}
		return err
	}
	n := len(steps)
	switch x := v.(type) {
	case *List:
		for i, item := range x.items {
			if err := walk(append(steps[:n:n], Index(i)), item, fn); err != nil {
				return err
			}
		}
	case *Dict:
		for i, k := range x.keys {
			if err := walk(append(steps[:n:n], Key(k)), x.vals[i], fn); err != nil {
				return err
			}
		}
	case *Object:
		for i, f := range x.fields {
			if err := walk(append(steps[:n:n], Key(x.typ.fields[i].Name)), f, fn); err != nil {
				return err
			}
		}
	}
	return nil
}

// Match is one result of Query.
type Match struct {
	Path  KeyPath
	Value Value
}

// Query returns, in walk order, the values below root (root included)
// whose path matches pattern and for which pred (if not nil) returns true.
// The pattern syntax is that of key paths plus wildcards: * matches one
// key or field, [*] one list index, and ** any number of steps (zero or
// more). An empty pattern matches every path. Examples:
// "model.layers[*].units", "**.lr", "optimizer.*".
func Query(root Value, pattern string, pred func(KeyPath, Value) bool) ([]Match, error) {
	var pat Pattern
	if pattern != "" {
		var err error
		if pat, err = ParsePattern(pattern); err != nil {
			return nil, err
		}
	}
	var out []Match
	err := Walk(root, func(p KeyPath, v Value) error {
		if (pattern == "" || pat.Match(p)) && (pred == nil || pred(p, v)) {
			out = append(out, Match{Path: p, Value: v})
		}
		return nil
	})
	return out, err
}
