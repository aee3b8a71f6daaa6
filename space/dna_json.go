package space

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// MarshalJSON writes a DNA as nested JSON arrays: [value] for a node
// without children, [value, [child, …]] when Children is not nil (so nil
// and empty children stay apart). Stores keep DNA in this form; unlike
// the numbers form, it needs no DNASpec to read back.
func (d DNA) MarshalJSON() ([]byte, error) {
	if !finiteDNA(d) {
		return nil, fmt.Errorf("space: DNA value %v is not finite", firstNonFinite(d))
	}
	return appendDNA(nil, d), nil
}

// String returns the form MarshalJSON writes, such as [0,[[2,[]],[0.5]]]
// (a value that is not finite is written NaN, +Inf or -Inf). The numbers
// form, which needs the DNASpec, is DNASpec.Format.
func (d DNA) String() string { return string(appendDNA(nil, d)) }

func appendDNA(b []byte, d DNA) []byte {
	b = append(b, '[')
	b = strconv.AppendFloat(b, d.Value, 'g', -1, 64)
	if d.Children != nil {
		b = append(b, ",["...)
		for i, c := range d.Children {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendDNA(b, c)
		}
		b = append(b, ']')
	}
	return append(b, ']')
}

func finiteDNA(d DNA) bool {
	if math.IsNaN(d.Value) || math.IsInf(d.Value, 0) {
		return false
	}
	for _, c := range d.Children {
		if !finiteDNA(c) {
			return false
		}
	}
	return true
}

// firstNonFinite returns the first value of d, depth first, that is not
// finite.
func firstNonFinite(d DNA) float64 {
	if math.IsNaN(d.Value) || math.IsInf(d.Value, 0) {
		return d.Value
	}
	for _, c := range d.Children {
		if !finiteDNA(c) {
			return firstNonFinite(c)
		}
	}
	return 0
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (d *DNA) UnmarshalJSON(data []byte) error {
	var parts []json.RawMessage
	if err := json.Unmarshal(data, &parts); err != nil {
		return fmt.Errorf("space: DNA: %w", err)
	}
	if len(parts) != 1 && len(parts) != 2 {
		return fmt.Errorf("space: DNA node %s: want [value] or [value, [children]]", data)
	}
	var out DNA
	if err := json.Unmarshal(parts[0], &out.Value); err != nil {
		return fmt.Errorf("space: DNA value %s: %w", parts[0], err)
	}
	if len(parts) == 2 {
		if err := json.Unmarshal(parts[1], &out.Children); err != nil {
			return err
		}
		if out.Children == nil {
			out.Children = []DNA{}
		}
	}
	*d = out
	return nil
}
