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

// reservedTypeKey and reservedTagKey are the dict keys that encode objects
// and, in JSON, tagged values.
const (
	reservedTypeKey  = "_type"
	reservedTagKey   = "_tag"
	reservedValueKey = "_value"
)
