package space

import "github.com/c2602f9e/goglove/symbolic"

// Typed is a space whose programs are values of the Go type T (a
// registered struct type, a pointer to one, or an interface they
// implement): Decode returns a T, not a tree.
type Typed[T any] struct {
	*Space
}

// As returns a typed view of s. Decoding fails if a program does not bind
// to T.
func As[T any](s *Space) *Typed[T] { return &Typed[T]{Space: s} }

// TemplateOf is Template for a program of type T, returning a typed space.
func TemplateOf[T any](reg *symbolic.Registry, program T, hypers map[string]Hyper) (*Typed[T], error) {
	s, err := Template(reg, program, hypers)
	if err != nil {
		return nil, err
	}
	return As[T](s), nil
}

// Decode returns the program d selects, bound to T.
func (t *Typed[T]) Decode(d DNA) (T, error) {
	v, err := t.Space.Decode(d)
	if err != nil {
		var zero T
		return zero, err
	}
	return symbolic.To[T](v)
}

// DecodeTree returns the program d selects as a symbolic tree.
func (t *Typed[T]) DecodeTree(d DNA) (symbolic.Value, error) { return t.Space.Decode(d) }
