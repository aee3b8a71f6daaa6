package symbolic

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

func TestDecodeYAML(t *testing.T) {
	r := codecRegistry()
	mlpDefaults := func() *Object {
		return codecObject(t, r, "test.MLP", "hidden", NewList(Int(256), Int(256)),
			"activation", String("relu"), "dropout", Float(0))
	}
	tests := []struct {
		name string
		in   string
		want Value
	}{
		// Scalars.
		{"int", "a: 42\n", codecDict("a", Int(42))},
		{"negative int", "a: -17\n", codecDict("a", Int(-17))},
		{"plus sign", "a: +12\n", codecDict("a", Int(12))},
		{"hex", "a: 0x1F\n", codecDict("a", Int(31))},
		{"negative hex", "a: -0x10\n", codecDict("a", Int(-16))},
		{"octal 0o", "a: 0o17\n", codecDict("a", Int(15))},
		{"binary", "a: 0b101\n", codecDict("a", Int(5))},
		{"underscores", "a: 1_000_000\n", codecDict("a", Int(1000000))},
		{"hex with underscores", "a: 0x_ff_ff\n", codecDict("a", Int(65535))},
		{"int64 max", "a: 9223372036854775807\n", codecDict("a", Int(math.MaxInt64))},
		{"int64 min", "a: -9223372036854775808\n", codecDict("a", Int(math.MinInt64))},
		{"zero", "a: 0\n", codecDict("a", Int(0))},
		{"float", "a: 1.5\n", codecDict("a", Float(1.5))},
		{"float with exponent", "a: 1e-05\n", codecDict("a", Float(1e-05))},
		{"upper-case exponent is a float", "a: 1E5\n", codecDict("a", Float(1e5))},
		{"leading point", "a: .5\n", codecDict("a", Float(0.5))},
		{"trailing point", "a: 3.\n", codecDict("a", Float(3))},
		{"float underscores", "a: 1_000.5\n", codecDict("a", Float(1000.5))},
		{"float double underscore", "a: 1__0.5\n", codecDict("a", Float(10.5))},
		{"float underscore before point", "a: 1_.5\n", codecDict("a", Float(1.5))},
		{"float underflow is zero", "a: 1e-400\n", codecDict("a", Float(0))},
		{"largest float", "a: 1.7976931348623157e308\n", codecDict("a", Float(math.MaxFloat64))},
		{"smallest float", "a: 5e-324\n", codecDict("a", Float(5e-324))},
		{"inf", "a: .inf\n", codecDict("a", Float(math.Inf(1)))},
		{"plus inf", "a: +.inf\n", codecDict("a", Float(math.Inf(1)))},
		{"capital Inf", "a: .Inf\n", codecDict("a", Float(math.Inf(1)))},
		{"minus inf", "a: -.inf\n", codecDict("a", Float(math.Inf(-1)))},
		{"nan", "a: .nan\n", codecDict("a", Float(math.NaN()))},
		{"NaN", "a: .NaN\n", codecDict("a", Float(math.NaN()))},
		{"explicit float tag", "a: !!float 1\n", codecDict("a", Float(1))},
		{"explicit int tag", "a: !!int 0x10\n", codecDict("a", Int(16))},
		{"explicit str tag", "a: !!str 12\n", codecDict("a", String("12"))},
		{"true", "a: true\n", codecDict("a", Bool(true))},
		{"True", "a: True\n", codecDict("a", Bool(true))},
		{"FALSE", "a: FALSE\n", codecDict("a", Bool(false))},
		{"yes is a string", "a: yes\n", codecDict("a", String("yes"))},
		{"null", "a: null\n", codecDict("a", Null{})},
		{"tilde", "a: ~\n", codecDict("a", Null{})},
		{"empty value", "a:\n", codecDict("a", Null{})},
		{"plain string", "a: relu\n", codecDict("a", String("relu"))},
		{"string with spaces", "a: hello world\n", codecDict("a", String("hello world"))},
		{"quoted int", "a: '1'\n", codecDict("a", String("1"))},
		{"quoted float", "a: \"1.5\"\n", codecDict("a", String("1.5"))},
		{"quoted hex", "a: \"0x10\"\n", codecDict("a", String("0x10"))},
		{"quoted bool", "a: \"true\"\n", codecDict("a", String("true"))},
		{"quoted null", "a: 'null'\n", codecDict("a", String("null"))},
		{"quoted tilde", "a: '~'\n", codecDict("a", String("~"))},
		{"quoted inf", "a: \".inf\"\n", codecDict("a", String(".inf"))},
		{"empty string", "a: \"\"\n", codecDict("a", String(""))},
		{"timestamp is a string", "a: 2001-12-14\n", codecDict("a", String("2001-12-14"))},
		{"underscore then digits is a string", "a: _10000000000000000000\n", codecDict("a", String("_10000000000000000000"))},
		{"letters then huge digits is a string", "a: x99999999999999999999\n", codecDict("a", String("x99999999999999999999"))},
		{"point then underscore is a string", "a: ._5\n", codecDict("a", String("._5"))},
		{"huge digits over lines are a string", "a: 20000000000000000000\n  0\n", codecDict("a", String("20000000000000000000 0"))},
		{"huge digits then junk are a string", "a: 99999999999999999999x\n", codecDict("a", String("99999999999999999999x"))},
		{"merge marker as a value", "a: <<\n", codecDict("a", String("<<"))},
		{"unicode plain", "a: é日本\n", codecDict("a", String("é日本"))},
		{"unicode escapes", `a: "\u00e9\U0001F600\t\x41"` + "\n", codecDict("a", String("é😀\tA"))},
		{"emoji", "a: 😀\n", codecDict("a", String("😀"))},
		{"literal block", "a: |\n  line1\n  line2\n", codecDict("a", String("line1\nline2\n"))},
		{"literal block strip", "a: |-\n  line1\n  line2\n", codecDict("a", String("line1\nline2"))},
		{"folded block", "a: >\n  one\n  two\n", codecDict("a", String("one two\n"))},
		{"plain multi-line", "a: one\n  two\n", codecDict("a", String("one two"))},
		{"quoted newline", `a: "x\ny"` + "\n", codecDict("a", String("x\ny"))},
		{"top-level scalar", "42\n", Int(42)},
		{"top-level string", "hello\n", String("hello")},
		{"empty document", "", Null{}},
		{"comment only", "# nothing\n", Null{}},
		{"document markers", "---\na: 1\n...\n", codecDict("a", Int(1))},
		{"byte order mark", "\ufeffa: 1\n", codecDict("a", Int(1))},

		// Lists.
		{"flow list", "[1, 2.5, x, null, true]\n", NewList(Int(1), Float(2.5), String("x"), Null{}, Bool(true))},
		{"block list", "- 1\n- two\n", NewList(Int(1), String("two"))},
		{"nested lists", "- [1, 2]\n- - 3\n  - [4]\n", NewList(NewList(Int(1), Int(2)), NewList(Int(3), NewList(Int(4))))},
		{"empty list", "a: []\n", codecDict("a", &List{})},
		{"list of dicts", "- a: 1\n  b: 2\n- c: 3\n", NewList(codecDict("a", Int(1), "b", Int(2)), codecDict("c", Int(3)))},

		// Dicts.
		{"nested dicts", "model:\n  layers:\n    units: 8\n  act: relu\nlr: 0.1\n",
			codecDict("model", codecDict("layers", codecDict("units", Int(8)), "act", String("relu")), "lr", Float(0.1))},
		{"key order kept", "z: 1\na: 2\nm: 3\n", codecDict("z", Int(1), "a", Int(2), "m", Int(3))},
		{"flow dict", "{a: 1, b: {c: x}}\n", codecDict("a", Int(1), "b", codecDict("c", String("x")))},
		{"empty dict", "a: {}\n", codecDict("a", &Dict{})},
		{"non-string keys are text", "1: a\ntrue: b\n0x10: c\n1.5: d\n", codecDict("1", String("a"), "true", String("b"), "0x10", String("c"), "1.5", String("d"))},
		{"quoted keys", "\"a.b\": 1\n'x y': 2\n\"\": 3\n", codecDict("a.b", Int(1), "x y", Int(2), "", Int(3))},
		{"unicode key", "é: 1\n", codecDict("é", Int(1))},
		{"explicit key", "? a\n: 1\n", codecDict("a", Int(1))},
		{"dict with _value only is a dict", "_value: 1\n", codecDict("_value", Int(1))},

		// Objects.
		{"object with defaults", "_type: test.MLP\n", mlpDefaults()},
		{"object fields given", "_type: test.MLP\nhidden: [8]\nactivation: gelu\ndropout: 0.5\n",
			codecObject(t, r, "test.MLP", "hidden", NewList(Int(8)), "activation", String("gelu"), "dropout", Float(0.5))},
		{"object field order is the type's", "dropout: 0.5\n_type: test.MLP\nactivation: tanh\n",
			codecObject(t, r, "test.MLP", "hidden", NewList(Int(256), Int(256)), "activation", String("tanh"), "dropout", Float(0.5))},
		{"int widened to float field", "_type: test.SGD\nlr: 1\n",
			codecObject(t, r, "test.SGD", "lr", Float(1), "momentum", Float(0.9))},
		{"classifier with interface fields", strings.Join([]string{
			"_type: test.Classifier",
			"name: mnist",
			"model:",
			"  _type: test.Residual",
			"  inner: {_type: test.MLP, hidden: [64]}",
			"optimizer: {_type: test.AdamW, weight_decay: 0.01}",
			"schedule: {_type: test.Schedule, warmup: 10}",
			"tags: {owner: me}",
			"extra: {any: [thing, 1]}",
			""}, "\n"),
			codecObject(t, r, "test.Classifier",
				"model", codecObject(t, r, "test.Residual",
					"inner", codecObject(t, r, "test.MLP", "hidden", NewList(Int(64)), "activation", String("relu"), "dropout", Float(0)),
					"blocks", Int(2)),
				"optimizer", codecObject(t, r, "test.AdamW", "lr", Float(0.001), "weight_decay", Float(0.01)),
				"schedule", codecObject(t, r, "test.Schedule", "warmup", Int(10), "total", Int(100)),
				"epochs", Int(5), "batch", Int(500), "seed", Int(0),
				"tags", codecDict("owner", String("me")),
				"extra", codecDict("any", NewList(String("thing"), Int(1))),
				"name", String("mnist"))},
		{"object in a plain dict", "opt:\n  _type: test.SGD\n  momentum: 0\n",
			codecDict("opt", codecObject(t, r, "test.SGD", "lr", Float(0.1), "momentum", Float(0)))},
		{"null interface field", "_type: test.Classifier\nname: x\nmodel: {_type: test.MLP}\noptimizer: null\n",
			codecObject(t, r, "test.Classifier", "model", mlpDefaults(), "optimizer", Null{}, "schedule", Null{},
				"epochs", Int(5), "batch", Int(500), "seed", Int(0), "tags", &Dict{}, "extra", Null{}, "name", String("x"))},

		// Tagged values.
		{"tag under a key", "a: !choice [1, 2]\n", codecDict("a", codecChoice(Int(1), Int(2)))},
		{"tag at the top", "!choice\n- x\n- y\n", codecChoice(String("x"), String("y"))},
		{"tag in a list", "- !choice [relu, gelu]\n- 3\n", NewList(codecChoice(String("relu"), String("gelu")), Int(3))},
		{"tag holding objects", "model: !choice\n  - {_type: test.MLP}\n  - {_type: test.SGD}\n",
			codecDict("model", codecChoice(mlpDefaults(), codecObject(t, r, "test.SGD", "lr", Float(0.1), "momentum", Float(0.9))))},
		{"tags nested", "a: !choice [!choice [1], 2]\n", codecDict("a", codecChoice(codecChoice(Int(1)), Int(2)))},
		{"verbatim tag", "a: !<!choice> [1]\n", codecDict("a", codecChoice(Int(1)))},
		{"tag in JSON form", "a: {_tag: \"!choice\", _value: [1]}\n", codecDict("a", codecChoice(Int(1)))},
		{"tag with a dict", "a: !raw {b: 1}\n", codecDict("a", codecRawTagged{codecDict("b", Int(1))})},
		{"tag with a quoted scalar", "a: !raw \"1\"\n", codecDict("a", codecRawTagged{String("1")})},
		{"tag with a plain scalar", "a: !raw 1\n", codecDict("a", codecRawTagged{Int(1)})},

		// Anchors, aliases and merge keys.
		{"alias of a scalar", "a: &x 1\nb: *x\n", codecDict("a", Int(1), "b", Int(1))},
		{"alias of a mapping", "a: &m {x: 1}\nb: *m\n", codecDict("a", codecDict("x", Int(1)), "b", codecDict("x", Int(1)))},
		{"alias of an object", "a: &o {_type: test.SGD}\nb: *o\n",
			codecDict("a", codecObject(t, r, "test.SGD", "lr", Float(0.1), "momentum", Float(0.9)),
				"b", codecObject(t, r, "test.SGD", "lr", Float(0.1), "momentum", Float(0.9)))},
		{"alias as a key", "a: &k name\n*k : 2\n", codecDict("a", String("name"), "name", Int(2))},
		{"alias of a tagged value", "a: &t !choice [1]\nb: *t\n", codecDict("a", codecChoice(Int(1)), "b", codecChoice(Int(1)))},
		{"merge key", "base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n",
			codecDict("base", codecDict("x", Int(1), "y", Int(2)), "d", codecDict("y", Int(3), "x", Int(1)))},
		{"merge list: earlier wins", "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n",
			codecDict("a", codecDict("x", Int(1)), "b", codecDict("x", Int(2), "y", Int(2)), "c", codecDict("x", Int(1), "y", Int(2)))},
		{"merge inline mapping", "c:\n  <<: {x: 1}\n  z: 0\n", codecDict("c", codecDict("z", Int(0), "x", Int(1)))},
		{"merge into an object", "base: &b {lr: 0.5}\nopt:\n  _type: test.SGD\n  <<: *b\n",
			codecDict("base", codecDict("lr", Float(0.5)), "opt", codecObject(t, r, "test.SGD", "lr", Float(0.5), "momentum", Float(0.9)))},
		{"quoted << is a key", "\"<<\": 1\n", codecDict("<<", Int(1))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.DecodeYAML([]byte(tt.in), &DecodeOptions{Filename: "f.yaml"})
			if err != nil {
				t.Fatalf("DecodeYAML(%q): %v", tt.in, err)
			}
			if !Equal(got, tt.want) {
				t.Fatalf("DecodeYAML(%q)\n got: %v\nwant: %v", tt.in, got, tt.want)
			}
			checkRoundTrip(t, r, got)
		})
	}
}

