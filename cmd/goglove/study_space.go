package main

import (
	"fmt"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// studySpace returns the genotype of the space a study's config names
// (inline, or the built-in objective's when the config gives none), for
// the verbs that show decisions by key path (plot, report, dashboard,
// trials --csv); nil for a study that keeps no config. It compiles the
// space alone rather than the whole job, so that a study whose command
// objective is not on this machine is still shown.
func studySpace(reg *symbolic.Registry) func(info search.StudyInfo) (*space.DNASpec, error) {
	return func(info search.StudyInfo) (*space.DNASpec, error) {
		if info.Config == nil {
			return nil, nil
		}
		cfg, err := search.ConfigFromStudy(reg, info)
		if err != nil {
			return nil, err
		}
		if cfg.Space != nil && cfg.Space.Kind() != symbolic.KindNull {
			s, err := space.New(cfg.Space)
			if err != nil {
				return nil, err
			}
			return s.Spec(), nil
		}
		if b, ok := newBuiltins()[cfg.Objective.Builtin]; ok && b.Space != nil {
			return b.Space().Spec(), nil
		}
		return nil, fmt.Errorf("its config names no space and no built-in objective with one")
	}
}
