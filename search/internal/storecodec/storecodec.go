// Package storecodec encodes studies and trials for the columns of the
// SQL stores (sqlitestore, pgstore), so that they hold the same JSON: DNA,
// metrics, steps and objectives in their own JSON forms, programs and
// configs as compact symbolic JSON. A nil []byte stands for NULL; each
// store maps it, and times, to its driver's types.
package storecodec

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
)

// Trial is a TrialRecord encoded for its columns; Number is its key.
type Trial struct {
	DNA, Program, Metrics, Steps  []byte
	DNAText, State, Error, Worker string
	Attempt                       int
	Created, Finished             time.Time // zero: NULL
}

// EncodeTrial encodes t.
func EncodeTrial(t search.TrialRecord) (r Trial, err error) {
	if r.DNA, err = json.Marshal(t.DNA); err != nil {
		return r, fmt.Errorf("DNA: %w", err)
	}
	if r.Program, err = encodeSymbolic(t.Program); err != nil {
		return r, fmt.Errorf("program: %w", err)
	}
	if t.Metrics != nil {
		if r.Metrics, err = json.Marshal(t.Metrics); err != nil {
			return r, fmt.Errorf("metrics: %w", err)
		}
	}
	if t.Steps != nil {
		if r.Steps, err = json.Marshal(t.Steps); err != nil {
			return r, fmt.Errorf("steps: %w", err)
		}
	}
	r.DNAText, r.State, r.Error, r.Worker, r.Attempt = t.DNAText, t.State.String(), t.Error, t.Worker, t.Attempt
	r.Created, r.Finished = t.Created, t.Finished
	return r, nil
}

// DecodeTrial decodes the columns of trial number, reading programs with
// reg.
func DecodeTrial(number int, r Trial, reg *symbolic.Registry) (search.TrialRecord, error) {
	t := search.TrialRecord{Number: number, DNAText: r.DNAText, Error: r.Error, Worker: r.Worker, Attempt: r.Attempt,
		Created: r.Created, Finished: r.Finished}
	var err error
	if err = json.Unmarshal(r.DNA, &t.DNA); err != nil {
		return t, fmt.Errorf("trial %d: DNA: %w", number, err)
	}
	if t.Program, err = decodeSymbolic(r.Program, reg); err != nil {
		return t, fmt.Errorf("trial %d: program: %w", number, err)
	}
	if t.State, err = search.ParseState(r.State); err != nil {
		return t, fmt.Errorf("trial %d: %w", number, err)
	}
	if r.Metrics != nil {
		if err := json.Unmarshal(r.Metrics, &t.Metrics); err != nil {
			return t, fmt.Errorf("trial %d: metrics: %w", number, err)
		}
	}
	if r.Steps != nil {
		if err := json.Unmarshal(r.Steps, &t.Steps); err != nil {
			return t, fmt.Errorf("trial %d: steps: %w", number, err)
		}
		if len(t.Steps) == 0 {
			t.Steps = nil
		}
	}
	return t, nil
}

// EncodeStudy encodes a study's objectives and config (nil: NULL).
func EncodeStudy(st search.StudyInfo) (objectives, config []byte, err error) {
	if objectives, err = json.Marshal(st.Objectives); err != nil {
		return nil, nil, fmt.Errorf("objectives: %w", err)
	}
	if config, err = encodeSymbolic(st.Config); err != nil {
		return nil, nil, fmt.Errorf("config: %w", err)
	}
	return objectives, config, nil
}

// DecodeStudy decodes a study's columns, reading its config with reg.
func DecodeStudy(name string, objectives, config []byte, created time.Time, reg *symbolic.Registry) (search.StudyInfo, error) {
	st := search.StudyInfo{Name: name, Created: created}
	if err := json.Unmarshal(objectives, &st.Objectives); err != nil {
		return st, fmt.Errorf("study %q: objectives: %w", name, err)
	}
	if len(st.Objectives) == 0 {
		st.Objectives = nil
	}
	var err error
	if st.Config, err = decodeSymbolic(config, reg); err != nil {
		return st, fmt.Errorf("study %q: config: %w", name, err)
	}
	return st, nil
}

func encodeSymbolic(v symbolic.Value) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	return symbolic.EncodeJSONCompact(v)
}

func decodeSymbolic(b []byte, reg *symbolic.Registry) (symbolic.Value, error) {
	if b == nil {
		return nil, nil
	}
	return reg.DecodeJSON(b, nil)
}
