package symbolic

// Tagged is a value defined by another package and written in YAML with a
// local tag, such as the hyper-value `!oneof [relu, gelu]` of package
// space. Its symbolic content (here the list) is what symbolic encodes,
// compares and hashes; the Registry's TagFunc for the tag turns content
// back into the value.
//
// Tagged values must be immutable: Content returns a tree that no one
// modifies, so Clone returns the value itself and walks do not descend
// into it.
type Tagged interface {
	Value
	// Tag returns the YAML tag, with its "!".
	Tag() string
	// Content returns the value written after the tag.
	Content() Value
}

// Conformer is implemented by Tagged values that stand for a value to be
// chosen later, such as the hyper-values of package space. Unlike other
// tagged values, a Conformer may sit in a typed place (a field of a
// registered type, or an element of a typed list or dict) when it conforms
// to that place's schema.
//
// Conform is given the place's check: conform validates one value (a
// candidate, a bound) at a path and returns it, possibly converted (an int
// in a float place becomes a float). Conform returns the tagged value
// rebuilt from the converted values, or the first error.
type Conformer interface {
	Tagged
	Conform(path KeyPath, conform func(path KeyPath, v Value) (Value, error)) (Tagged, error)
}

// containsTagged reports whether v is or holds a tagged value.
func containsTagged(v Value) bool {
	switch x := v.(type) {
	case Tagged:
		return true
	case *List:
		for _, item := range x.items {
			if containsTagged(item) {
				return true
			}
		}
	case *Dict:
		for _, item := range x.vals {
			if containsTagged(item) {
				return true
			}
		}
	case *Object:
		for _, f := range x.fields {
			if containsTagged(f) {
				return true
			}
		}
	}
	return false
}

// reservedTypeKey and reservedTagKey are the dict keys that encode objects
// and, in JSON, tagged values.
const (
	reservedTypeKey  = "_type"
	reservedTagKey   = "_tag"
	reservedValueKey = "_value"
)
