package search

import (
	"encoding/json"
	"fmt"
)

// MarshalJSON writes {"name": …, "direction": "minimize"|"maximize"}.
func (m Metric) MarshalJSON() ([]byte, error) {
	return json.Marshal(metricJSON{Name: m.Name, Direction: m.Direction.String()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (m *Metric) UnmarshalJSON(data []byte) error {
	var in metricJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	d, err := ParseDirection(in.Direction)
	if err != nil {
		return err
	}
	*m = Metric{Name: in.Name, Direction: d}
	return nil
}

type metricJSON struct {
	Name      string `json:"name"`
	Direction string `json:"direction"`
}

// ParseState parses a state's name, as State.String writes it.
func ParseState(name string) (State, error) {
	for s := Running; int(s) < len(stateNames); s++ {
		if s.String() == name {
			return s, nil
		}
	}
	return 0, fmt.Errorf("search: unknown trial state %q", name)
}
