package search

import (
	"context"
	"fmt"
	"sort"
	"sync"

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
}

var _ Store = (*MemStore)(nil)

// NewMemStore returns an empty in-memory store.
func NewMemStore() *MemStore { return &MemStore{studies: map[string]*memStudy{}} }

// CreateStudy implements Store.
func (m *MemStore) CreateStudy(ctx context.Context, s StudyInfo) error {
	if err := ctx.Err(); err != nil {
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
	if err := ctx.Err(); err != nil {
		return StudyInfo{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.studies[name]
	if !ok {
		return StudyInfo{}, fmt.Errorf("%w: study %q", ErrNotFound, name)
	}
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

// AddTrial implements Store.
func (m *MemStore) AddTrial(ctx context.Context, study string, t TrialRecord) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.studies[study]
	if !ok {
		return 0, fmt.Errorf("%w: study %q", ErrNotFound, study)
	}
	t.Number = len(s.trials)
	s.trials = append(s.trials, copyRecord(t))
	return t.Number, nil
}

// UpdateTrial implements Store.
func (m *MemStore) UpdateTrial(ctx context.Context, study string, t TrialRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.studies[study]
	if !ok {
		return fmt.Errorf("%w: study %q", ErrNotFound, study)
	}
	if t.Number < 0 || t.Number >= len(s.trials) {
		return fmt.Errorf("%w: trial %d of study %q", ErrNotFound, t.Number, study)
	}
	s.trials[t.Number] = copyRecord(t)
	return nil
}

// Trials implements Store.
func (m *MemStore) Trials(ctx context.Context, study string) ([]TrialRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.studies[study]
	if !ok {
		return nil, fmt.Errorf("%w: study %q", ErrNotFound, study)
	}
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
