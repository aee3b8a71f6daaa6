// Package symbolic turns ordinary Go values into mutable symbolic trees that
// other programs can inspect, rewrite, compare and save. It is the core of
// goglove: search spaces, algorithms and the trainer's child programs are
// all symbolic trees.
//
// # Values
//
// A tree is made of Values: Null, Bool, Int, Float and String scalars, and
// the containers *List, *Dict (an ordered dict) and *Object (an instance of
// a registered type: a type name plus its fields). Other packages add
// Tagged values, written in YAML with a local tag such as !oneof; see
// Registry.RegisterTag.
//
// # Key paths
//
// A KeyPath such as model.layers[2].units locates a value in a tree; keys
// that are not identifiers are quoted, as in a["x.y"]. ParsePath and
// KeyPath.String round-trip exactly.
//
// # Registry and schema
//
// Go struct types become symbolic types through a Registry, under stable
// names independent of Go package paths (Register). Struct tags give the
// schema: names, defaults, required fields, numeric bounds, string enums
// and docs. Interface-typed fields accept any registered type implementing
// the interface. Registry.FromGo converts Go values to trees and To binds
// trees to typed Go values; types implementing OnBounder validate and
// derive fields whenever they are bound.
//
// # Defaults
//
// Defaults apply where a value is missing, and only text can leave a value
// out: the decoders (and Type.New) fill every optional field a file does
// not give with its default. A Go struct always has every field, and its
// zero fields are taken as zeros: FromGo never applies defaults, so an
// explicit zero (momentum 0) is never silently replaced. A Go program
// that wants the defaults starts from New, which returns a value of a
// registered type with its optional fields at their defaults:
//
//	sgd := symbolic.MustNew[SGD](reg) // momentum 0.9, as when decoded
//	sgd.LR = 0.1
//	tree, err := reg.FromGo(sgd) // Equal to decoding {_type: SGD, lr: 0.1}
//
// # Operations
//
// Get reads at a path; Rebind and RebindAll change many paths at once,
// validated against the schema and atomic; Walk and Query visit values by
// path pattern and predicate; Clone, Equal, Hash (stable across processes)
// and Diff do what their names say.
//
// # Text
//
// Registry.DecodeYAML and Registry.DecodeJSON validate the whole input
// before building typed values, bound depth and size, and report errors
// with the file, line, key path and what was expected. EncodeYAML and
// EncodeJSON write the canonical forms, which decode to equal values and
// re-encode to the same bytes.
//
// # Concurrency
//
// Registries, Types, KeyPaths and Patterns are safe for concurrent use.
// Trees are safe for concurrent reads; a tree being mutated must not be
// read or written by other goroutines (give them a Clone).
package symbolic
