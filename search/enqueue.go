package search

import (
	"context"
	"fmt"
	"time"

	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// Enqueue hands a study a program to evaluate before the algorithm's own
// proposals (a warm start, Optuna's enqueue_trial): program is encoded to
// DNA against s (an error wrapping space.ErrNotInSpace names the key path
// of the first value the space cannot produce) and added to the study
// opts names, which is created as Sample and Run would create it (see
// OpenStudy), as a Waiting trial. The next proposal of any worker of the
// study hands it out, the lowest-numbered first, before asking the
// algorithm; the algorithm learns from its result as from a trial another
// worker proposed. Once started, it counts toward the budgets like any
// trial; one still waiting when the budget is spent stays waiting.
// Enqueue returns the trial's number.
func Enqueue(ctx context.Context, s *space.Space, program symbolic.Value, opts *Options) (int, error) {
	d, err := s.Encode(program)
	if err != nil {
		return -1, fmt.Errorf("search: enqueue: the program is not in the study's space: %w", err)
	}
	return EnqueueDNA(ctx, Searchable[symbolic.Value](s), d, opts)
}

// EnqueueDNA is Enqueue for a DNA of any space: d must be valid for its
// spec and decode.
func EnqueueDNA[T any](ctx context.Context, s Searchable[T], d space.DNA, opts *Options) (int, error) {
	spec := s.Spec()
	if err := spec.Validate(d); err != nil {
		return -1, fmt.Errorf("search: enqueue: the DNA is not one of the study's space: %w", err)
	}
	_, tree, err := decode(s, d)
	if err != nil {
		return -1, fmt.Errorf("search: enqueue: decode: %w", err)
	}
	o := opts.withDefaults()
	if err := CheckStudyName(o.Study); err != nil {
		return -1, err
	}
	if err := OpenStudy(ctx, &o); err != nil {
		return -1, err
	}
	n, err := o.Store.AddTrial(ctx, o.Study, TrialRecord{DNA: d, DNAText: spec.Format(d), Program: tree,
		State: Waiting, Created: time.Now()})
	if err != nil {
		return -1, fmt.Errorf("search: enqueue in study %q: %w", o.Study, err)
	}
	return n, nil
}
