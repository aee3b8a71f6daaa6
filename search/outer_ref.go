package search

import (
	"errors"
	"strings"

	"github.com/c2602f9e/goglove/symbolic"
)

// OuterRef is the YAML tag !outer in an inner search config (the
// objective.search section of an outer config): `quant: !outer quant`
// stands for the value at the key path quant of the outer trial's
// program, put in its place when the inner search of that trial starts.
// It may stand for any value of the inner config outside hyper-values
// (not inside a !oneof's candidates): a field of the inner space, a
// constraint's bound. An OuterRef conforms to any place, since its value
// is known only then; the resolved config is checked as any config is.
// It is immutable and safe for concurrent use.
type OuterRef struct {
	path symbolic.KeyPath
}

// OuterTag is the YAML tag of an OuterRef.
const OuterTag = "!outer"

// Register adds the tags of search configs (!outer) to r, beside the
// hyper-value tags of package space.
func Register(r *symbolic.Registry) error {
	return r.RegisterTag(OuterTag, decodeOuterRef)
}

func decodeOuterRef(path symbolic.KeyPath, content symbolic.Value) (symbolic.Tagged, error) {
	s, ok := content.(symbolic.String)
	if !ok || strings.TrimSpace(string(s)) == "" {
		return nil, &symbolic.Error{Path: path, Err: symbolic.ErrKind,
			Msg: "!outer: want the key path of a value of the outer program, such as !outer hardware.quant, got " + content.Kind().String()}
	}
	p, err := symbolic.ParsePath(strings.TrimSpace(string(s)))
	if err != nil {
		var se *symbolic.Error
		msg := err.Error()
		if errors.As(err, &se) {
			msg = se.Msg
		}
		return nil, &symbolic.Error{Path: path, Err: symbolic.ErrSyntax, Msg: "!outer " + string(s) + ": not a key path: " + msg}
	}
	if p.IsRoot() {
		return nil, &symbolic.Error{Path: path, Err: symbolic.ErrKind, Msg: "!outer: want a key path below the outer program's root"}
	}
	return &OuterRef{path: p}, nil
}

// Path returns the key path the reference names in the outer program.
func (r *OuterRef) Path() symbolic.KeyPath { return r.path }

// Kind implements symbolic.Value.
func (r *OuterRef) Kind() symbolic.Kind { return symbolic.KindTagged }

// String implements symbolic.Value.
func (r *OuterRef) String() string { return OuterTag + " " + r.path.String() }

// Tag implements symbolic.Tagged.
func (r *OuterRef) Tag() string { return OuterTag }

// Content implements symbolic.Tagged: the key path as a string.
func (r *OuterRef) Content() symbolic.Value { return symbolic.String(r.path.String()) }

// Conform implements symbolic.Conformer: a reference fits any place
// until it is resolved.
func (r *OuterRef) Conform(symbolic.KeyPath, func(symbolic.KeyPath, symbolic.Value) (symbolic.Value, error)) (symbolic.Tagged, error) {
	return r, nil
}

// outerRefAt is a reference found in an inner config, with its path there.
type outerRefAt struct {
	at  symbolic.KeyPath
	ref *OuterRef
}

// findOuterRefs returns the references in tree, skipping the subtree at
// skip (a deeper inner search, whose references name its own outer
// program), and an error for one inside another tagged value.
func findOuterRefs(tree symbolic.Value, skip symbolic.KeyPath) ([]outerRefAt, error) {
	var refs []outerRefAt
	err := symbolic.Walk(tree, func(p symbolic.KeyPath, v symbolic.Value) error {
		if !skip.IsRoot() && p.String() == skip.String() {
			return symbolic.SkipChildren
		}
		switch x := v.(type) {
		case *OuterRef:
			refs = append(refs, outerRefAt{at: p, ref: x})
		case symbolic.Tagged:
			if hasOuterRef(x.Content()) {
				return &symbolic.Error{Path: p, Err: symbolic.ErrKind,
					Msg: "!outer inside " + x.Tag() + ": a reference to the outer program cannot stand inside a hyper-value; put it outside (a field of the program the hyper-value chooses from)"}
			}
		}
		return nil
	})
	return refs, err
}

// hasOuterRef reports whether v is or holds an OuterRef, tagged values'
// content included.
func hasOuterRef(v symbolic.Value) bool {
	found := false
	_ = symbolic.Walk(v, func(_ symbolic.KeyPath, x symbolic.Value) error {
		switch t := x.(type) {
		case *OuterRef:
			found = true
		case symbolic.Tagged:
			found = found || hasOuterRef(t.Content())
		}
		return nil
	})
	return found
}

// resolveOuter returns a copy of the inner config tree with each
// reference replaced by the outer program's value at its key path; the
// references of a deeper inner search (under objective.search) stay.
func resolveOuter(inner symbolic.Value, outer symbolic.Value) (symbolic.Value, error) {
	refs, err := findOuterRefs(inner, innerSearchPath)
	if err != nil {
		return nil, err
	}
	out := symbolic.Clone(inner)
	if len(refs) == 0 {
		return out, nil
	}
	updates := make([]symbolic.Update, len(refs))
	for i, r := range refs {
		v, err := symbolic.Get(outer, r.ref.path)
		if err != nil {
			return nil, &symbolic.Error{Path: r.at, Err: symbolic.ErrNotFound,
				Msg: "!outer " + r.ref.path.String() + ": the outer program has no value there (it is " + clip(outer.String(), 160) + ")"}
		}
		updates[i] = symbolic.Update{Path: r.at, Value: v}
	}
	if err := symbolic.RebindAll(out, updates...); err != nil {
		return nil, err
	}
	return out, nil
}

// innerSearchPath is where a config holds its inner search.
var innerSearchPath = symbolic.MustParsePath("objective.search")

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
