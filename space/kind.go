package space

import "strconv"

// Kind is the kind of a decision point.
type Kind uint8

// The kinds of decision points, one per hyper-value.
const (
	KindOneOf Kind = iota + 1
	KindManyOf
	KindPermutation
	KindFloat
	KindInt
)

var kindNames = [...]string{
	KindOneOf:       "oneof",
	KindManyOf:      "manyof",
	KindPermutation: "permutation",
	KindFloat:       "float",
	KindInt:         "int",
}

// String returns the kind's name, as in its YAML tag without "!".
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// IsChoice reports whether the kind chooses among candidates.
func (k Kind) IsChoice() bool { return k == KindOneOf || k == KindManyOf || k == KindPermutation }

// Scale is how a Float decision is spread between its bounds.
type Scale uint8

// Scales of Float decisions.
const (
	// Linear spreads values uniformly between min and max.
	Linear Scale = iota
	// Log spreads log(value) uniformly; min must be positive.
	Log
)

// String returns "linear" or "log".
func (s Scale) String() string {
	if s == Log {
		return "log"
	}
	return "linear"
}
