package sqlitestore

import (
	"database/sql"
	"encoding/json"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// The DNA column holds a DNA in space.DNA's JSON form.

func encodeDNA(d space.DNA) (string, error) {
	b, err := json.Marshal(d)
	return string(b), err
}

func decodeDNA(text string) (space.DNA, error) {
	var d space.DNA
	err := json.Unmarshal([]byte(text), &d)
	return d, err
}

// encodeSymbolic returns v's compact JSON, or NULL for nil.
func encodeSymbolic(v symbolic.Value) (sql.NullString, error) {
	if v == nil {
		return sql.NullString{}, nil
	}
	b, err := symbolic.EncodeJSONCompact(v)
	if err != nil {
		return sql.NullString{}, err
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

func (s *Store) decodeSymbolic(text sql.NullString) (symbolic.Value, error) {
	if !text.Valid {
		return nil, nil
	}
	return s.reg.DecodeJSON([]byte(text.String), nil)
}

// encodeJSON returns v's JSON, or NULL for a nil map or slice.
func encodeJSON[T any](v T, isNil bool) (sql.NullString, error) {
	if isNil {
		return sql.NullString{}, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return sql.NullString{}, err
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

func decodeJSON[T any](text sql.NullString, v *T) error {
	if !text.Valid {
		return nil
	}
	return json.Unmarshal([]byte(text.String), v)
}

func encodeObjectives(ms []search.Metric) (string, error) {
	b, err := json.Marshal(ms)
	return string(b), err
}

func decodeObjectives(text string) ([]search.Metric, error) {
	var out []search.Metric
	if err := json.Unmarshal([]byte(text), &out); err != nil || len(out) == 0 {
		return nil, err
	}
	return out, nil
}

func encodeSteps(steps []search.Step) (sql.NullString, error) {
	return encodeJSON(steps, steps == nil)
}

func decodeSteps(text sql.NullString) ([]search.Step, error) {
	var out []search.Step
	if err := decodeJSON(text, &out); err != nil || out == nil {
		return nil, err
	}
	return out, nil
}

// parseState parses a state's name, as written by State.String.
func parseState(name string) (search.State, error) { return search.ParseState(name) }

// Times are kept as microseconds since the Unix epoch, UTC; the zero
// time is NULL.

func encodeTime(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

func decodeTime(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}
