package search

import (
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// Searchable is a space whose programs are values of type T: a
// *space.Space (T = symbolic.Value), a *space.Typed[T] or a
// *space.DefineByRun[T].
type Searchable[T any] interface {
	Spec() *space.DNASpec
	Decode(d space.DNA) (T, error)
}

// treeDecoder is implemented by spaces that can give the program as a
// symbolic tree too (space.Typed), so that stores can record it.
type treeDecoder interface {
	DecodeTree(d space.DNA) (symbolic.Value, error)
}

// decode returns the program of d and the symbolic tree a store records
// for it: the program itself when it is a tree, the space's tree when it
// gives one (space.Typed), else the decisions d makes, a mapping from
// each decision's ID to its value (DNASpec.Decisions), so that a
// define-by-run study's trials show what they evaluated.
func decode[T any](s Searchable[T], d space.DNA) (T, symbolic.Value, error) {
	if td, ok := s.(treeDecoder); ok {
		tree, err := td.DecodeTree(d)
		if err != nil {
			var zero T
			return zero, nil, err
		}
		if p, ok := any(tree).(T); ok {
			return p, tree, nil
		}
		p, err := symbolic.To[T](tree)
		return p, tree, err
	}
	p, err := s.Decode(d)
	if err != nil {
		return p, nil, err
	}
	if tree, ok := any(p).(symbolic.Value); ok && tree != nil {
		return p, tree, nil
	}
	return p, s.Spec().Decisions(d), nil
}
