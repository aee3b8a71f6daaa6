package algorithms

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"

	"github.com/c2602f9e/goglove/space"
)

// Dedup wraps an algorithm so that it never proposes the same DNA twice:
// when the inner algorithm proposes a DNA already proposed (the same
// numbers form, DNASpec.Numbers, compared exactly: the same text by
// DNASpec.Format), Dedup asks it again. After MaxRetries duplicates in a
// row, or when the inner algorithm says it is done (ErrDone), Dedup
// falls back to a DNA nobody proposed: on a finite space of at most
// MaxEnumerate programs, one drawn uniformly among the unseen ones (a
// walk in grid order, DNASpec.Grid, so it always finds one while any is
// left); on a larger or continuous space, random draws (DNASpec.Random)
// until one is unseen, up to MaxRetries of them. It returns ErrDone only
// when every program of a finite space has been proposed, or when the
// random fallback too drew only duplicates. Duplicates are not fed back
// to the inner algorithm; feedback on the DNA Dedup returned (a
// fallback's too) is passed through unchanged, so the inner algorithm
// learns from it as from a trial another worker proposed.
//
// Dedup keeps the trial numbers of its inner algorithm (see
// TrialProposer): it asks the inner algorithm for draws 0, 1, 2, … of a
// trial until one was not proposed for another trial, so that a
// TrialProposer inside it still proposes for trial n what any worker
// with the same history would. The fallback draws from a random stream
// of the trial's own (derived from its number and first draw), and
// which programs are unseen depends only on the history, so it too is
// the same on every worker.
//
// A Dedup is not safe for concurrent use.
type Dedup struct {
	// Inner is the algorithm whose proposals are de-duplicated.
	Inner Algorithm `sym:",required" doc:"the algorithm whose repeats are left out"`
	// MaxRetries is how many duplicates in a row the inner algorithm may
	// propose for a trial before Dedup falls back to an unseen DNA, and
	// how many random draws that fallback makes on a space too large to
	// enumerate. If it is 0, a default of 20 is used.
	MaxRetries int `min:"0" max:"1000000" doc:"proposals asked of the inner algorithm before an unseen program is drawn (0: the default)"`
	// MaxEnumerate is the largest finite space whose unseen programs the
	// fallback enumerates (a walk over the whole space); larger spaces
	// fall back to random draws. If it is 0, a default of 1<<20 is used.
	MaxEnumerate int64 `min:"0" doc:"the most programs a finite space may have to be counted (0: the default)"`

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

// Dedup's defaults for MaxRetries and MaxEnumerate.
const (
	defaultMaxRetries   = 20
	defaultMaxEnumerate = 1 << 20
)

// dedupStream is the constant of the random streams of Dedup's fallback.
const dedupStream uint64 = 0x6465647570 // "dedup"

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
	if d.MaxEnumerate < 0 {
		return errors.New("algorithms: dedup: MaxEnumerate is negative")
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
// package's ProposeTrial), or, after MaxRetries duplicates or the inner
// algorithm's ErrDone, an unseen DNA of the fallback. It returns the
// inner algorithm's other errors, ctx.Err() when ctx is done while
// retrying, and ErrDone when the space is exhausted (or the random
// fallback drew only duplicates).
func (d *Dedup) ProposeTrial(ctx context.Context, trial, draw int) (space.DNA, error) {
	return d.propose(ctx, trial, draw, true)
}

// propose is ProposeTrial, with the fallback only if fallback is true
// (a replay, whose DNA is discarded, needs only the inner algorithm's
// draws); without it, a run of duplicates is ErrDone.
func (d *Dedup) propose(ctx context.Context, trial, draw int, fallback bool) (space.DNA, error) {
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
	retries := d.retries()
	for dup := 0; dup < retries; dup++ {
		dna, err := ProposeTrial(ctx, d.Inner, trial, draw+dup)
		if errors.Is(err, ErrDone) {
			break
		}
		if err != nil {
			return space.DNA{}, err
		}
		if d.free(trial, d.key(dna)) {
			d.mark(trial, string(d.buf), false)
			return dna, nil
		}
		if err := ctx.Err(); err != nil {
			return space.DNA{}, err
		}
	}
	if !fallback {
		return space.DNA{}, ErrDone
	}
	dna, err := d.fallback(ctx, trial, draw, others)
	if err != nil {
		return space.DNA{}, err
	}
	d.mark(trial, string(d.key(dna)), false)
	return dna, nil
}

func (d *Dedup) retries() int {
	if d.MaxRetries == 0 {
		return defaultMaxRetries
	}
	return d.MaxRetries
}

// free reports whether key was not proposed for a trial other than
// trial.
func (d *Dedup) free(trial int, key []byte) bool {
	m, ok := d.seen[string(key)]
	return !ok || m.trial == trial
}

// fallback returns a DNA not proposed for another trial, drawn from the
// stream of (trial, draw): on a finite space small enough, uniformly
// among the unseen programs, of which there are size-others; else by
// random draws. ErrDone: none found.
func (d *Dedup) fallback(ctx context.Context, trial, draw int, others int64) (space.DNA, error) {
	rng := rand.New(rand.NewPCG(mix64(dedupStream^uint64(trial)), mix64(uint64(draw))))
	limit := d.MaxEnumerate
	if limit == 0 {
		limit = defaultMaxEnumerate
	}
	if d.size > 0 && d.size <= limit {
		grid, err := d.spec.Grid()
		if err != nil {
			return space.DNA{}, err
		}
		k := rng.Int64N(d.size - others)
		for dna := range grid {
			if !d.free(trial, d.key(dna)) {
				continue
			}
			if k == 0 {
				return dna, nil
			}
			k--
		}
		return space.DNA{}, ErrDone // unreachable while the counts agree
	}
	for range d.retries() {
		dna := d.spec.Random(rng)
		if d.free(trial, d.key(dna)) {
			return dna, nil
		}
		if err := ctx.Err(); err != nil {
			return space.DNA{}, err
		}
	}
	return space.DNA{}, ErrDone
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

// Recover marks every DNA of history as proposed for its trial (a
// Pending one too: it is taken) and rebuilds the inner algorithm's
// state: with its own Recover when it has one, otherwise by replaying
// history through Dedup (ProposeTrial for each trial, then Feedback
// unless the result is Pending), which leaves a deterministic inner
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
		if _, err := d.propose(ctx, h.Trial, 0, false); err != nil && !errors.Is(err, ErrDone) {
			return err
		}
		d.mark(h.Trial, string(d.key(h.DNA)), true)
		d.next = h.Trial + 1
		if !h.Pending {
			d.Feedback(h)
		}
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