// TestDecodeYAMLSignedZero checks what Equal cannot see: the sign of zero
// survives decoding and encoding.
func TestDecodeYAMLSignedZero(t *testing.T) {
	r := codecRegistry()
	v, err := r.DecodeYAML([]byte("-0.0\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := v.(Float)
	if !ok || f != 0 || !math.Signbit(float64(f)) {
		t.Fatalf("got %#v, want Float(-0)", v)
	}
	if y, _ := EncodeYAML(v); string(y) != "-0.0\n" {
		t.Errorf("EncodeYAML = %q, want %q", y, "-0.0\n")
	}
}

// TestDecodeYAMLAliasesAreCopies checks that each alias expands to its own
// copy: changing one leaves the other alone.
func TestDecodeYAMLAliasesAreCopies(t *testing.T) {
	r := codecRegistry()
	v, err := r.DecodeYAML([]byte("a: &m {x: [1]}\nb: *m\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	d := v.(*Dict)
	a, _ := d.Get("a")
	b, _ := d.Get("b")
	x, _ := a.(*Dict).Get("x")
	x.(*List).Set(0, Int(99))
	if want := codecDict("x", NewList(Int(1))); !Equal(b, want) {
		t.Errorf("after changing a, b = %v, want %v", b, want)
	}
}

func TestDecodeYAMLErrors(t *testing.T) {
	r := codecRegistry()
	tests := []codecErrorCase{
		{name: "syntax", in: "a: [1, 2\n", want: ErrSyntax,
			msg: "symbolic: f.yaml:1: invalid YAML: did not find expected ',' or ']'"},
		{name: "tab indentation", in: "a: 1\n\tb: 2\n", want: ErrSyntax,
			msg: "symbolic: f.yaml:2: invalid YAML: found a tab character that violates indentation"},
		{name: "unknown _type", in: "model:\n  _type: test.Nope\n", want: ErrUnknownType,
			msg: `symbolic: f.yaml:2:3: model._type: unknown _type "test.Nope" (registered: test.MLP, test.SGD, test.AdamW, test.Schedule, test.Residual, test.Classifier)`},
		{name: "_type not a string", in: "_type: [x]\n", want: ErrKind,
			msg: "symbolic: f.yaml:1:1: _type: want a registered type name, got list"},
		{name: "unknown field", in: "_type: test.MLP\nhidden: [1]\nwidth: 3\n", want: ErrUnknownField,
			msg: "symbolic: f.yaml:3:1: width: unknown field of test.MLP (fields: hidden, activation, dropout)"},
		{name: "wrong kind", in: "_type: test.MLP\nhidden: wide\n", want: ErrKind,
			msg: `symbolic: f.yaml:2:1: hidden: want list of int in [1, 4096], got string "wide"`},
		{name: "wrong kind in a list", in: "_type: test.MLP\nhidden: [1, 2.5]\n", want: ErrKind,
			msg: "symbolic: f.yaml:2:1: hidden[1]: want int in [1, 4096], got float 2.5"},
		{name: "interface not implemented", in: "_type: test.Residual\ninner: {_type: test.SGD}\n", want: ErrKind,
			msg: "symbolic: f.yaml:2:1: inner: want object of a type implementing symbolic.testModel (test.MLP, test.Residual) or null, got object of type test.SGD"},
		{name: "out of range", in: "_type: test.MLP\nhidden: [64, 5000]\n", want: ErrRange,
			msg: "symbolic: f.yaml:2:1: hidden[1]: want int in [1, 4096], got int 5000"},
		{name: "out of range float", in: "_type: test.SGD\nmomentum: 1.5\n", want: ErrRange,
			msg: "symbolic: f.yaml:2:1: momentum: want float in [0, 1], got float 1.5"},
		{name: "enum violation", in: "_type: test.MLP\nactivation: swish\n", want: ErrRange,
			msg: `symbolic: f.yaml:2:1: activation: want one of relu, gelu, tanh, got string "swish"`},
		{name: "missing required field", in: "_type: test.Classifier\nmodel: {_type: test.MLP}\n", want: ErrRequired,
			msg: "symbolic: f.yaml:1:1: name: missing required field of test.Classifier (want string)"},
		{name: "missing required nested", in: "m:\n  _type: test.Residual\n", want: ErrRequired,
			msg: "symbolic: f.yaml:2:3: m.inner: missing required field of test.Residual (want object of a type implementing symbolic.testModel (test.MLP, test.Residual) or null)"},
		{name: "OnBound hook", in: "_type: test.Classifier\nname: x\nmodel: {_type: test.MLP}\nschedule:\n  _type: test.Schedule\n  warmup: 500\n", want: ErrInvalid,
			msg: "symbolic: f.yaml:5:3: schedule: test.Schedule: warmup 500 exceeds total 100"},
		{name: "OnBound hook at the root", in: "total: 5\n_type: test.Schedule\nwarmup: 6\n", want: ErrInvalid,
			msg: "symbolic: f.yaml:2:1: test.Schedule: warmup 6 exceeds total 5"},
		{name: "unknown tag", in: "a: !nope [1]\n", want: ErrUnknownType,
			msg: "symbolic: f.yaml:1:4: a: unknown tag !nope"},
		{name: "unknown tag with a newline", in: "a: !%0A 1\n", want: ErrUnknownType,
			msg: `symbolic: f.yaml:1:4: a: unknown tag "!\n"`},
		{name: "global tag with a space", in: "a: !!x%20y 1\n", want: ErrKind,
			msg: `symbolic: f.yaml:1:4: a: unsupported tag "!!x y"`},
		{name: "unknown tag in JSON form", in: "a: {_tag: \"!nope\", _value: 1}\n", want: ErrUnknownType,
			msg: "symbolic: f.yaml:1:5: a: unknown tag !nope"},
		{name: "invalid tag content", in: "a: !choice relu\n", want: ErrKind,
			msg: `symbolic: f.yaml:1:4: a: !choice wants a non-empty list, got string "relu"`},
		{name: "invalid tag content empty", in: "- !choice []\n", want: ErrKind,
			msg: "symbolic: f.yaml:1:3: [0]: !choice wants a non-empty list, got list"},
		{name: "tag function error", in: "a: !fail 1\n", want: errCodecBoom,
			msg: "symbolic: f.yaml:1:4: a: !fail: boom"},
		{name: "JSON-form tag with other keys", in: "{_tag: \"!choice\", _value: [1], x: 1}\n", want: ErrKind,
			msg: `symbolic: f.yaml:1:2: a tagged value is written {_tag: "!name", _value: …} with no other keys`},
		{name: "global tag", in: "a: !!binary aGVsbG8=\n", want: ErrKind,
			msg: "symbolic: f.yaml:1:4: a: unsupported tag !!binary"},
		{name: "global tag on a sequence", in: "a: !!set [1]\n", want: ErrKind,
			msg: "symbolic: f.yaml:1:4: a: unsupported tag !!set on a sequence"},
		{name: "bad bool", in: "a: !!bool maybe\n", want: ErrKind,
			msg: `symbolic: f.yaml:1:4: a: want a boolean (true or false), got "maybe"`},
		{name: "bad int", in: "a: !!int 1.5\n", want: ErrKind,
			msg: `symbolic: f.yaml:1:4: a: want an integer, got "1.5"`},
		{name: "duplicate key", in: "a: 1\nb: 2\na: 3\n", want: ErrDuplicateKey,
			msg: "symbolic: f.yaml:3:1: a: duplicate key (first at line 1)"},
		{name: "duplicate key nested", in: "m:\n  x: 1\n  \"x\": 2\n", want: ErrDuplicateKey,
			msg: "symbolic: f.yaml:3:3: m.x: duplicate key (first at line 2)"},
		{name: "duplicate key int and string", in: "{1: a, \"1\": b}\n", want: ErrDuplicateKey,
			msg: `symbolic: f.yaml:1:8: ["1"]: duplicate key (first at line 1)`},
		{name: "duplicate _type", in: "_type: test.SGD\n_type: test.SGD\n", want: ErrDuplicateKey,
			msg: "symbolic: f.yaml:2:1: _type: duplicate key (first at line 1)"},
		{name: "null key", in: "~: 1\n", want: ErrKind,
			msg: `symbolic: f.yaml:1:1: mapping key "~" is !!null; keys must be strings, numbers or booleans`},
		{name: "collection key", in: "? [1]\n: 2\n", want: ErrKind,
			msg: "symbolic: f.yaml:1:3: mapping keys must be scalars"},
		{name: "tagged key", in: "? !choice a\n: 1\n", want: ErrKind,
			msg: `symbolic: f.yaml:1:3: mapping key "a" has tag !choice; keys cannot be tagged values`},
		{name: "invalid UTF-8", in: "a: ok\nb: caf\xe9\n", want: ErrSyntax,
			msg: "symbolic: f.yaml:2:7: invalid UTF-8"},
		{name: "multiple documents", in: "a: 1\n---\nb: 2\n", want: ErrSyntax,
			msg: "symbolic: f.yaml:2:1: more than one YAML document"},
		{name: "huge int", in: "a: 99999999999999999999\n", want: ErrRange,
			msg: "symbolic: f.yaml:1:4: a: integer 99999999999999999999 does not fit in 64 bits"},
		{name: "huge negative int", in: "a: -9223372036854775809\n", want: ErrRange,
			msg: "symbolic: f.yaml:1:4: a: integer -9223372036854775809 does not fit in 64 bits"},
		{name: "huge uint64", in: "a: 18446744073709551615\n", want: ErrRange,
			msg: "symbolic: f.yaml:1:4: a: integer 18446744073709551615 does not fit in 64 bits"},
		{name: "huge hex", in: "a: 0x1_0000_0000_0000_0000\n", want: ErrRange,
			msg: "symbolic: f.yaml:1:4: a: integer 0x1_0000_0000_0000_0000 does not fit in 64 bits"},
		{name: "long huge int", in: "a: " + strings.Repeat("1", 100) + "\n", want: ErrRange,
			msg: "symbolic: f.yaml:1:4: a: integer " + strings.Repeat("1", 37) + "... does not fit in 64 bits"},
		{name: "huge float", in: "a: 1e400\n", want: ErrRange,
			msg: "symbolic: f.yaml:1:4: a: float 1e400 is out of range"},
		{name: "huge float with a point first", in: "a: .1e400\n", want: ErrRange,
			msg: "symbolic: f.yaml:1:4: a: float .1e400 is out of range"},
		{name: "huge negative float", in: "a: -1_0e400\n", want: ErrRange,
			msg: "symbolic: f.yaml:1:4: a: float -1_0e400 is out of range"},
		{name: "huge float tagged", in: "a: !!float -1e400\n", want: ErrRange,
			msg: "symbolic: f.yaml:1:4: a: float -1e400 is out of range"},
		{name: "merge of a scalar", in: "a:\n  <<: 1\n", want: ErrKind,
			msg: "symbolic: f.yaml:2:7: a: merge key (<<) wants a mapping or a list of mappings"},
		{name: "merge of an object", in: "o: &o {_type: test.SGD}\na:\n  <<: *o\n", want: ErrKind,
			msg: "symbolic: f.yaml:3:7: a: merge key (<<) wants a plain mapping, got object of type test.SGD"},
		{name: "merge of a nested list", in: "a:\n  <<: [[{x: 1}]]\n", want: ErrKind,
			msg: "symbolic: f.yaml:2:8: a: merge key (<<) wants a mapping or a list of mappings"},
		{name: "input too large", in: "a: 12345\n", opts: &DecodeOptions{Filename: "f.yaml", MaxBytes: 8}, want: ErrLimit,
			msg: "symbolic: f.yaml: input is 9 bytes, more than the limit of 8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			if opts == nil {
				opts = &DecodeOptions{Filename: "f.yaml"}
			}
			v, err := decodeGuarded(t, func() (Value, error) { return r.DecodeYAML([]byte(tt.in), opts) })
			if v != nil {
				t.Errorf("got value %v with the error", v)
			}
			checkDecodeError(t, err, tt.want, tt.msg)
		})
	}
}

// TestDecodeYAMLHostile feeds inputs built to exhaust time, memory or the
// stack. Each must fail with the right error quickly.
func TestDecodeYAMLHostile(t *testing.T) {
	r := codecRegistry()
	deepPath := func(n int, step string) string { return strings.Repeat(step, n) }
	tests := []codecErrorCase{
		{name: "nesting beyond MaxDepth", in: "a: " + nested(5, "[", "1", "]") + "\n",
			opts: &DecodeOptions{Filename: "f.yaml", MaxDepth: 3}, want: ErrLimit,
			msg: "symbolic: f.yaml:1:7: a[0][0][0]: input is nested more than 3 levels deep"},
		{name: "block nesting beyond MaxDepth", in: "a:\n  b:\n    c:\n      d: 1\n",
			opts: &DecodeOptions{Filename: "f.yaml", MaxDepth: 3}, want: ErrLimit,
			msg: "symbolic: f.yaml:4:10: a.b.c.d: input is nested more than 3 levels deep"},
		{name: "nesting beyond the default MaxDepth", in: nested(200, "[", "", "]"), want: ErrLimit,
			msg: "symbolic: f.yaml:1:130: " + deepPath(129, "[0]") + ": input is nested more than 128 levels deep"},
		{name: "nesting beyond the parser's limit", in: nested(100_000, "[", "", "]"), want: ErrSyntax,
			msg: "symbolic: f.yaml: invalid YAML: exceeded max depth of 10000"},
		{name: "billion laughs", in: billionLaughs(9), want: ErrLimit,
			msg: "symbolic: f.yaml:6:45: a5[7][0][7][0][7][0]: input has more than 1000000 values (counting alias expansions)"},
		{name: "laughs beyond MaxNodes", in: billionLaughs(2), opts: &DecodeOptions{Filename: "f.yaml", MaxNodes: 100},
			want: ErrLimit, msg: "symbolic: f.yaml:2:45: a1[7][0]: input has more than 100 values (counting alias expansions)"},
		{name: "laughs through merge keys", in: "a0: &a0 {x: 1, y: 2}\n" +
			"a1: &a1 {<<: [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]}\n" +
			"a2: &a2 {<<: [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]}\n" +
			"a3: &a3 {<<: [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]}\n" +
			"a4: &a4 {<<: [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]}\n",
			opts: &DecodeOptions{Filename: "f.yaml", MaxNodes: 1000}, want: ErrLimit,
			msg: "symbolic: f.yaml:4:25: a3: input has more than 1000 values (counting alias expansions)"},
		{name: "self-referential alias", in: "a: &a [1, *a]\n", want: ErrSyntax,
			msg: "symbolic: f.yaml:1:11: a[1][1]: alias *a refers to itself"},
		{name: "self-referential mapping", in: "a: &a {b: *a}\n", want: ErrSyntax,
			msg: "symbolic: f.yaml:1:11: a.b.b: alias *a refers to itself"},
		{name: "self-referential merge", in: "a: &a {<<: *a}\n", want: ErrSyntax,
			msg: "symbolic: f.yaml:1:12: a: alias *a refers to itself"},
		{name: "self-referential merge list", in: "x:\n  <<: &s [*s]\n", want: ErrKind,
			msg: "symbolic: f.yaml:2:11: x: merge key (<<) wants a mapping or a list of mappings"},
		{name: "mutually referential aliases", in: "a: &a [&b [*a, *b]]\n", want: ErrSyntax,
			msg: "symbolic: f.yaml:1:12: a[0][0][0][0]: alias *a refers to itself"},
		{name: "alias bomb with a cycle", in: billionLaughs(8) + "z: &z [*a8, *z]\n", want: ErrLimit,
			msg: "symbolic: f.yaml:6:45: a5[7][0][7][0][7][0]: input has more than 1000000 values (counting alias expansions)"},
		{name: "many documents", in: strings.Repeat("---\na: 1\n", 1000), want: ErrSyntax,
			msg: "symbolic: f.yaml:3:1: more than one YAML document"},
		{name: "long invalid UTF-8", in: strings.Repeat("a", 1<<20) + "\xff", want: ErrSyntax,
			msg: "symbolic: f.yaml:1:1048577: invalid UTF-8"},
		{name: "many values beyond MaxNodes", in: "[" + strings.Repeat("1, ", 2000) + "1]\n",
			opts: &DecodeOptions{Filename: "f.yaml", MaxNodes: 1000}, want: ErrLimit,
			msg: "symbolic: f.yaml:1:2996: [998]: input has more than 1000 values (counting alias expansions)"},
		{name: "input beyond MaxBytes", in: strings.Repeat("a", 100), opts: &DecodeOptions{Filename: "f.yaml", MaxBytes: 99},
			want: ErrLimit, msg: "symbolic: f.yaml: input is 100 bytes, more than the limit of 99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			if opts == nil {
				opts = &DecodeOptions{Filename: "f.yaml"}
			}
			_, err := decodeGuarded(t, func() (Value, error) { return r.DecodeYAML([]byte(tt.in), opts) })
			checkDecodeError(t, err, tt.want, tt.msg)
		})
	}
}

