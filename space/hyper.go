package space

import (
	"slices"

	"github.com/c2602f9e/goglove/symbolic"
)

// Hyper is a hyper-value: a value to be chosen by a search, placed in a
// symbolic tree to make it a search space. *Choice (OneOf, ManyOf,
// Permutation) and *Numeric (Float, Int) are the hyper-values.
//
// Hyper-values are immutable symbolic.Tagged values; they may sit in typed
// fields of registered types when every value they can produce fits the
// field (symbolic.Conformer). Methods such as Named return modified copies.
type Hyper interface {
	symbolic.Conformer
	// Name returns the optional name of the decision.
	Name() string
	// Hints returns the optional free-form tags used to split a space.
	Hints() []string
	// validate reports a malformed hyper-value.
	validate(path symbolic.KeyPath) error
	kind() Kind
}

// meta holds what every hyper-value has.
type meta struct {
	name  string
	hints []string
	err   error // a problem found at construction, reported when used
}

// Name returns the decision's name.
func (m *meta) Name() string { return m.name }

// Hints returns the decision's hints. The slice must not be modified.
func (m *meta) Hints() []string { return m.hints }

// putMeta adds name and hints to a content dict.
func (m *meta) putMeta(d *symbolic.Dict) {
	if m.name != "" {
		d.Set("name", symbolic.String(m.name))
	}
	if len(m.hints) > 0 {
		hs := symbolic.NewList()
		for _, h := range m.hints {
			hs.Append(symbolic.String(h))
		}
		d.Set("hints", hs)
	}
}

func cloneHints(h []string) []string { return slices.Clone(h) }
