package symbolic

import "iter"

// List is an ordered sequence of values. The zero value is an empty list
// ready to use. A List is not safe for concurrent use while it is mutated.
type List struct {
	items []Value
}

// NewList returns a list holding the given values; nil entries become Null.
func NewList(items ...Value) *List {
	l := &List{items: make([]Value, len(items))}
	for i, v := range items {
		if v == nil {
			v = Null{}
		}
		l.items[i] = v
	}
	return l
}

// Kind implements Value.
func (*List) Kind() Kind { return KindList }

// String implements Value.
func (l *List) String() string { return flowString(l) }

// Len returns the number of items.
func (l *List) Len() int { return len(l.items) }

// At returns the i-th item. It panics if i is out of range.
func (l *List) At(i int) Value { return l.items[i] }

// Set replaces the i-th item without schema validation; use Rebind to
// change a value inside a typed tree. It panics if i is out of range.
func (l *List) Set(i int, v Value) {
	if v == nil {
		v = Null{}
	}
	l.items[i] = v
}

// Append adds values at the end of the list.
func (l *List) Append(vs ...Value) {
	for _, v := range vs {
		if v == nil {
			v = Null{}
		}
		l.items = append(l.items, v)
	}
}

// All iterates over the list's indices and items in order.
func (l *List) All() iter.Seq2[int, Value] {
	return func(yield func(int, Value) bool) {
		for i, v := range l.items {
			if !yield(i, v) {
				return
			}
		}
	}
}