func TestEncodeYAML(t *testing.T) {
	r := codecRegistry()
	long := make([]Value, 12)
	for i := range long {
		long[i] = String("item")
	}
	tests := []struct {
		name string
		in   Value
		want string
	}{
		{"null", Null{}, "null\n"},
		{"nil", nil, "null\n"},
		{"bool", Bool(true), "true\n"},
		{"int", Int(-42), "-42\n"},
		{"int64 min", Int(math.MinInt64), "-9223372036854775808\n"},
		{"integral float", Float(3), "3.0\n"},
		{"float", Float(0.1), "0.1\n"},
		{"small float", Float(1e-05), "1.0e-05\n"},
		{"large float", Float(1e21), "1.0e+21\n"},
		{"large integral float", Float(123456), "123456.0\n"},
		{"negative zero", Float(math.Copysign(0, -1)), "-0.0\n"},
		{"inf", Float(math.Inf(1)), ".inf\n"},
		{"minus inf", Float(math.Inf(-1)), "-.inf\n"},
		{"nan", Float(math.NaN()), ".nan\n"},
		{"plain string", String("relu"), "relu\n"},
		{"path-like string", String("data/train-v1.2_x"), "data/train-v1.2_x\n"},
		{"empty string", String(""), "\"\"\n"},
		{"string like an int", String("12"), "\"12\"\n"},
		{"string like a float", String("1e5"), "\"1e5\"\n"},
		{"string like a bool", String("true"), "\"true\"\n"},
		{"string like True", String("True"), "\"True\"\n"},
		{"string like null", String("null"), "\"null\"\n"},
		{"string like Null", String("Null"), "\"Null\"\n"},
		{"string like tilde", String("~"), "\"~\"\n"},
		{"string like inf", String(".inf"), "\".inf\"\n"},
		{"string like a date", String("2001-12-14"), "\"2001-12-14\"\n"},
		{"string with a space", String("a b"), "a b\n"},
		{"string with an edge space", String("a "), "\"a \"\n"},
		{"string with colon", String("a: b"), "\"a: b\"\n"},
		{"string with hash", String("#x"), "\"#x\"\n"},
		{"string starting with dash", String("-x"), "\"-x\"\n"},
		{"merge marker", String("<<"), "\"<<\"\n"},
		{"unicode", String("é"), "\"é\"\n"},
		{"multi-line", String("a\nb\n"), "\"a\\nb\\n\"\n"},
		{"control characters", String("\x00\t\x1b\u0085\u2028\ufeff"), "\"\\x00\\t\\x1b\\u0085\\u2028\\ufeff\"\n"},
		{"quotes and backslashes", String(`say "hi" \o/`), `"say \"hi\" \\o/"` + "\n"},
		{"empty list", &List{}, "[]\n"},
		{"empty dict", &Dict{}, "{}\n"},
		{"flow list", NewList(Int(1), Float(2), String("x"), Null{}, Bool(false)), "[1, 2.0, x, null, false]\n"},
		{"long list is block", NewList(long...), strings.Repeat("- item\n", 12)},
		{"nested lists", NewList(NewList(Int(1)), NewList(NewList(Int(2)), codecDict("a", Int(3)))),
			"- [1]\n- - [2]\n  - a: 3\n"},
		{"dict", codecDict("b", Int(1), "a", codecDict("c", &List{}, "d", &Dict{})), "b: 1\na:\n  c: []\n  d: {}\n"},
		{"dict of lists", codecDict("l", NewList(codecDict("x", Int(1), "y", Int(2)))), "l:\n  - x: 1\n    y: 2\n"},
		{"keys needing quotes", codecDict("a.b", Int(1), "", Int(2), "1", Int(3), "null", Int(4), "x y", Int(5), "é", Int(6)),
			"a.b: 1\n\"\": 2\n\"1\": 3\n\"null\": 4\nx y: 5\n\"é\": 6\n"},
		{"object", codecObject(t, r, "test.SGD", "lr", Float(0.5), "momentum", Float(0)), "_type: test.SGD\nlr: 0.5\nmomentum: 0.0\n"},
		{"object in a list", NewList(codecObject(t, r, "test.AdamW", "lr", Float(1), "weight_decay", Float(0))),
			"- _type: test.AdamW\n  lr: 1.0\n  weight_decay: 0.0\n"},
		{"object under a key", codecDict("opt", codecObject(t, r, "test.AdamW", "lr", Float(1), "weight_decay", Float(0))),
			"opt:\n  _type: test.AdamW\n  lr: 1.0\n  weight_decay: 0.0\n"},
		{"tagged at the top", codecChoice(Int(1), Int(2)), "!choice [1, 2]\n"},
		{"tagged under a key", codecDict("a", codecChoice(String("x"))), "a: !choice [x]\n"},
		{"tagged in a list", NewList(codecChoice(Int(1))), "- !choice [1]\n"},
		{"tagged block at the top", codecChoice(codecDict("a", Int(1))), "!choice\n- a: 1\n"},
		{"tagged block under a key", codecDict("m", codecChoice(codecDict("a", Int(1)), Int(2))),
			"m: !choice\n  - a: 1\n  - 2\n"},
		{"tagged block in a list", NewList(codecChoice(NewList(Int(1)))), "- !choice\n  - [1]\n"},
		{"tagged dict", codecDict("t", codecRawTagged{codecDict("a", Int(1))}), "t: !raw {a: 1}\n"},
		{"tagged dict in a list", NewList(codecRawTagged{codecDict("a", Int(1), "b", Int(2))}), "- !raw {a: 1, b: 2}\n"},
		{"tagged dict too wide for a line", codecDict("t", codecRawTagged{codecDict("a", String(strings.Repeat("x", 70)))}),
			"t: !raw\n  a: " + strings.Repeat("x", 70) + "\n"},
		{"tagged dict holding a dict", codecDict("t", codecRawTagged{codecDict("a", codecDict("b", Int(1)))}),
			"t: !raw\n  a:\n    b: 1\n"},
		{"tagged scalar", codecRawTagged{String("1")}, "!raw \"1\"\n"},
		{"tagged empty dict", codecRawTagged{&Dict{}}, "!raw {}\n"},
		{"tagged null", codecRawTagged{Null{}}, "!raw null\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EncodeYAML(tt.in)
			if err != nil {
				t.Fatalf("EncodeYAML: %v", err)
			}
			if string(got) != tt.want {
				t.Fatalf("EncodeYAML\n got: %q\nwant: %q", got, tt.want)
			}
			checkRoundTrip(t, r, tt.in)
		})
	}
}

