package pgstore

import (
	"encoding/json"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// The stores hold the same JSON: DNA, metrics and steps as their own
// JSON forms (space.DNA, search.Metric, search.Step).
// A nil []byte is passed to and scanned from PostgreSQL as NULL.

// The dna column holds a DNA in space.DNA's JSON form.

func encodeDNA(d space.DNA) ([]byte, error) { return json.Marshal(d) }

func decodeDNA(text []byte) (space.DNA, error) {
	var d space.DNA
	err := json.Unmarshal(text, &d)
	return d, err
}

// encodeSymbolic returns v's compact JSON, or nil (NULL) for nil.
func encodeSymbolic(v symbolic.Value) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	return symbolic.EncodeJSONCompact(v)
}

func (s *Store) decodeSymbolic(text []byte) (symbolic.Value, error) {
	if text == nil {
		return nil, nil
	}
	return s.reg.DecodeJSON(text, nil)
}

// encodeJSON returns v's JSON, or nil (NULL) for a nil map or slice.
func encodeJSON[T any](v T, isNil bool) ([]byte, error) {
	if isNil {
		return nil, nil
	}
	return json.Marshal(v)
}

func decodeJSON[T any](text []byte, v *T) error {
	if text == nil {
		return nil
	}
	return json.Unmarshal(text, v)
}

func encodeObjectives(ms []search.Metric) ([]byte, error) { return json.Marshal(ms) }

func decodeObjectives(text []byte) ([]search.Metric, error) {
	var out []search.Metric
	if err := json.Unmarshal(text, &out); err != nil || len(out) == 0 {
		return nil, err
	}
	return out, nil
}

func encodeSteps(steps []search.Step) ([]byte, error) { return encodeJSON(steps, steps == nil) }

func decodeSteps(text []byte) ([]search.Step, error) {
	var out []search.Step
	if err := decodeJSON(text, &out); err != nil || out == nil {
		return nil, err
	}
	return out, nil
}

func parseState(name string) (search.State, error) { return search.ParseState(name) }

// time is NULL.
func encodeTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.Truncate(time.Microsecond).UTC()
	return &t
}

func decodeTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
