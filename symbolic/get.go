package symbolic

import "strconv"

// Get returns the value at path in root. A path that leaves the tree (a
// missing key or field, an index out of range, a step into a scalar or a
// tagged value) is an *Error wrapping ErrNotFound that names the longest
// prefix that exists.
func Get(root Value, path KeyPath) (Value, error) {
	v := root
	for i, s := range path.steps {
		next, err := child(v, s)
		if err != nil {
			return nil, newError(ErrNotFound, path, err.Error()+" at "+prefixName(path, i))
		}
		v = next
	}
	return v, nil
}

// GetPath is Get with a path in text form.
func GetPath(root Value, path string) (Value, error) {
	p, err := ParsePath(path)
	if err != nil {
		return nil, err
	}
	return Get(root, p)
}

func prefixName(p KeyPath, n int) string {
	if n == 0 {
		return "the root"
	}
	return KeyPath{steps: p.steps[:n]}.String()
}

type stepError string

func (e stepError) Error() string { return string(e) }

// child returns the value one step below v.
func child(v Value, s Step) (Value, error) {
	switch x := v.(type) {
	case *List:
		if !s.isIndex {
			return nil, stepError("want a list index, got key " + Key(s.key).String())
		}
		if s.index >= len(x.items) {
			return nil, stepError("index " + s.String() + " out of range for list of length " + strconv.Itoa(len(x.items)))
		}
		return x.items[s.index], nil
	case *Dict:
		if s.isIndex {
			return nil, stepError("want a key, got index " + s.String() + " into a dict")
		}
		if v, ok := x.Get(s.key); ok {
			return v, nil
		}
		return nil, stepError("no key " + quoteKey(s.key) + " in dict")
	case *Object:
		if s.isIndex {
			return nil, stepError("want a field name, got index " + s.String() + " into " + x.typ.name)
		}
		if v, ok := x.Get(s.key); ok {
			return v, nil
		}
		return nil, stepError("no field " + quoteKey(s.key) + " in " + x.typ.name + " (fields: " + x.typ.fieldNames() + ")")
	}
	return nil, stepError("cannot step into " + describe(v))
}

func quoteKey(k string) string {
	if isIdent(k) {
		return k
	}
	return strconv.Quote(k)
}