func TestEncodeYAMLErrors(t *testing.T) {
	tests := []struct {
		name string
		in   Value
		want error
		msg  string
	}{
		{"reserved _type key", codecDict("_type", String("test.SGD")), ErrKind,
			"symbolic: _type: dict key _type is reserved"},
		{"reserved _tag key", codecDict("a", codecDict("_tag", String("!choice"), "_value", NewList(Int(1)))), ErrKind,
			"symbolic: a._tag: dict key _tag is reserved"},
		{"reserved key in a flow list", codecDict("a", NewList(codecRawTagged{codecDict("_type", Int(1))})), ErrKind,
			"symbolic: a[0]._type: dict key _type is reserved"},
		{"invalid UTF-8 string", NewList(String("ok"), String("caf\xe9")), ErrKind,
			"symbolic: [1]: string is not valid UTF-8"},
		{"invalid UTF-8 key", codecDict("m", codecDict("caf\xe9", Int(1))), ErrKind,
			`symbolic: m["caf\xe9"]: key is not valid UTF-8`},
		{"tagged tagged value", codecDict("a", codecRawTagged{codecRawTagged{Int(1)}}), ErrUnsupported,
			"symbolic: a: tagged value !raw holds tagged value !raw, which YAML cannot write"},
		{"tagged tagged block", NewList(codecRawTagged{codecRawTagged{codecDict("x", Int(1))}}), ErrUnsupported,
			"symbolic: [0]: tagged value !raw holds tagged value !raw, which YAML cannot write"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EncodeYAML(tt.in)
			if got != nil {
				t.Errorf("got output %q with the error", got)
			}
			checkDecodeError(t, err, tt.want, tt.msg)
		})
	}
}

