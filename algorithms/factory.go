package algorithms

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/c2602f9e/goglove/symbolic"
)

// Factory builds an algorithm from the options of a config's algorithm
// section (everything but name) and the config's seed.
type Factory func(options *symbolic.Dict, seed uint64) (Algorithm, error)

// New builds the algorithm a config section names, e.g.
// {name: evolution, population: 50, tournament: 10}, or just a name
// (evolution); a nil or null section means random search. The names and
// their options are in factories.go; Names lists them. Every algorithm
// takes the option dedup (a boolean): dedup: true wraps it in a Dedup, so
// that no program is proposed twice and a finite space ends the search
// once every program has been tried. Unknown names and options, wrong
// kinds and out-of-range values are *symbolic.Error values whose key path
// starts at algorithm (algorithm.name, algorithm.population, …) and that
// name no file: the caller that read the section adds it.
func New(section symbolic.Value, seed uint64) (Algorithm, error) {
	name, opts, err := splitSection("algorithm", section, "random")
	if err != nil {
		return nil, err
	}
	f, ok := algorithmFactories()[name]
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
	a, err := f(opts, seed)
	if err != nil {
		return nil, underSection("algorithm", err)
	}
	if dedup {
		a = &Dedup{Inner: a}
	}
	return a, nil
}

// Names lists the algorithm names New knows, sorted.
func Names() []string {
	var names []string
	for n := range algorithmFactories() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
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

// decodeOptions fills a T (an algorithm or policy struct, registered
// under name in a private registry) from options: unknown options, wrong
// kinds and out-of-range values are errors naming the option.
func decodeOptions[T any](name string, options *symbolic.Dict) (*T, error) {
	r := symbolic.NewRegistry()
	if err := symbolic.Register[T](r, name, ""); err != nil {
		return nil, err
	}
	typ, _ := r.Lookup(name)
	o, err := typ.New(symbolic.Clone(options).(*symbolic.Dict))
	if err != nil {
		return nil, err
	}
	return symbolic.To[*T](o)
}
