package algorithms

import (
	"context"
	"encoding/binary"
	"errors"
	"math"

	"github.com/c2602f9e/goglove/space"
)

// Dedup wraps an algorithm so that it never proposes the same DNA twice:
// when the inner algorithm proposes a DNA already proposed (the same
// numbers form, DNASpec.Numbers, compared exactly: the same text by
// DNASpec.Format), Dedup asks it again, and after
// MaxRetries duplicates in a row it returns ErrDone. It also returns
// ErrDone as soon as every program of a finite space has been proposed.
// Duplicates are not fed back to the inner algorithm; feedback on the
// DNA Dedup returned is passed through unchanged.
//
// Dedup keeps the trial numbers of its inner algorithm (see
// TrialProposer): it asks the inner algorithm for draws 0, 1, 2, … of a
// trial until one was not proposed for another trial, so that a
// TrialProposer inside it still proposes for trial n what any worker
// with the same history would.
//
// A Dedup is not safe for concurrent use.
type Dedup struct {
	// Inner is the algorithm whose proposals are de-duplicated.
	Inner Algorithm
	// MaxRetries is how many duplicates in a row Propose tolerates before
	// it gives up with ErrDone. If it is 0, a default of 100 is used.
	MaxRetries int

	spec     *space.DNASpec
	seen     map[string]dedupMark // keys of the proposed and recorded DNA
	proposed map[int]string       // the key last proposed for a trial not recorded yet
	size     int64                // the number of programs; 0 when infinite or huge
	buf      []byte
	next     int // the trial Propose proposes for
}

// dedupMark says which trial a DNA was proposed for, and whether the
// study recorded it (Recover) or it was only proposed.
type dedupMark struct {
	trial    int
	recorded bool
}

var (
	_ TrialProposer  = (*Dedup)(nil)
	_ Recoverer      = (*Dedup)(nil)
	_ MultiObjective = (*Dedup)(nil)
)

// defaultMaxRetries is Dedup's default for MaxRetries.
const defaultMaxRetries = 100

// Setup sets up the inner algorithm and forgets what was proposed.
func (d *Dedup) Setup(spec *space.DNASpec) error {
	if d.Inner == nil {
		return errors.New("algorithms: dedup: Inner is nil")
	}
	if spec == nil {
		return errNilSpec("dedup")
	}
	if d.MaxRetries < 0 {
		return errors.New("algorithms: dedup: MaxRetries is negative")
	}
	if err := d.Inner.Setup(spec); err != nil {
		return err
	}
	d.spec = spec
	d.seen = make(map[string]dedupMark)
	d.proposed = make(map[int]string)
	d.size, d.next = 0, 0
	if n, ok := spec.Size(); ok && n.IsInt64() && n.Int64() < math.MaxInt64 {
		d.size = n.Int64()
	}
	return nil
}

// Propose returns the proposal for the next trial; see ProposeTrial.
func (d *Dedup) Propose(ctx context.Context) (space.DNA, error) {
	return d.ProposeTrial(ctx, d.next, 0)
}

// ProposeTrial returns the first of the inner algorithm's draws draw,
// draw+1, … for trial that was not proposed for another trial (see the
// package's ProposeTrial). It returns the inner algorithm's errors,
// ctx.Err() when ctx is done while retrying, and ErrDone when the space
// is exhausted or MaxRetries duplicates came in a row.
func (d *Dedup) ProposeTrial(ctx context.Context, trial, draw int) (space.DNA, error) {
	if d.spec == nil {
		return space.DNA{}, errNotSetUp("dedup")
	}
	if err := checkTrial("dedup", trial, draw); err != nil {
		return space.DNA{}, err
	}
	d.next = trial + 1
	others := int64(len(d.seen))
	if k, ok := d.proposed[trial]; ok && d.seen[k].trial == trial {
		others--
	}
	if d.size > 0 && others >= d.size {
		return space.DNA{}, ErrDone
	}
	retries := d.MaxRetries
	if retries == 0 {
		retries = defaultMaxRetries
	}
	for dup := 0; ; dup++ {
		dna, err := ProposeTrial(ctx, d.Inner, trial, draw+dup)
		if err != nil {
			return space.DNA{}, err
		}
		if m, ok := d.seen[string(d.key(dna))]; !ok || m.trial == trial {
			d.mark(trial, string(d.buf), false)
			return dna, nil
		}
		if dup >= retries-1 {
			return space.DNA{}, ErrDone
		}
		if err := ctx.Err(); err != nil {
			return space.DNA{}, err
		}
	}
}

// mark records key as proposed for trial, or as its DNA in the study
// (recorded), forgetting the key last proposed for it and not recorded:
// a proposal made again, or one the study did not keep.
func (d *Dedup) mark(trial int, key string, recorded bool) {
	if old, ok := d.proposed[trial]; ok && old != key {
		if m := d.seen[old]; m.trial == trial && !m.recorded {
			delete(d.seen, old)
		}
	}
	if recorded {
		delete(d.proposed, trial)
		d.seen[key] = dedupMark{trial, true}
		return
	}
	d.proposed[trial] = key
	if m, ok := d.seen[key]; !ok || !m.recorded {
		d.seen[key] = dedupMark{trial, false}
	}
}

// Feedback passes r to the inner algorithm.
func (d *Dedup) Feedback(r Result) { d.Inner.Feedback(r) }

// MultiObjective reports whether the inner algorithm is multi-objective.
func (d *Dedup) MultiObjective() bool {
	m, ok := d.Inner.(MultiObjective)
	return ok && m.MultiObjective()
}

// Recover marks every DNA of history as proposed for its trial and
// rebuilds the inner algorithm's state: with its own Recover when it has
// one, otherwise by replaying history through Dedup (ProposeTrial for
// each trial, then Feedback), which leaves a deterministic inner
// algorithm exactly where a run that produced history stopped.
func (d *Dedup) Recover(history []Result) error {
	if d.spec == nil {
		return errors.New("algorithms: dedup: Recover before Setup")
	}
	if r, ok := d.Inner.(Recoverer); ok {
		for _, h := range history {
			d.mark(h.Trial, string(d.key(h.DNA)), true)
		}
		if len(history) > 0 {
			d.next = history[len(history)-1].Trial + 1
		}
		return r.Recover(history)
	}
	ctx := context.Background()
	for _, h := range history {
		if _, err := d.ProposeTrial(ctx, h.Trial, 0); err != nil && !errors.Is(err, ErrDone) {
			return err
		}
		d.mark(h.Trial, string(d.key(h.DNA)), true)
		d.next = h.Trial + 1
		d.Feedback(h)
	}
	return nil
}

// key returns the key of dna in d.buf (valid until the next call): the
// bits of its numbers form, an exact and much cheaper stand-in for
// DNASpec.Format (the numbers form determines the DNA).
func (d *Dedup) key(dna space.DNA) []byte {
	d.buf = d.buf[:0]
	for _, x := range d.spec.Numbers(dna) {
		if x == 0 {
			x = 0 // -0 and 0 are the same decision
		}
		d.buf = binary.LittleEndian.AppendUint64(d.buf, math.Float64bits(x))
	}
	return d.buf
}
