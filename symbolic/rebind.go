package symbolic

import (
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"
)

// Update is one change made by RebindAll: the value to store at Path.
type Update struct {
	Path  KeyPath
	Value Value
}

// Rebind changes the values at the given key paths (in text form) in root,
// all or nothing. Values may be symbolic Values (copied into the tree) or
// plain Go values: bool, ints, floats, strings, and slices and string-keyed
// maps of them (registered structs need Registry.FromGo first).
//
// See RebindAll for the rules.
func Rebind(root Value, updates map[string]any) error {
	var one [1]Update
	list := one[:0]
	if len(updates) > 1 {
		list = make([]Update, 0, len(updates))
	}
	for text, x := range updates {
		p, err := ParsePath(text)
		if err != nil {
			return err
		}
		v, err := plainFromGo(p, x)
		if err != nil {
			return err
		}
		list = append(list, Update{Path: p, Value: v})
	}
	return RebindAll(root, list...)
}

// plainFromGo converts a plain Go value, without a registry.
func plainFromGo(path KeyPath, x any) (Value, error) {
	switch v := x.(type) {
	case Value:
		if v != nil {
			return v, nil
		}
	case int:
		return Int(v), nil
	case int64:
		return Int(v), nil
	case float64:
		return Float(v), nil
	case string:
		if utf8.ValidString(v) {
			return String(v), nil
		}
	case bool:
		return Bool(v), nil
	}
	var r *Registry
	return r.fromGo(at(path), reflect.ValueOf(x))
}

// RebindAll stores each update's value at its path in root, all or
// nothing: if any update is invalid, root is left unchanged.
//
//   - The parent of each path must exist. The last step may name an
//     object's field, a list index in range, or a dict key (new keys are
//     added at the end). The root itself cannot be replaced.
//   - Values are checked against the schema of the place they go to
//     (kind, bounds, enum, registered type or interface); ints stored in
//     float places become floats.
//   - No path may be a prefix of another.
//   - After the changes, the OnBound hooks of the objects on the paths
//     from root to each change run, deepest first; if one fails, every
//     change is undone and its error returned.
//
// Values are copied into the tree (with Clone), so later changes to them do
// not reach the tree.
func RebindAll(root Value, updates ...Update) error {
	if len(updates) == 0 {
		return nil
	}
	sorted := updates
	if len(updates) > 1 {
		sorted = slices.Clone(updates)
		slices.SortFunc(sorted, func(a, b Update) int { return strings.Compare(a.Path.String(), b.Path.String()) })
		for i := range sorted {
			for j := range sorted {
				if i != j && sorted[j].Path.HasPrefix(sorted[i].Path) {
					return newError(ErrInvalid, sorted[j].Path,
						"conflicting updates: "+sorted[i].Path.String()+" also replaces this path")
				}
			}
		}
	}
	// Validate everything first.
	var onePlan [1]rebindPlan
	plans := onePlan[:]
	if len(sorted) > 1 {
		plans = make([]rebindPlan, len(sorted))
	}
	for i, u := range sorted {
		if err := plans[i].prepare(root, u); err != nil {
			return err
		}
	}
	// Apply; remember how to undo.
	for i := range plans {
		plans[i].apply()
	}
	// Run hooks, deepest first, each object once.
	var hooked []*Object
	var hookPaths []KeyPath
	for i := range plans {
		for j := len(plans[i].objects) - 1; j >= 0; j-- {
			o := plans[i].objects[j]
			if !slices.Contains(hooked, o) {
				hooked = append(hooked, o)
				hookPaths = append(hookPaths, plans[i].objectPaths[j])
			}
		}
	}
	for i, o := range hooked {
		if err := o.runHook(hookPaths[i]); err != nil {
			for j := len(plans) - 1; j >= 0; j-- {
				plans[j].undo()
			}
			return err
		}
	}
	return nil
}

// rebindPlan is one validated update.
type rebindPlan struct {
	parent Value // the container holding the changed place
	step   Step
	value  Value // the checked value to store
	old    Value // the value replaced; nil when a dict key is added

	objects     []*Object // objects from root to parent with OnBound hooks
	objectPaths []KeyPath
}

func (p *rebindPlan) prepare(root Value, u Update) error {
	if u.Path.IsRoot() {
		return newError(ErrInvalid, u.Path, "cannot rebind the root; build a new value instead")
	}
	var spec *Spec = anySpec
	v := root
	last := len(u.Path.steps) - 1
	for i, s := range u.Path.steps {
		if o, ok := v.(*Object); ok && o.typ.hasHook {
			p.objects = append(p.objects, o)
			p.objectPaths = append(p.objectPaths, KeyPath{steps: u.Path.steps[:i]})
		}
		var childSpec *Spec
		switch x := v.(type) {
		case *Object:
			if fi := x.typ.fieldIndex(s.key); !s.isIndex && fi >= 0 {
				childSpec = x.typ.fields[fi].Spec
			}
		case *List, *Dict:
			childSpec = anySpec
			if spec.Elem != nil {
				childSpec = spec.Elem
			}
			if d, ok := x.(*Dict); ok && i == last && !s.isIndex && !d.Has(s.key) {
				// A new key: nothing to descend into.
				p.parent, p.step, p.old = v, s, nil
				return p.check(u, childSpec)
			}
		}
		next, err := child(v, s)
		if err != nil {
			return newError(ErrNotFound, u.Path, err.Error()+" at "+prefixName(u.Path, i))
		}
		if i == last {
			p.parent, p.step, p.old = v, s, next
			return p.check(u, childSpec)
		}
		v, spec = next, childSpec
	}
	return nil
}

func (p *rebindPlan) check(u Update, spec *Spec) error {
	nv, err := spec.check(at(u.Path), Clone(u.Value))
	if err != nil {
		return err
	}
	p.value = nv
	return nil
}

func (p *rebindPlan) apply() { p.store(p.value) }

func (p *rebindPlan) undo() {
	if p.old == nil {
		p.parent.(*Dict).Delete(p.step.key)
		return
	}
	p.store(p.old)
}

func (p *rebindPlan) store(v Value) {
	switch x := p.parent.(type) {
	case *List:
		x.items[p.step.index] = v
	case *Dict:
		x.Set(p.step.key, v)
	case *Object:
		x.fields[x.typ.fieldIndex(p.step.key)] = v
	}
}

// anySpec accepts every value.
var anySpec = &Spec{Kind: KindAny, Nullable: true}
