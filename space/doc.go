// Package space turns symbolic programs into search spaces.
//
// Hyper-values (OneOf, ManyOf, Permutation, Float, Int) placed inside a
// symbolic tree make it a space. A space compiles to a DNASpec, the tree of
// decision points that search algorithms see; a DNA, the matching tree of
// decisions, decodes to a concrete child program and a program encodes back
// to its DNA. Spaces are declared from a Go template plus hyper-values at key
// paths, by define-by-run functions, or in YAML with tags such as !oneof,
// which this package registers with a symbolic.Registry. DNASpec.Columns
// and Row lay DNA out as a table, one column per decision named by its
// key path (for CSV, plots and reports).
//
// Package space imports only symbolic (the test of internal/layering
// checks it).
package space
