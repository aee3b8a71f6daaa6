package sqlitestore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// The DNA column holds a DNA as nested JSON arrays: [value] for a leaf,
// [value, [child, …]] when Children is not nil.

func encodeDNA(d space.DNA) (string, error) {
	b, err := appendDNA(nil, d)
	return string(b), err
}

func appendDNA(b []byte, d space.DNA) ([]byte, error) {
	if math.IsNaN(d.Value) || math.IsInf(d.Value, 0) {
		return nil, fmt.Errorf("DNA value %v is not finite", d.Value)
	}
	b = append(b, '[')
	b = strconv.AppendFloat(b, d.Value, 'g', -1, 64)
	if d.Children != nil {
		b = append(b, ",["...)
		for i, c := range d.Children {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendDNA(b, c); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	return append(b, ']'), nil
}

func decodeDNA(text string) (space.DNA, error) {
	var raw json.RawMessage
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return space.DNA{}, err
	}
	return dnaFromJSON(raw)
}

func dnaFromJSON(raw json.RawMessage) (space.DNA, error) {
	var parts []json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil {
		return space.DNA{}, err
	}
	if len(parts) != 1 && len(parts) != 2 {
		return space.DNA{}, fmt.Errorf("DNA node %s: want [value] or [value, [children]]", raw)
	}
	var d space.DNA
	if err := json.Unmarshal(parts[0], &d.Value); err != nil {
		return space.DNA{}, err
	}
	if len(parts) == 2 {
		var children []json.RawMessage
		if err := json.Unmarshal(parts[1], &children); err != nil {
			return space.DNA{}, err
		}
		d.Children = make([]space.DNA, len(children))
		for i, c := range children {
			var err error
			if d.Children[i], err = dnaFromJSON(c); err != nil {
				return space.DNA{}, err
			}
		}
	}
	return d, nil
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

type objectiveJSON struct {
	Name      string `json:"name"`
	Direction string `json:"direction"`
}

func encodeObjectives(ms []search.Metric) (string, error) {
	out := make([]objectiveJSON, len(ms))
	for i, m := range ms {
		out[i] = objectiveJSON{m.Name, m.Direction.String()}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func decodeObjectives(text string) ([]search.Metric, error) {
	var in []objectiveJSON
	if err := json.Unmarshal([]byte(text), &in); err != nil {
		return nil, err
	}
	if len(in) == 0 {
		return nil, nil
	}
	out := make([]search.Metric, len(in))
	for i, o := range in {
		d, err := search.ParseDirection(o.Direction)
		if err != nil {
			return nil, err
		}
		out[i] = search.Metric{Name: o.Name, Direction: d}
	}
	return out, nil
}

type stepJSON struct {
	Step    int            `json:"step"`
	Metrics search.Metrics `json:"metrics"`
}

func encodeSteps(steps []search.Step) (sql.NullString, error) {
	out := make([]stepJSON, len(steps))
	for i, st := range steps {
		out[i] = stepJSON(st)
	}
	return encodeJSON(out, steps == nil)
}

func decodeSteps(text sql.NullString) ([]search.Step, error) {
	var in []stepJSON
	if err := decodeJSON(text, &in); err != nil || in == nil {
		return nil, err
	}
	out := make([]search.Step, len(in))
	for i, st := range in {
		out[i] = search.Step(st)
	}
	return out, nil
}

// parseState parses a state's name, as written by State.String.
func parseState(name string) (search.State, error) {
	for s := search.Running; s <= search.EarlyStopped; s++ {
		if s.String() == name {
			return s, nil
		}
	}
	return 0, fmt.Errorf("unknown trial state %q", name)
}

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