// TestYAMLStringsRoundTrip checks strings that YAML could read as
// something else, or that need escapes, survive encoding.
func TestYAMLStringsRoundTrip(t *testing.T) {
	r := codecRegistry()
	strs := []string{
		"", " ", " lead", "trail ", "a: b", "a:b", "a #b", "- x", "-", "?", ":", "[", "{", "}", ",", "&a", "*a", "!tag",
		"|", ">", "'", "\"", "%", "@", "`", "<<", "=", "~", "null", "NULL", "true", "False", "yes", "no", "on", "off", "y", "n",
		"0", "-0", "+1", "0x10", "0o7", "0b1", "1_000", "1e3", ".5", "5.", ".inf", "-.Inf", ".NaN", "1:20", "2001-12-14",
		"2001-12-14T21:59:43.10-05:00", "\t", "\r\n", "a\nb", "\x00", "\x7f", "\u0085", "\u00a0", "\u2028", "\ufeff", "\ue000",
		"_1", "_10000000000000000000", "x99999999999999999999", "._5", "-_1", "1_", "0x", "0b2", "09", "1e400x",
		"\U0001F600", "日本語", "é", strings.Repeat("long ", 300), "...", "---", "#", "a\\b", "\\", "\"quoted\"",
	}
	for _, s := range strs {
		v := codecDict(s, NewList(String(s), codecDict(s, String(s))), "x", String(s))
		checkRoundTrip(t, r, v)
	}
}

