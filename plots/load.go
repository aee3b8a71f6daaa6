package plots

import (
	"context"
	"fmt"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
)

// SpaceOf returns the genotype of a study's space from what the store
// keeps of it (its config), or nil when the study keeps none. The command
// line's resolves built-in objectives' spaces, which package plots cannot
// know.
type SpaceOf func(info search.StudyInfo) (*space.DNASpec, error)

// Load reads a study and its trials from a store into a Study, its space
// from spaceOf (nil: the space is not known).
func Load(ctx context.Context, st search.Store, name string, spaceOf SpaceOf) (*Study, error) {
	info, err := st.Study(ctx, name)
	if err != nil {
		return nil, err
	}
	trials, err := st.Trials(ctx, name)
	if err != nil {
		return nil, err
	}
	return FromRecords(info, trials, spaceOf)
}

// FromRecords is Load of records already read.
func FromRecords(info search.StudyInfo, trials []search.TrialRecord, spaceOf SpaceOf) (*Study, error) {
	s := &Study{Name: info.Name, Objectives: info.Objectives, Trials: trials}
	if spaceOf != nil {
		spec, err := spaceOf(info)
		if err != nil {
			return nil, fmt.Errorf("plots: study %s: its space: %w", info.Name, err)
		}
		s.Spec = spec
	}
	return s, nil
}
