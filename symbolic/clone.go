package symbolic

// Clone returns a deep copy of v: lists, dicts and objects are copied,
// scalars and Tagged values (immutable) are shared. Clone(nil) is nil.
func Clone(v Value) Value {
	switch x := v.(type) {
	case *List:
		items := make([]Value, len(x.items))
		for i, item := range x.items {
			items[i] = Clone(item)
		}
		return &List{items: items}
	case *Dict:
		d := &Dict{keys: append([]string(nil), x.keys...), vals: make([]Value, len(x.vals))}
		for i, item := range x.vals {
			d.vals[i] = Clone(item)
		}
		if x.index != nil {
			d.reindex()
		}
		return d
	case *Object:
		o := &Object{typ: x.typ, fields: make([]Value, len(x.fields))}
		for i, f := range x.fields {
			o.fields[i] = Clone(f)
		}
		return o
	}
	return v
}