// TestEncodeYAMLLongKey checks that keys longer than YAML's 1024-character
// limit on implicit keys still read back.
func TestEncodeYAMLLongKey(t *testing.T) {
	r := codecRegistry()
	for _, k := range []string{strings.Repeat("k", 2000), strings.Repeat("é x", 700)} {
		checkRoundTrip(t, r, codecDict(k, Int(1), "b", codecDict(k, NewList(Int(2)))))
	}
}

func TestHasYAMLComments(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"a: 1\n", false},
		{"# head\na: 1\n", true},
		{"a: 1 # line\n", true},
		{"a:\n  - 1\n  # foot\n", true},
		{"a: \"# not a comment\"\n", false},
		{"a: [\n", false},
	}
	for _, tt := range tests {
		if got := HasYAMLComments([]byte(tt.in)); got != tt.want {
			t.Errorf("HasYAMLComments(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestDecodeYAMLValidatesBeforeHooks checks that no OnBound hook runs when
// any part of the input is invalid.
func TestDecodeYAMLValidatesBeforeHooks(t *testing.T) {
	r := codecRegistry()
	// The schedule's hook would fail, but the unknown field comes first in
	// validation even though it is later in the text.
	_, err := r.DecodeYAML([]byte("a: {_type: test.Schedule, warmup: 500}\nb: {_type: test.MLP, width: 1}\n"), nil)
	if !errors.Is(err, ErrUnknownField) {
		t.Fatalf("got %v, want ErrUnknownField", err)
	}
}

// codecKeywordFields has fields whose names YAML reads as other kinds
// when they are not quoted.
type codecKeywordFields struct {
	Null  int    `sym:"null"`
	True  string `sym:"true"`
	Plain bool
}

func TestYAMLKeywordFieldNames(t *testing.T) {
	r := codecRegistry()
	MustRegister[codecKeywordFields](r, "test.Keywords", "")
	v := codecObject(t, r, "test.Keywords", "null", Int(1), "true", String("y"), "plain", Bool(true))
	y, err := EncodeYAML(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := "_type: test.Keywords\n\"null\": 1\n\"true\": y\nplain: true\n"; string(y) != want {
		t.Errorf("EncodeYAML = %q, want %q", y, want)
	}
	if s := v.String(); s != `{_type: test.Keywords, "null": 1, "true": y, plain: true}` {
		t.Errorf("String = %s", s)
	}
	checkRoundTrip(t, r, v)
	checkRoundTrip(t, r, NewList(v, codecDict("k", v)))
}

// TestYAMLSizeMatchesCount checks that the size the decoder computes to
// refuse alias bombs before expanding them is the number of values it
// counts when it decodes the input: if the two drifted apart, the decoder
// could refuse inputs within MaxNodes.
func TestYAMLSizeMatchesCount(t *testing.T) {
	r := codecRegistry()
	inputs := []string{
		"a: 1\n",
		"[1, [2, [3]], {a: b}]\n",
		"a: !choice [1, 2]\nb: !raw {x: !raw 1}\n",
		"a: &x {b: [1, 2]}\nc: *x\nd: [*x, *x]\n",
		"base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\ne: {<<: [*b, {z: 1}], w: 0}\n",
		"a: &t !choice [&s 1, *s]\nb: *t\n",
		billionLaughs(3),
	}
	golden, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.in.yaml"))
	for _, g := range golden {
		data, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, string(data))
	}
	for _, in := range inputs {
		var doc yaml.Node
		if err := parseYAMLNode([]byte(in), &doc); err != nil {
			t.Fatalf("parse %q: %v", in, err)
		}
		sizer := yamlDecoder{decoder: newDecoder(r, nil), expanding: map[*yaml.Node]bool{}}
		size := sizer.size(&doc, 0)
		counter := yamlDecoder{decoder: newDecoder(r, nil), expanding: map[*yaml.Node]bool{}}
		if _, err := counter.node(KeyPath{}, &doc, 0); err != nil {
			t.Fatalf("decode %q: %v", in, err)
		}
		if size != counter.nodes {
			t.Errorf("size %d, but decoding counted %d values, for\n%s", size, counter.nodes, in)
		}
	}
}
