package search

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/c2602f9e/goglove/symbolic"
)

// MemStore is a Store that keeps everything in memory, for searches that
// need nothing on disk (the URL mem://). It is safe for concurrent use.
type MemStore struct {
	mu      sync.Mutex
	studies map[string]*memStudy
}

type memStudy struct {
	info   StudyInfo
	trials []TrialRecord
	seq    int64 // the last change number
	// changed[c-1] is the trial that change number c changed, so that
	// Propose finds the changes since a number without a scan.
	changed []int
}

// change gives trial i the study's next change number.
func (s *memStudy) change(i int) {
	s.seq++
	s.trials[i].Seq = s.seq
	s.changed = append(s.changed, i)
}

// changesSince returns the trials changed after change number since, in
// number order: copies of the records whose DNA, program, metrics and
// steps are the stored ones, which Propose's fn only reads (the store
// replaces those values on a write, never changes them in place).
func (s *memStudy) changesSince(since int64) []TrialRecord {
	from := max(since, 0)
	var nums []int
	for i, n := range s.changed[from:] {
		if s.trials[n].Seq == from+int64(i)+1 { // the trial's last change
			nums = append(nums, n)
		}
	}
	slices.Sort(nums)
	out := make([]TrialRecord, len(nums))
	for i, n := range nums {
		out[i] = s.trials[n]
	}
	return out
}

var _ Store = (*MemStore)(nil)

// NewMemStore returns an empty in-memory store.
func NewMemStore() *MemStore { return &MemStore{studies: map[string]*memStudy{}} }

// locked checks ctx, takes the store's lock and finds the study; unless
// it returns an error, the caller must unlock m.mu.
func (m *MemStore) locked(ctx context.Context, name string) (*memStudy, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	s, ok := m.studies[name]
	if !ok {
		m.mu.Unlock()
		return nil, fmt.Errorf("%w: study %q", ErrNotFound, name)
	}
	return s, nil
}

// CreateStudy implements Store.
func (m *MemStore) CreateStudy(ctx context.Context, s StudyInfo) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := CheckStudyName(s.Name); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.studies[s.Name]; ok {
		return fmt.Errorf("%w: study %q", ErrExists, s.Name)
	}
	m.studies[s.Name] = &memStudy{info: copyStudy(s)}
	return nil
}

// Study implements Store.
func (m *MemStore) Study(ctx context.Context, name string) (StudyInfo, error) {
	s, err := m.locked(ctx, name)
	if err != nil {
		return StudyInfo{}, err
	}
	defer m.mu.Unlock()
	return copyStudy(s.info), nil
}

