package symbolic

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Registry maps stable type names (such as "trainer.MLP") to Go struct
// types, and YAML tags (such as "!oneof") to the functions that decode
// them. Only registered types are ever instantiated from text.
//
// Fill a registry in one visible function at start-up; a Registry is safe
// for concurrent use.
type Registry struct {
	mu     sync.RWMutex
	byName map[string]*Type
	byGo   map[reflect.Type]*Type
	tags   map[string]TagFunc
	// names holds every field name, type name and enum value, to intern
	// decoded strings; it is replaced, never changed, on registration.
	names atomic.Pointer[map[string]string]
}

// fieldNames returns the interned names (read-only).
func (r *Registry) fieldNames() map[string]string {
	if m := r.names.Load(); m != nil {
		return *m
	}
	return nil
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{
		byName: make(map[string]*Type),
		byGo:   make(map[reflect.Type]*Type),
		tags:   make(map[string]TagFunc),
	}
}

// Register registers the struct type T under name, which must be unique in
// r and stay stable across releases (it is written in files). The schema
// comes from T's exported fields and their struct tags:
//
//	sym:"name"          the field's symbolic name (default: snake_case of the Go name)
//	sym:"-"             not a symbolic field (derived, set by OnBound)
//	sym:",required"     the field must be given
//	default:"0.001"     the default, in YAML flow syntax
//	min:"1" max:"4096"  inclusive bounds of ints and floats (of list elements too)
//	enum:"relu,gelu"    the accepted strings
//	doc:"…"             documentation
//
// An optional field without a default takes the Go zero value (null for
// pointers and interfaces, an all-defaults object for a nested struct);
// registration fails if that zero value is outside the field's bounds.
// Field types may be bool, ints, floats, string, slices and string-keyed
// maps of field types, registered struct types (by value or pointer),
// interfaces (any registered type implementing it is accepted), any, and
// symbolic.Value (the tree itself, unconverted). Struct types used in
// fields must be registered first.
func Register[T any](r *Registry, name, doc string) error {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		return fmt.Errorf("symbolic: register %s: %v is not a struct type", name, t)
	}
	return r.register(t, name, doc)
}

// MustRegister is like Register but panics on error, which is always a
// programmer error in the type's declaration.
func MustRegister[T any](r *Registry, name, doc string) {
	if err := Register[T](r, name, doc); err != nil {
		panic(err)
	}
}

func (r *Registry) register(t reflect.Type, name, doc string) error {
	if name == "" {
		return fmt.Errorf("symbolic: register %v: empty type name", t)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.byName[name]; ok {
		return fmt.Errorf("symbolic: register %v: name %q is taken by %v", t, name, old.goType)
	}
	if old, ok := r.byGo[t]; ok {
		return fmt.Errorf("symbolic: register %s: %v is already registered as %q", name, t, old.name)
	}
	typ := &Type{name: name, goType: t, doc: doc}
	// Visible to its own fields, so a type may refer to itself through a pointer.
	r.byGo[t] = typ
	if err := r.buildFields(typ); err != nil {
		delete(r.byGo, t)
		return fmt.Errorf("symbolic: register %s: %w", name, err)
	}
	r.byName[name] = typ
	names := map[string]string{reservedTypeKey: reservedTypeKey}
	for k, v := range r.fieldNames() {
		names[k] = v
	}
	names[name] = name
	for _, f := range typ.fields {
		names[f.Name] = f.Name
		for leaf := f.Spec; leaf != nil; leaf = leaf.Elem {
			for _, e := range leaf.Enum {
				names[e] = e
			}
		}
	}
	r.names.Store(&names)
	return nil
}

// Lookup returns the type registered under name.
func (r *Registry) Lookup(name string) (*Type, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.byName[name]
	return t, ok
}

// TypeOf returns the type registered for the Go type of x (a struct or a
// pointer to one).
func (r *Registry) TypeOf(x any) (*Type, bool) {
	t := reflect.TypeOf(x)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return r.typeFor(t)
}

func (r *Registry) typeFor(t reflect.Type) (*Type, bool) {
	if r == nil {
		return nil, false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	typ, ok := r.byGo[t]
	return typ, ok
}

// Types returns the registered types sorted by name.
func (r *Registry) Types() []*Type {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*Type, 0, len(r.byName))
	for _, t := range r.byName {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// TagFunc decodes the content of a YAML tag (for example the list after
// !oneof) into a Tagged value. path locates the tagged value; errors should
// be *Error values naming paths at or below it.
type TagFunc func(path KeyPath, content Value) (Tagged, error)

// RegisterTag makes the decoders accept the YAML tag (such as "!oneof",
// written with its "!") and decode it with fn. This is how a package such
// as space adds hyper-values to trees without symbolic knowing it.
func (r *Registry) RegisterTag(tag string, fn TagFunc) error {
	if len(tag) < 2 || tag[0] != '!' || strings.IndexFunc(tag[1:], func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.')
	}) >= 0 {
		return fmt.Errorf("symbolic: register tag %q: want a local tag such as !name (letters, digits, _ - .)", tag)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.tags[tag]; ok {
		return fmt.Errorf("symbolic: register tag %q: already registered", tag)
	}
	r.tags[tag] = fn
	return nil
}

func (r *Registry) tagFunc(tag string) (TagFunc, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	fn, ok := r.tags[tag]
	return fn, ok
}

// implementations lists, for error messages, up to 8 registered types that
// implement iface, as " (a, b, …)".
func (r *Registry) implementations(iface reflect.Type) string {
	// TryRLock: this may run while Register holds the lock (checking a
	// field's default); then the list is left out.
	if !r.mu.TryRLock() {
		return ""
	}
	var names []string
	for name, t := range r.byName {
		if t.implements(iface) {
			names = append(names, name)
		}
	}
	r.mu.RUnlock()
	sort.Strings(names)
	if len(names) == 0 {
		return " (none is registered)"
	}
	if len(names) > 8 {
		names = append(names[:8], "…")
	}
	return " (" + strings.Join(names, ", ") + ")"
}
