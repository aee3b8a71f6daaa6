package space

import (
	"errors"

	"github.com/c2602f9e/goglove/symbolic"
)

// Template builds a space from a Go value and hyper-values placed at key
// paths of it, PyGlove style: the static program becomes a search space
// with a few edits.
//
//	s, err := space.Template(reg, Program{...}, map[string]space.Hyper{
//		"model.activation": space.OneOf("relu", "gelu"),
//		"optimizer.lr":     space.Float(1e-4, 1e-1).Log(),
//	})
//
// The program is converted with reg (registered structs become objects);
// so are candidates given as Go values. Each hyper-value is checked
// against the place it goes to: an unknown path, or a candidate the field
// cannot hold, is an error naming the path.
func Template(reg *symbolic.Registry, program any, hypers map[string]Hyper) (*Space, error) {
	tree, err := reg.FromGo(program)
	if err != nil {
		return nil, err
	}
	updates := make(map[string]any, len(hypers))
	for path, h := range hypers {
		if h == nil {
			return nil, &Error{Msg: "hyper-value at " + path + " is nil", Err: ErrInvalidSpace}
		}
		if c, ok := h.(*Choice); ok {
			if h, err = c.withRegistry(reg); err != nil {
				p, _ := symbolic.ParsePath(path)
				var se *symbolic.Error
				if errors.As(err, &se) {
					c := *se
					c.Path = symbolic.Path(append(p.Steps(), se.Path.Steps()...)...)
					return nil, &c
				}
				return nil, &Error{Path: p, Msg: err.Error(), Err: ErrInvalidSpace}
			}
		}
		updates[path] = h
	}
	if err := symbolic.Rebind(tree, updates); err != nil {
		var se *symbolic.Error
		if errors.As(err, &se) && errors.Is(err, symbolic.ErrNotFound) {
			return nil, &Error{Path: se.Path, Msg: "no such place in the program: " + se.Msg, Err: ErrInvalidSpace}
		}
		return nil, err
	}
	return New(tree)
}