// Studies implements Store.
func (m *MemStore) Studies(ctx context.Context) ([]StudyInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]StudyInfo, 0, len(m.studies))
	for _, s := range m.studies {
		out = append(out, copyStudy(s.info))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// DeleteStudy implements Store.
func (m *MemStore) DeleteStudy(ctx context.Context, name string) error {
	if _, err := m.locked(ctx, name); err != nil {
		return err
	}
	defer m.mu.Unlock()
	delete(m.studies, name)
	return nil
}

// RenameStudy implements Store.
func (m *MemStore) RenameStudy(ctx context.Context, old, new string) error {
	s, err := m.locked(ctx, old)
	if err != nil {
		return err
	}
	defer m.mu.Unlock()
	if _, ok := m.studies[new]; ok {
		return fmt.Errorf("%w: study %q", ErrExists, new)
	}
	delete(m.studies, old)
	s.info.Name = new
	m.studies[new] = s
	return nil
}

// CopyStudy implements Store.
func (m *MemStore) CopyStudy(ctx context.Context, from, to string) error {
	s, err := m.locked(ctx, from)
	if err != nil {
		return err
	}
	defer m.mu.Unlock()
	if _, ok := m.studies[to]; ok {
		return fmt.Errorf("%w: study %q", ErrExists, to)
	}
	c := &memStudy{info: copyStudy(s.info), trials: make([]TrialRecord, len(s.trials)), seq: s.seq,
		changed: slices.Clone(s.changed)}
	c.info.Name = to
	for i, t := range s.trials {
		c.trials[i] = copyRecord(t)
	}
	m.studies[to] = c
	return nil
}

// AddTrial implements Store.
func (m *MemStore) AddTrial(ctx context.Context, study string, t TrialRecord) (int, error) {
	s, err := m.locked(ctx, study)
	if err != nil {
		return 0, err
	}
	defer m.mu.Unlock()
	t.Number = len(s.trials)
	t.Heartbeat, t.Lease = time.Time{}, 0
	s.trials = append(s.trials, copyRecord(t))
	s.change(t.Number)
	return t.Number, nil
}

// UpdateTrial implements Store.
func (m *MemStore) UpdateTrial(ctx context.Context, study string, t TrialRecord) error {
	s, err := m.locked(ctx, study)
	if err != nil {
		return err
	}
	defer m.mu.Unlock()
	if t.Number < 0 || t.Number >= len(s.trials) {
		return fmt.Errorf("%w: trial %d of study %q", ErrNotFound, t.Number, study)
	}
	old := &s.trials[t.Number]
	if write, err := CheckUpdate(*old, t); !write {
		return err
	}
	t.Heartbeat, t.Lease = old.Heartbeat, old.Lease
	s.trials[t.Number] = copyRecord(t)
	s.change(t.Number)
	return nil
}

// Propose implements Store.
func (m *MemStore) Propose(ctx context.Context, study string, since int64, fn func([]TrialRecord, int64) (*TrialRecord, error)) (int, int64, error) {
	s, err := m.locked(ctx, study)
	if err != nil {
		return -1, 0, err
	}
	defer m.mu.Unlock()
	t, err := fn(s.changesSince(since), s.seq)
	if err != nil || t == nil {
		return -1, s.seq, err
	}
	if t.Claim {
		if t.Number < 0 || t.Number >= len(s.trials) || s.trials[t.Number].State != Waiting {
			return -1, s.seq, fmt.Errorf("%w: trial %d of study %q is not waiting", ErrSuperseded, t.Number, study)
		}
		w := &s.trials[t.Number]
		w.State, w.Attempt, w.Worker, w.Created, w.Heartbeat, w.Lease = t.State, t.Attempt, t.Worker, t.Created, time.Time{}, 0
		if t.Watched {
			w.Heartbeat, w.Lease = time.Now(), max(t.Lease, 0)
		}
		s.change(t.Number)
		return t.Number, s.seq, nil
	}
	rec := copyRecord(*t)
	rec.Number = len(s.trials)
	rec.Heartbeat = time.Time{}
	if rec.Watched {
		rec.Heartbeat = time.Now()
	} else {
		rec.Lease = 0
	}
	s.trials = append(s.trials, rec)
	s.change(rec.Number)
	return rec.Number, s.seq, nil
}

// Heartbeat implements Store.
func (m *MemStore) Heartbeat(ctx context.Context, study string, number, attempt int) error {
	s, err := m.locked(ctx, study)
	if err != nil {
		return err
	}
	defer m.mu.Unlock()
	if number < 0 || number >= len(s.trials) {
		return fmt.Errorf("%w: trial %d of study %q", ErrNotFound, number, study)
	}
	t := &s.trials[number]
	if t.State != Running || t.Attempt != attempt {
		return fmt.Errorf("%w: trial %d attempt %d no longer runs", ErrSuperseded, number, attempt)
	}
	t.Heartbeat = time.Now()
	return nil
}

// Reclaim implements Store.
func (m *MemStore) Reclaim(ctx context.Context, study string, req ReclaimRequest) (TrialRecord, error) {
	s, err := m.locked(ctx, study)
	if err != nil {
		return TrialRecord{}, err
	}
	defer m.mu.Unlock()
	now := time.Now()
	for i := range s.trials {
		t := &s.trials[i]
		timeout := req.Timeout
		if t.Lease > 0 {
			timeout = t.Lease
		}
		if t.State != Running || t.Heartbeat.IsZero() ||
			now.Sub(t.Heartbeat) <= timeout && !slices.Contains(req.Dead, t.Worker) {
			continue
		}
		if req.MaxAttempts > 0 && t.Attempt >= req.MaxAttempts {
			t.State, t.Error, t.Finished = Failed, AbandonedError(t.Attempt), now
			s.change(i)
			continue
		}
		t.Attempt++
		t.Worker, t.Heartbeat, t.Steps, t.Lease = req.Worker, now, nil, max(req.Lease, 0)
		s.change(i)
		return copyRecord(*t), nil
	}
	return TrialRecord{}, fmt.Errorf("%w: no stale trial in study %q", ErrNotFound, study)
}

// Trials implements Store.
func (m *MemStore) Trials(ctx context.Context, study string) ([]TrialRecord, error) {
	s, err := m.locked(ctx, study)
	if err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	out := make([]TrialRecord, len(s.trials))
	for i, t := range s.trials {
		out[i] = copyRecord(t)
	}
	return out, nil
}

// Close implements Store; a MemStore needs no closing.
func (m *MemStore) Close() error { return nil }

// copyRecord copies the mutable parts of a record, so callers and the
// store never share them.
func copyRecord(t TrialRecord) TrialRecord {
	t.DNA = t.DNA.Clone()
	if t.Program != nil {
		t.Program = symbolic.Clone(t.Program)
	}
	t.Metrics = copyMetrics(t.Metrics)
	t.Steps = append([]Step(nil), t.Steps...)
	for i := range t.Steps {
		t.Steps[i].Metrics = copyMetrics(t.Steps[i].Metrics)
	}
	return t
}

// copyStudy copies the mutable parts of a study, so callers and the
// store never share them.
func copyStudy(s StudyInfo) StudyInfo {
	s.Objectives = append([]Metric(nil), s.Objectives...)
	if s.Config != nil {
		s.Config = symbolic.Clone(s.Config)
	}
	return s
}
