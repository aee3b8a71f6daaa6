package symbolic

import "iter"

// indexThreshold is the size from which a Dict keeps a map from key to
// position; smaller dicts are searched linearly, which is faster.
const indexThreshold = 12

// Dict is a mapping from string keys to values that remembers insertion
// order. The zero value is an empty dict ready to use. A Dict is not safe
// for concurrent use while it is mutated.
//
// The keys "_type" and "_tag" are reserved for the encoding of objects and
// tagged values: a Dict holding them cannot be encoded.
type Dict struct {
	keys  []string
	vals  []Value
	index map[string]int
}

// NewDict returns an empty dict with room for n entries.
func NewDict(n int) *Dict {
	return &Dict{keys: make([]string, 0, n), vals: make([]Value, 0, n)}
}

// Kind implements Value.
func (*Dict) Kind() Kind { return KindDict }

// String implements Value.
func (d *Dict) String() string { return flowString(d) }

// Len returns the number of entries.
func (d *Dict) Len() int { return len(d.keys) }

// find returns the position of key, or -1.
func (d *Dict) find(key string) int {
	if d.index != nil {
		if i, ok := d.index[key]; ok {
			return i
		}
		return -1
	}
	for i, k := range d.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// Get returns the value stored under key.
func (d *Dict) Get(key string) (Value, bool) {
	if i := d.find(key); i >= 0 {
		return d.vals[i], true
	}
	return nil, false
}

// Has reports whether key is present.
func (d *Dict) Has(key string) bool { return d.find(key) >= 0 }

// Set stores v under key: in place when the key exists, else at the end.
// A nil v is stored as Null.
func (d *Dict) Set(key string, v Value) {
	if v == nil {
		v = Null{}
	}
	if i := d.find(key); i >= 0 {
		d.vals[i] = v
		return
	}
	d.keys = append(d.keys, key)
	d.vals = append(d.vals, v)
	if d.index != nil {
		d.index[key] = len(d.keys) - 1
	} else if len(d.keys) > indexThreshold {
		d.reindex()
	}
}

// Delete removes key, keeping the order of the other entries, and reports
// whether it was present.
func (d *Dict) Delete(key string) bool {
	i := d.find(key)
	if i < 0 {
		return false
	}
	d.keys = append(d.keys[:i], d.keys[i+1:]...)
	d.vals = append(d.vals[:i], d.vals[i+1:]...)
	if d.index != nil {
		d.reindex()
	}
	return true
}

func (d *Dict) reindex() {
	if len(d.keys) <= indexThreshold {
		d.index = nil
		return
	}
	d.index = make(map[string]int, len(d.keys))
	for i, k := range d.keys {
		d.index[k] = i
	}
}

// Keys returns the keys in order. The slice is a copy.
func (d *Dict) Keys() []string { return append([]string(nil), d.keys...) }

// At returns the i-th entry in order. It panics if i is out of range.
func (d *Dict) At(i int) (string, Value) { return d.keys[i], d.vals[i] }

// All iterates over the entries in order.
func (d *Dict) All() iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		for i, k := range d.keys {
			if !yield(k, d.vals[i]) {
				return
			}
		}
	}
}
