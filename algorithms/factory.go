package algorithms

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/c2602f9e/goglove/symbolic"
)

// New builds the algorithm a config section holds, in one of three
// forms:
//
//   - a program of a registered type (see Register), as decoded with a
//     registry that knows the algorithms: {_type:
//     algorithms.RegularizedEvolution, population: 50, selector: {_type:
//     algorithms.Tournament, size: 5}};
//   - the short form {name: evolution, population: 50, …}: name is one of
//     Names, standing for a type (evolution: RegularizedEvolution,
//     hill_climb: HillClimb, …), and the other keys are that type's
//     fields, its parts (selector, mutator, recombinator) included;
//   - a name alone (evolution), or nothing (nil or null): random search.
//
// The name ppo stands for Reinforce with PPO set.
//
// An algorithm whose seed is 0 takes seed, the config's. In the short
// form the option dedup (a boolean) wraps the algorithm in a Dedup, so
// that no program is proposed twice and a finite space ends the search
// once every program has been tried. Unknown names and fields, wrong
// kinds and out-of-range values are *symbolic.Error values whose key
// path starts at algorithm (algorithm.name, algorithm.population, …) and
// that name no file: the caller that read the section adds it.
func New(section symbolic.Value, seed uint64) (Algorithm, error) {
	if o, ok := section.(*symbolic.Object); ok {
		a, err := symbolic.To[Algorithm](o)
		if err != nil {
			return nil, sectionError("algorithm", symbolic.ErrKind, "want an algorithm (algorithms.RegularizedEvolution, algorithms.TPE, …), got "+o.Type().Name())
		}
		seeded(a, seed)
		return a, nil
	}
	name, opts, err := splitSection("algorithm", section, "random")
	if err != nil {
		return nil, err
	}
	typeName, ok := algorithmNames[name]
	if !ok {
		return nil, sectionError("algorithm.name", symbolic.ErrRange, "unknown algorithm "+fmt.Sprintf("%q", name)+" (known: "+strings.Join(Names(), ", ")+")")
	}
	dedup := false
	if v, ok := opts.Get("dedup"); ok {
		b, ok := v.(symbolic.Bool)
		if !ok {
			return nil, sectionError("algorithm.dedup", symbolic.ErrKind, "want true or false, got "+v.Kind().String())
		}
		dedup = bool(b)
		opts.Delete("dedup")
	}
	a, err := decodeAs[Algorithm](typeName, opts)
	if err != nil {
		return nil, underSection("algorithm", err)
	}
	seeded(a, seed)
	if r, ok := a.(*Reinforce); ok && name == "ppo" {
		r.PPO = true
	}
	if dedup {
		a = &Dedup{Inner: a}
	}
	return a, nil
}

// Names lists the algorithm names of the short form, sorted.
func Names() []string {
	var names []string
	for n := range algorithmNames {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// NewStoppingPolicy builds the early-stopping policy a config section
// holds: a program of a registered type ({_type: algorithms.ASHA, …}),
// the short form {name: median, …} (MedianStopping) or {name: asha, …}
// (ASHA), or none, the default (a nil policy), each also as a bare name.
// Like New's, its errors are *symbolic.Error values whose key path starts
// at early_stopping and that name no file.
func NewStoppingPolicy(section symbolic.Value) (StoppingPolicy, error) {
	var p StoppingPolicy
	if o, ok := section.(*symbolic.Object); ok {
		var err error
		if p, err = symbolic.To[StoppingPolicy](o); err != nil {
			return nil, sectionError("early_stopping", symbolic.ErrKind, "want a stopping policy (algorithms.MedianStopping, algorithms.ASHA), got "+o.Type().Name())
		}
	} else {
		name, o, err := splitSection("early_stopping", section, "none")
		if err != nil {
			return nil, err
		}
		if name == "none" {
			if o.Len() > 0 {
				for k := range o.All() {
					return nil, sectionError("early_stopping."+k, symbolic.ErrUnknownField, "none takes no options")
				}
			}
			return nil, nil
		}
		typeName, ok := policyNames[name]
		if !ok {
			return nil, sectionError("early_stopping.name", symbolic.ErrRange, "unknown policy \""+name+"\" (known: none, median, asha)")
		}
		if p, err = decodeAs[StoppingPolicy](typeName, o); err != nil {
			return nil, underSection("early_stopping", err)
		}
	}
	if a, ok := p.(*ASHA); ok && a.ReductionFactor == 1 {
		return nil, sectionError("early_stopping.reduction_factor", symbolic.ErrRange, "want 0 (the default, 3) or at least 2, got 1")
	}
	return p, nil
}

// splitSection reads {name: …, options…}.
func splitSection(key string, section symbolic.Value, def string) (string, *symbolic.Dict, error) {
	if section == nil || section.Kind() == symbolic.KindNull {
		return def, symbolic.NewDict(0), nil
	}
	if s, ok := section.(symbolic.String); ok {
		return string(s), symbolic.NewDict(0), nil
	}
	d, ok := section.(*symbolic.Dict)
	if !ok {
		return "", nil, sectionError(key, symbolic.ErrKind, "want {name: …, options…} or a name, got "+section.Kind().String())
	}
	opts := symbolic.Clone(d).(*symbolic.Dict)
	nv, ok := opts.Get("name")
	if !ok {
		return "", nil, sectionError(key+".name", symbolic.ErrRequired, "missing")
	}
	name, ok := nv.(symbolic.String)
	if !ok {
		return "", nil, sectionError(key+".name", symbolic.ErrKind, "want a string, got "+nv.Kind().String())
	}
	opts.Delete("name")
	return string(name), opts, nil
}

func sectionError(path string, sentinel error, msg string) error {
	p, _ := symbolic.ParsePath(path)
	return &symbolic.Error{Path: p, Msg: msg, Err: sentinel}
}

// underSection puts key in front of an error's key path.
func underSection(key string, err error) error {
	var e *symbolic.Error
	if errors.As(err, &e) {
		c := *e
		c.Path = symbolic.Path(append([]symbolic.Step{symbolic.Key(key)}, e.Path.Steps()...)...)
		return &c
	}
	return fmt.Errorf("%s: %w", key, err)
}

// decodeAs builds the registered type typeName from fields and binds
// it to a T: unknown fields, wrong kinds and out-of-range values are
// errors naming the field.
func decodeAs[T any](typeName string, fields *symbolic.Dict) (T, error) {
	var zero T
	typ, ok := types.Lookup(typeName)
	if !ok {
		return zero, fmt.Errorf("algorithms: %s is not registered", typeName)
	}
	o, err := typ.New(symbolic.Clone(fields).(*symbolic.Dict))
	if err != nil {
		return zero, err
	}
	return symbolic.To[T](o)
}

// BlackBoxNames lists the algorithm names of Names that search any space
// from rewards alone, sorted: all but darts, which needs a Relaxation
// (a supernet) that only a trainer objective provides.
func BlackBoxNames() []string {
	var names []string
	for _, n := range Names() {
		if n != "darts" {
			names = append(names, n)
		}
	}
	return names
}
