package symbolic

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// Helpers and fixtures shared by the codec tests (yaml_test.go,
// json_test.go, golden_test.go, fuzz_test.go).

// codecRawTagged is a Tagged value whose content may be any value: the
// tag !raw, used to test how the codecs lay out tagged values that the
// fixture's !choice (a list only) cannot reach.
type codecRawTagged struct{ content Value }

func (t codecRawTagged) Kind() Kind     { return KindTagged }
func (t codecRawTagged) String() string { return flowString(t) }
func (t codecRawTagged) Tag() string    { return "!raw" }
func (t codecRawTagged) Content() Value { return t.content }

// errCodecBoom is what the tag !fail returns: a hook error that is not an
// *Error.
var errCodecBoom = errors.New("boom")

// codecRegistry returns newTestRegistry() plus the tags !raw (any
// content) and !fail (always fails with errCodecBoom).
func codecRegistry() *Registry {
	r := newTestRegistry()
	if err := r.RegisterTag("!raw", func(_ KeyPath, content Value) (Tagged, error) {
		return codecRawTagged{content}, nil
	}); err != nil {
		panic(err)
	}
	if err := r.RegisterTag("!fail", func(KeyPath, Value) (Tagged, error) {
		return nil, errCodecBoom
	}); err != nil {
		panic(err)
	}
	return r
}

// codecDict builds a dict from key, value pairs.
func codecDict(kv ...any) *Dict {
	if len(kv)%2 != 0 {
		panic("codecDict: odd number of arguments")
	}
	d := NewDict(len(kv) / 2)
	for i := 0; i < len(kv); i += 2 {
		v, _ := kv[i+1].(Value)
		d.Set(kv[i].(string), v)
	}
	return d
}

// codecObject builds an object of the registered type name from field,
// value pairs, through Type.New.
func codecObject(t testing.TB, r *Registry, name string, kv ...any) *Object {
	t.Helper()
	typ, ok := r.Lookup(name)
	if !ok {
		t.Fatalf("type %s is not registered", name)
	}
	o, err := typ.New(codecDict(kv...))
	if err != nil {
		t.Fatalf("%s.New: %v", name, err)
	}
	return o
}

// codecChoice returns the tagged value !choice [items…].
func codecChoice(items ...Value) Tagged { return &testTagged{content: NewList(items...)} }

// hostileBudget is the time any decode of hostile input may take.
const hostileBudget = 500 * time.Millisecond

// decodeGuarded runs decode, turning a panic into a test failure and
// failing the test if it takes longer than hostileBudget.
func decodeGuarded(t *testing.T, decode func() (Value, error)) (v Value, err error) {
	t.Helper()
	start := time.Now()
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("decode panicked: %v", p)
			}
		}()
		v, err = decode()
	}()
	if d := time.Since(start); d > hostileBudget {
		t.Errorf("decode took %v, want under %v", d, hostileBudget)
	}
	return v, err
}

// codecErrorCase is a row of the decoders' error tables.
type codecErrorCase struct {
	name string
	in   string
	opts *DecodeOptions // nil: Filename "f.yaml" or "f.json"
	want error          // the sentinel
	msg  string         // the exact text of the error
}

// checkDecodeError asserts that err is an *Error wrapping want with
// exactly the text msg, on one line.
func checkDecodeError(t *testing.T, err error, want error, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %q", msg)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("error %v (%T) is not an *Error", err, err)
	}
	if !errors.Is(err, want) {
		t.Errorf("error %q does not wrap %v", err, want)
	}
	if got := err.Error(); got != msg {
		t.Errorf("error text\n got: %s\nwant: %s", got, msg)
	}
	if strings.ContainsAny(err.Error(), "\n\r") {
		t.Errorf("error text spans several lines: %q", err.Error())
	}
}

// checkRoundTrip asserts that v encodes in both codecs to text that
// decodes to a value Equal to v and re-encodes to the same bytes. JSON is
// skipped when v holds NaN or infinities (want an ErrRange error then).
func checkRoundTrip(t *testing.T, r *Registry, v Value) {
	t.Helper()
	y, err := EncodeYAML(v)
	if err != nil {
		t.Fatalf("EncodeYAML: %v", err)
	}
	v2, err := r.DecodeYAML(y, nil)
	if err != nil {
		t.Fatalf("DecodeYAML(EncodeYAML(v)): %v\n%s", err, y)
	}
	if !Equal(v, v2) {
		t.Errorf("YAML round trip changed the value:\n before: %v\n  after: %v\n   text: %q", v, v2, y)
	}
	if y2, err := EncodeYAML(v2); err != nil || string(y2) != string(y) {
		t.Errorf("YAML encoding is not a fixed point:\nfirst:\n%s\nsecond (err %v):\n%s", y, err, y2)
	}

	j, err := EncodeJSON(v)
	if hasNonFinite(v) {
		if !errors.Is(err, ErrRange) {
			t.Errorf("EncodeJSON of a value with NaN or Inf: got error %v, want ErrRange", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("EncodeJSON: %v", err)
	}
	v3, err := r.DecodeJSON(j, nil)
	if err != nil {
		t.Fatalf("DecodeJSON(EncodeJSON(v)): %v\n%s", err, j)
	}
	if !Equal(v, v3) {
		t.Errorf("JSON round trip changed the value:\n before: %v\n  after: %v\n   text: %s", v, v3, j)
	}
	if j2, err := EncodeJSON(v3); err != nil || string(j2) != string(j) {
		t.Errorf("JSON encoding is not a fixed point:\nfirst:\n%s\nsecond (err %v):\n%s", j, err, j2)
	}
	c, err := EncodeJSONCompact(v)
	if err != nil {
		t.Fatalf("EncodeJSONCompact: %v", err)
	}
	if v4, err := r.DecodeJSON(c, nil); err != nil || !Equal(v, v4) {
		t.Errorf("compact JSON round trip: err %v, value %v, text %s", err, v4, c)
	}
}

// hasNonFinite reports whether v holds a NaN or an infinity.
func hasNonFinite(v Value) bool {
	found := false
	var visit func(v Value)
	visit = func(v Value) {
		switch x := v.(type) {
		case Float:
			if f := float64(x); math.IsNaN(f) || math.IsInf(f, 0) {
				found = true
			}
		case *List:
			for _, item := range x.items {
				visit(item)
			}
		case *Dict:
			for _, item := range x.vals {
				visit(item)
			}
		case *Object:
			for _, f := range x.fields {
				visit(f)
			}
		case Tagged:
			visit(x.Content())
		}
	}
	visit(v)
	return found
}

// nested returns n opening brackets, the item, and n closing ones.
func nested(n int, open, item, close string) string {
	return strings.Repeat(open, n) + item + strings.Repeat(close, n)
}

// billionLaughs returns the classic alias bomb: levels of anchors, each a
// list of ten aliases of the one before, 10^levels values in all.
func billionLaughs(levels int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}
