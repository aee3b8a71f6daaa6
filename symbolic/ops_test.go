package symbolic

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const programYAML = `_type: test.Classifier
name: c1
model:
  _type: test.Residual
  inner: {_type: test.MLP, hidden: [64, 32], activation: gelu}
optimizer: {_type: test.AdamW, lr: 0.001}
schedule: {_type: test.Schedule, warmup: 5, total: 10}
tags: {team: vision, "x.y": z}
extra: [1, {k: v}]
`

func testProgram(t testing.TB) Value {
	t.Helper()
	v, err := newTestRegistry().DecodeYAML([]byte(programYAML), &DecodeOptions{Filename: "program.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestGet(t *testing.T) {
	v := testProgram(t)
	tests := []struct {
		path, want string
	}{
		{"", v.String()},
		{"name", "c1"},
		{"model.inner.hidden[1]", "32"},
		{"model.blocks", "2"},
		{"optimizer.lr", "0.001"},
		{`tags["x.y"]`, "z"},
		{"extra[1].k", "v"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, err := GetPath(v, tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want {
				t.Errorf("Get(%q) = %s, want %s", tt.path, got, tt.want)
			}
		})
	}
}

func TestGetErrors(t *testing.T) {
	v := testProgram(t)
	tests := []struct{ path, msg string }{
		{"nope", "symbolic: nope: no field nope in test.Classifier (fields: model, optimizer, schedule, epochs, batch, seed, tags, extra, name) at the root"},
		{"model.inner.hidden[2]", "symbolic: model.inner.hidden[2]: index [2] out of range for list of length 2 at model.inner.hidden"},
		{"model.inner.hidden.x", "symbolic: model.inner.hidden.x: want a list index, got key .x at model.inner.hidden"},
		{"tags[0]", "symbolic: tags[0]: want a key, got index [0] into a dict at tags"},
		{"name.first", "symbolic: name.first: cannot step into string \"c1\" at name"},
		{"model[0]", "symbolic: model[0]: want a field name, got index [0] into test.Residual at model"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := GetPath(v, tt.path)
			if !errors.Is(err, ErrNotFound) || err.Error() != tt.msg {
				t.Fatalf("error = %v\nwant %s", err, tt.msg)
			}
		})
	}
	if _, err := GetPath(v, "a..b"); !errors.Is(err, ErrSyntax) {
		t.Errorf("bad path: %v", err)
	}
}

func TestRebind(t *testing.T) {
	tests := []struct {
		name    string
		updates map[string]any
		check   map[string]string // path -> expected value after
	}{
		{"one field", map[string]any{"epochs": 7}, map[string]string{"epochs": "7"}},
		{"many at once", map[string]any{"model.inner.hidden[0]": 128, "optimizer.lr": 0.01, "name": "c2"},
			map[string]string{"model.inner.hidden[0]": "128", "optimizer.lr": "0.01", "name": "c2"}},
		{"int widened to float", map[string]any{"optimizer.lr": 1}, map[string]string{"optimizer.lr": "1.0"}},
		{"enum value", map[string]any{"model.inner.activation": "tanh"}, map[string]string{"model.inner.activation": "tanh"}},
		{"replace a list", map[string]any{"model.inner.hidden": []int{8, 8, 8}}, map[string]string{"model.inner.hidden": "[8, 8, 8]"}},
		{"add a dict key", map[string]any{"tags.owner": "me"}, map[string]string{"tags": "{team: vision, x.y: z, owner: me}"}},
		{"any field", map[string]any{"extra": map[string]any{"free": true}}, map[string]string{"extra": "{free: true}"}},
		{"into an untyped list", map[string]any{"extra[1].k": 3}, map[string]string{"extra[1]": "{k: 3}"}},
		{"swap an interface field", map[string]any{"optimizer": Value(mustObject(t, "_type: test.SGD"))},
			map[string]string{"optimizer": "{_type: test.SGD, lr: 0.1, momentum: 0.9}"}},
		{"null in a nullable field", map[string]any{"schedule": nil}, map[string]string{"schedule": "null"}},
		{"hook accepts", map[string]any{"schedule.warmup": 10}, map[string]string{"schedule.warmup": "10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := testProgram(t)
			if err := Rebind(v, tt.updates); err != nil {
				t.Fatal(err)
			}
			for p, want := range tt.check {
				got, err := GetPath(v, p)
				if err != nil {
					t.Fatal(err)
				}
				if got.String() != want {
					t.Errorf("%s = %s, want %s", p, got, want)
				}
			}
		})
	}
}

func mustObject(t testing.TB, src string) Value {
	t.Helper()
	v, err := newTestRegistry().DecodeYAML([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRebindErrorsAreAtomic(t *testing.T) {
	tests := []struct {
		name     string
		updates  map[string]any
		sentinel error
		msg      string
	}{
		{"wrong kind", map[string]any{"epochs": 3, "model.inner.hidden[1]": "wide"}, ErrKind,
			`symbolic: model.inner.hidden[1]: want int in [1, 4096], got string "wide"`},
		{"out of range", map[string]any{"name": "ok", "model.inner.hidden[0]": 9000}, ErrRange,
			"symbolic: model.inner.hidden[0]: want int in [1, 4096], got int 9000"},
		{"enum", map[string]any{"model.inner.activation": "swish"}, ErrRange,
			`symbolic: model.inner.activation: want one of relu, gelu, tanh, got string "swish"`},
		{"unknown field", map[string]any{"epochs": 2, "model.depth": 3}, ErrNotFound,
			"symbolic: model.depth: no field depth in test.Residual (fields: inner, blocks) at model"},
		{"missing parent", map[string]any{"tags.a.b": 1}, ErrNotFound,
			"symbolic: tags.a.b: no key a in dict at tags"},
		{"index out of range", map[string]any{"model.inner.hidden[5]": 1}, ErrNotFound,
			"symbolic: model.inner.hidden[5]: index [5] out of range for list of length 2 at model.inner.hidden"},
		{"wrong interface", map[string]any{"optimizer": Value(mustObject(t, "_type: test.MLP"))}, ErrKind,
			"symbolic: optimizer: want object of a type implementing symbolic.testOptimizer (test.AdamW, test.SGD) or null, got object of type test.MLP"},
		{"null in a required place", map[string]any{"name": nil}, ErrKind,
			"symbolic: name: want string, got null"},
		{"list element checked", map[string]any{"model.inner.hidden": []any{1, "x"}}, ErrKind,
			`symbolic: model.inner.hidden[1]: want int in [1, 4096], got string "x"`},
		{"dict value checked", map[string]any{"tags.n": 1}, ErrKind,
			"symbolic: tags.n: want string, got int 1"},
		{"conflicting paths", map[string]any{"model": Value(mustObject(t, "_type: test.MLP")), "model.blocks": 3}, ErrInvalid,
			"symbolic: model.blocks: conflicting updates: model also replaces this path"},
		{"root", map[string]any{"": 1}, ErrInvalid, "symbolic: cannot rebind the root; build a new value instead"},
		{"hook rejects and all is undone", map[string]any{"epochs": 9, "tags.new": "x", "schedule.warmup": 11}, ErrInvalid,
			"symbolic: schedule: test.Schedule: warmup 11 exceeds total 10"},
		{"unconvertible Go value", map[string]any{"extra": unregistered{}}, ErrUnsupported,
			"symbolic: extra: Go type symbolic.unregistered is not registered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := testProgram(t)
			before, hash := Clone(v), Hash(v)
			err := Rebind(v, tt.updates)
			if !errors.Is(err, tt.sentinel) || err.Error() != tt.msg {
				t.Fatalf("error = %v\nwant %s (wrapping %v)", err, tt.msg, tt.sentinel)
			}
			if !Equal(v, before) || Hash(v) != hash {
				t.Fatalf("a failed Rebind changed the tree: %v", Diff(before, v))
			}
		})
	}
}

func TestRebindCopiesValues(t *testing.T) {
	v := testProgram(t)
	hidden := NewList(Int(4), Int(5))
	if err := Rebind(v, map[string]any{"model.inner.hidden": hidden}); err != nil {
		t.Fatal(err)
	}
	hidden.Set(0, Int(999))
	got, _ := GetPath(v, "model.inner.hidden[0]")
	if got.String() != "4" {
		t.Fatalf("the tree shares the rebound list: hidden[0] = %s", got)
	}
}

func TestWalk(t *testing.T) {
	v := mustObject(t, "a: [1, {b: 2}]\nc: {d: x}\n")
	var visited []string
	err := Walk(v, func(p KeyPath, _ Value) error {
		visited = append(visited, p.String())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(visited, " | "); got != " | a | a[0] | a[1] | a[1].b | c | c.d" {
		t.Errorf("walk order: %s", got)
	}
	visited = visited[:0]
	_ = Walk(v, func(p KeyPath, _ Value) error {
		visited = append(visited, p.String())
		if p.String() == "a" {
			return SkipChildren
		}
		return nil
	})
	if got := strings.Join(visited, " | "); got != " | a | c | c.d" {
		t.Errorf("SkipChildren: %s", got)
	}
	stop := errors.New("stop")
	n := 0
	if err := Walk(v, func(KeyPath, Value) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("stop: err=%v n=%d", err, n)
	}
}

func TestQuery(t *testing.T) {
	v := testProgram(t)
	tests := []struct {
		name    string
		pattern string
		pred    func(KeyPath, Value) bool
		want    string
	}{
		{"by pattern", "**.lr", nil, "optimizer.lr=0.001"},
		{"wildcard index", "model.inner.hidden[*]", nil, "model.inner.hidden[0]=64 model.inner.hidden[1]=32"},
		{"by predicate", "", func(_ KeyPath, v Value) bool {
			o, ok := v.(*Object)
			return ok && strings.HasSuffix(o.Type().Name(), "MLP")
		}, "model.inner={_type: test.MLP, hidden: [64, 32], activation: gelu, dropout: 0.0}"},
		{"both", "**", func(p KeyPath, v Value) bool { i, ok := v.(Int); return ok && i > 40 }, "model.inner.hidden[0]=64 batch=500"},
		{"nothing", "missing.**", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := Query(v, tt.pattern, tt.pred)
			if err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, m := range ms {
				parts = append(parts, m.Path.String()+"="+m.Value.String())
			}
			if got := strings.Join(parts, " "); got != tt.want {
				t.Errorf("got %s\nwant %s", got, tt.want)
			}
		})
	}
	if _, err := Query(v, "a..b", nil); !errors.Is(err, ErrSyntax) {
		t.Errorf("bad pattern: %v", err)
	}
}

func TestCloneIsDeep(t *testing.T) {
	v := testProgram(t)
	c := Clone(v)
	if !Equal(v, c) || Hash(v) != Hash(c) {
		t.Fatal("clone differs")
	}
	if err := Rebind(c, map[string]any{"model.inner.hidden[0]": 1, "tags.team": "x", "extra[1].k": 0}); err != nil {
		t.Fatal(err)
	}
	if !Equal(v, testProgram(t)) {
		t.Fatalf("changing the clone changed the original: %v", Diff(testProgram(t), v))
	}
}

func TestEqual(t *testing.T) {
	nan := Float(math.NaN())
	d1, d2 := NewDict(2), NewDict(2)
	d1.Set("a", Int(1))
	d1.Set("b", Int(2))
	d2.Set("b", Int(2))
	d2.Set("a", Int(1))
	tests := []struct {
		name string
		a, b Value
		want bool
	}{
		{"nil and null", nil, Null{}, true},
		{"int and float", Int(1), Float(1), false},
		{"nan", nan, nan, true},
		{"zero signs", Float(0), Float(math.Copysign(0, -1)), true},
		{"strings", String("a"), String("a"), true},
		{"lists", NewList(Int(1)), NewList(Int(1)), true},
		{"list lengths", NewList(Int(1)), NewList(Int(1), Int(2)), false},
		{"dict order matters", d1, d2, false},
		{"dict and list", NewDict(0), NewList(), false},
		{"objects", testProgram(t), testProgram(t), true},
		{"tagged", &testTagged{NewList(Int(1))}, &testTagged{NewList(Int(1))}, true},
		{"tagged content", &testTagged{NewList(Int(1))}, &testTagged{NewList(Int(2))}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Equal(tt.a, tt.b); got != tt.want {
				t.Errorf("Equal(%v, %v) = %v", tt.a, tt.b, got)
			}
			if got := Equal(tt.b, tt.a); got != tt.want {
				t.Errorf("Equal is not symmetric for %v, %v", tt.a, tt.b)
			}
			if tt.want && Hash(tt.a) != Hash(tt.b) {
				t.Errorf("equal values %v and %v hash differently", tt.a, tt.b)
			}
		})
	}
}

// TestHashIsStable pins hashes: they must be the same in every process and
// release, since stores use them to name programs.
func TestHashIsStable(t *testing.T) {
	tests := []struct {
		v    Value
		want uint64
	}{
		{Null{}, 0x42c0019f65e3513c},
		{Int(1), 0x76f72cd83922a40a},
		{String("relu"), 0x2778f622ad71756c},
		{NewList(Int(1), Float(2.5), Bool(true)), 0x3c1894e90f075f5d},
		{testProgram(t), 0x77c6a63439447f5e},
	}
	for _, tt := range tests {
		if got := Hash(tt.v); got != tt.want {
			t.Errorf("Hash(%v) = %#x, want %#x", tt.v, got, tt.want)
		}
	}
}

func TestHashDistinguishes(t *testing.T) {
	vals := []Value{Null{}, Bool(false), Bool(true), Int(0), Int(1), Float(0), Float(1), String(""), String("0"),
		NewList(), NewList(Int(0)), NewList(NewList()), NewDict(0), mustObject(t, "a: 1"), mustObject(t, "b: 1"),
		mustObject(t, "a: 2"), String("abcdefgh"), String("abcdefghi"), String("abcdefgi"), testProgram(t)}
	seen := map[uint64]Value{}
	for _, v := range vals {
		h := Hash(v)
		if prev, ok := seen[h]; ok {
			t.Errorf("Hash(%v) == Hash(%v)", v, prev)
		}
		seen[h] = v
	}
}

func TestDiff(t *testing.T) {
	a := testProgram(t)
	b := Clone(a)
	if err := Rebind(b, map[string]any{"model.inner.hidden": []int{64}, "optimizer.lr": 0.01, "tags.owner": "me",
		"extra": "gone"}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range Diff(a, b) {
		got = append(got, d.String())
	}
	want := []string{
		"model.inner.hidden[1]: 32 -> (none)",
		"optimizer.lr: 0.001 -> 0.01",
		"tags.owner: (none) -> me",
		"extra: [1, {k: v}] -> gone",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Diff (-want +got):\n%s", d)
	}
	if d := Diff(a, Clone(a)); len(d) != 0 {
		t.Errorf("Diff of equal trees: %v", d)
	}
	d1, d2 := NewDict(2), NewDict(2)
	d1.Set("a", Int(1))
	d1.Set("b", Int(2))
	d2.Set("b", Int(2))
	d2.Set("a", Int(1))
	if d := Diff(d1, d2); len(d) != 1 || !d[0].Path.IsRoot() {
		t.Errorf("Diff of reordered dicts: %v", d)
	}
	if d := Diff(Int(1), Float(1)); len(d) != 1 || d[0].String() != "(root): 1 -> 1.0" {
		t.Errorf("Diff(1, 1.0) = %v", d)
	}
}
