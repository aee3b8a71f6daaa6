package symbolic

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestDecodeJSON(t *testing.T) {
	r := codecRegistry()
	tests := []struct {
		name string
		in   string
		want Value
	}{
		// Scalars.
		{"int", `42`, Int(42)},
		{"negative int", `-17`, Int(-17)},
		{"zero", `0`, Int(0)},
		{"minus zero int", `-0`, Int(0)},
		{"int64 max", `9223372036854775807`, Int(math.MaxInt64)},
		{"int64 min", `-9223372036854775808`, Int(math.MinInt64)},
		{"float", `1.5`, Float(1.5)},
		{"integral float", `2.0`, Float(2)},
		{"exponent is a float", `1e5`, Float(1e5)},
		{"upper-case exponent", `1E+2`, Float(100)},
		{"negative exponent", `1e-05`, Float(1e-05)},
		{"exponent with leading zeros", `1e005`, Float(1e5)},
		{"float underflow is zero", `1e-400`, Float(0)},
		{"largest float", `1.7976931348623157e308`, Float(math.MaxFloat64)},
		{"true", `true`, Bool(true)},
		{"false", `false`, Bool(false)},
		{"null", `null`, Null{}},
		{"string", `"relu"`, String("relu")},
		{"string like an int", `"1"`, String("1")},
		{"string like a bool", `"true"`, String("true")},
		{"string like null", `"null"`, String("null")},
		{"string like inf", `".inf"`, String(".inf")},
		{"empty string", `""`, String("")},
		{"escapes", `"\"\\\/\b\f\n\r\t"`, String("\"\\/\b\f\n\r\t")},
		{"unicode escape", `"\u00e9\u65e5"`, String("é日")},
		{"surrogate pair", `"\ud83d\ude00"`, String("😀")},
		{"upper-case hex escape", `"\u00E9"`, String("é")},
		{"NUL escape", `"a\u0000b"`, String("a\x00b")},
		{"raw unicode", `"é日本😀"`, String("é日本😀")},
		{"multi-line", `"line1\nline2\n"`, String("line1\nline2\n")},
		{"whitespace around", " \t\r\n 1 \n", Int(1)},

		// Lists and dicts.
		{"list", `[1, 2.5, "x", null, true]`, NewList(Int(1), Float(2.5), String("x"), Null{}, Bool(true))},
		{"empty list", `[]`, &List{}},
		{"empty list with space", `[ ]`, &List{}},
		{"nested lists", `[[1], [[2]]]`, NewList(NewList(Int(1)), NewList(NewList(Int(2))))},
		{"dict", `{"b": 1, "a": {"c": [], "d": {}}}`, codecDict("b", Int(1), "a", codecDict("c", &List{}, "d", &Dict{}))},
		{"empty dict", `{}`, &Dict{}},
		{"empty dict with space", "{\n}", &Dict{}},
		{"key order kept", `{"z": 1, "a": 2, "m": 3}`, codecDict("z", Int(1), "a", Int(2), "m", Int(3))},
		{"odd keys", `{"": 1, "a.b": 2, "1": 3, "\u00e9": 4}`, codecDict("", Int(1), "a.b", Int(2), "1", Int(3), "é", Int(4))},
		{"dict with _value only", `{"_value": 1}`, codecDict("_value", Int(1))},

		// Objects.
		{"object with defaults", `{"_type": "test.MLP"}`,
			codecObject(t, r, "test.MLP", "hidden", NewList(Int(256), Int(256)), "activation", String("relu"), "dropout", Float(0))},
		{"object _type last", `{"lr": 2, "_type": "test.SGD"}`,
			codecObject(t, r, "test.SGD", "lr", Float(2), "momentum", Float(0.9))},
		{"classifier", `{"_type": "test.Classifier", "name": "c", "model": {"_type": "test.Residual", "inner": {"_type": "test.MLP", "hidden": [8]}, "blocks": 3}, "optimizer": {"_type": "test.SGD"}, "extra": [1, "x"], "tags": {"k": "v"}}`,
			codecObject(t, r, "test.Classifier",
				"model", codecObject(t, r, "test.Residual",
					"inner", codecObject(t, r, "test.MLP", "hidden", NewList(Int(8)), "activation", String("relu"), "dropout", Float(0)),
					"blocks", Int(3)),
				"optimizer", codecObject(t, r, "test.SGD", "lr", Float(0.1), "momentum", Float(0.9)),
				"schedule", Null{}, "epochs", Int(5), "batch", Int(500), "seed", Int(0),
				"tags", codecDict("k", String("v")), "extra", NewList(Int(1), String("x")), "name", String("c"))},

		// Tagged values.
		{"tagged", `{"_tag": "!choice", "_value": [1, 2]}`, codecChoice(Int(1), Int(2))},
		{"tagged value first", `{"_value": ["a"], "_tag": "!choice"}`, codecChoice(String("a"))},
		{"tagged in a dict", `{"act": {"_tag": "!choice", "_value": ["relu", "gelu"]}}`,
			codecDict("act", codecChoice(String("relu"), String("gelu")))},
		{"tagged holding a tagged value", `{"_tag": "!raw", "_value": {"_tag": "!raw", "_value": 1}}`,
			codecRawTagged{codecRawTagged{Int(1)}}},
		{"tagged holding an object", `{"_tag": "!raw", "_value": {"_type": "test.SGD"}}`,
			codecRawTagged{codecObject(t, r, "test.SGD", "lr", Float(0.1), "momentum", Float(0.9))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.DecodeJSON([]byte(tt.in), &DecodeOptions{Filename: "f.json"})
			if err != nil {
				t.Fatalf("DecodeJSON(%q): %v", tt.in, err)
			}
			if !Equal(got, tt.want) {
				t.Fatalf("DecodeJSON(%q)\n got: %v\nwant: %v", tt.in, got, tt.want)
			}
			if tt.name == "tagged holding a tagged value" {
				return // YAML cannot write it; see TestEncodeYAMLErrors
			}
			checkRoundTrip(t, r, got)
		})
	}
}

// TestDecodeJSONSignedZero checks that -0.0 keeps its sign, and -0 (an
// int) does not have one.
func TestDecodeJSONSignedZero(t *testing.T) {
	r := codecRegistry()
	v, err := r.DecodeJSON([]byte(`[-0.0, -0]`), nil)
	if err != nil {
		t.Fatal(err)
	}
	f, ok := v.(*List).At(0).(Float)
	if !ok || !math.Signbit(float64(f)) {
		t.Errorf("[0] = %#v, want Float(-0)", v.(*List).At(0))
	}
	if got, err := EncodeJSONCompact(v); err != nil || string(got) != "[-0.0,0]" {
		t.Errorf("EncodeJSONCompact = %q, %v; want %q", got, err, "[-0.0,0]")
	}
}

func TestDecodeJSONErrors(t *testing.T) {
	r := codecRegistry()
	tests := []codecErrorCase{
		{name: "empty input", in: ``, want: ErrSyntax,
			msg: "symbolic: f.json:1:1: unexpected end of JSON input; want a value"},
		{name: "bare word", in: `relu`, want: ErrSyntax,
			msg: "symbolic: f.json:1:1: want a value, got 'r'"},
		{name: "non-ASCII junk", in: `[é]`, want: ErrSyntax,
			msg: "symbolic: f.json:1:2: [0]: want a value, got 'é'"},
		{name: "byte order mark", in: "\ufeff{}", want: ErrSyntax,
			msg: `symbolic: f.json:1:1: want a value, got '\ufeff'`},
		{name: "NaN literal", in: `[NaN]`, want: ErrSyntax,
			msg: "symbolic: f.json:1:2: [0]: want a value, got 'N'"},
		{name: "truncated literal", in: `[tru]`, want: ErrSyntax,
			msg: "symbolic: f.json:1:2: [0]: want a value, got 't'"},
		{name: "trailing comma in list", in: `[1,]`, want: ErrSyntax,
			msg: "symbolic: f.json:1:4: [1]: want a value, got ']'"},
		{name: "trailing comma in dict", in: "{\"a\": 1,\n}", want: ErrSyntax,
			msg: "symbolic: f.json:2:1: want a string key"},
		{name: "missing colon", in: `{"a" 1}`, want: ErrSyntax,
			msg: "symbolic: f.json:1:6: a: want ':' after the key"},
		{name: "missing comma", in: `[1 2]`, want: ErrSyntax,
			msg: "symbolic: f.json:1:4: want ',' or ']'"},
		{name: "unterminated list", in: `{"a": [1, 2`, want: ErrSyntax,
			msg: "symbolic: f.json:1:12: a: unexpected end of JSON input; want ',' or ']'"},
		{name: "unterminated string", in: `{"a": "x`, want: ErrSyntax,
			msg: "symbolic: f.json:1:9: a: unexpected end of JSON input; unterminated string"},
		{name: "control character", in: "\"a\tb\"", want: ErrSyntax,
			msg: "symbolic: f.json:1:3: control character in string"},
		{name: "invalid escape", in: `"a\x41"`, want: ErrSyntax,
			msg: `symbolic: f.json:1:3: invalid escape \x`},
		{name: "escape of a control character", in: "\"\\\r\"", want: ErrSyntax,
			msg: `symbolic: f.json:1:2: invalid escape: \ followed by '\r'`},
		{name: "escape of a non-ASCII letter", in: `"\é"`, want: ErrSyntax,
			msg: `symbolic: f.json:1:2: invalid escape \é`},
		{name: "short unicode escape", in: `"\u12"`, want: ErrSyntax,
			msg: `symbolic: f.json:1:4: invalid \u escape`},
		{name: "single quotes", in: `{'a': 1}`, want: ErrSyntax,
			msg: "symbolic: f.json:1:2: want a string key"},
		{name: "non-string key", in: `{1: 2}`, want: ErrSyntax,
			msg: "symbolic: f.json:1:2: want a string key"},
		{name: "trailing data", in: "{\"a\": 1}\n{\"b\": 2}\n", want: ErrSyntax,
			msg: "symbolic: f.json:2:1: unexpected data after the JSON value"},
		{name: "trailing garbage", in: `1 x`, want: ErrSyntax,
			msg: "symbolic: f.json:1:3: unexpected data after the JSON value"},
		{name: "leading zero", in: `{"a": 012}`, want: ErrSyntax,
			msg: "symbolic: f.json:1:7: a: number with a leading zero"},
		{name: "negative leading zero", in: `-01`, want: ErrSyntax,
			msg: "symbolic: f.json:1:2: number with a leading zero"},
		{name: "leading plus", in: `+1`, want: ErrSyntax,
			msg: "symbolic: f.json:1:1: want a value, got '+'"},
		{name: "leading point", in: `.5`, want: ErrSyntax,
			msg: "symbolic: f.json:1:1: want a value, got '.'"},
		{name: "trailing point", in: `[1.]`, want: ErrSyntax,
			msg: "symbolic: f.json:1:4: [0]: want digits after the decimal point"},
		{name: "empty exponent", in: `1e`, want: ErrSyntax,
			msg: "symbolic: f.json:1:3: unexpected end of JSON input; want digits in the exponent"},
		{name: "lone minus", in: `[-]`, want: ErrSyntax,
			msg: "symbolic: f.json:1:3: [0]: want digits in number"},
		{name: "hex number", in: `0x10`, want: ErrSyntax,
			msg: "symbolic: f.json:1:2: unexpected data after the JSON value"},
		{name: "huge int", in: `{"seed": 99999999999999999999}`, want: ErrRange,
			msg: "symbolic: f.json:1:10: seed: integer 99999999999999999999 does not fit in 64 bits"},
		{name: "int just past int64", in: `-9223372036854775809`, want: ErrRange,
			msg: "symbolic: f.json:1:1: integer -9223372036854775809 does not fit in 64 bits"},
		{name: "huge float", in: `[1e400]`, want: ErrRange,
			msg: "symbolic: f.json:1:2: [0]: float 1e400 is out of range"},
		{name: "lone high surrogate", in: `{"k": "\ud800"}`, want: ErrSyntax,
			msg: `symbolic: f.json:1:14: k: unpaired UTF-16 surrogate in \u escape`},
		{name: "lone low surrogate", in: `"\udc00x"`, want: ErrSyntax,
			msg: `symbolic: f.json:1:8: unpaired UTF-16 surrogate in \u escape`},
		{name: "high surrogate then letter", in: `"\ud800\u0041"`, want: ErrSyntax,
			msg: `symbolic: f.json:1:14: unpaired UTF-16 surrogate in \u escape`},
		{name: "two high surrogates", in: `"\ud800\ud800"`, want: ErrSyntax,
			msg: `symbolic: f.json:1:14: unpaired UTF-16 surrogate in \u escape`},
		{name: "surrogate in a key", in: `{"\udfff": 1}`, want: ErrSyntax,
			msg: `symbolic: f.json:1:9: unpaired UTF-16 surrogate in \u escape`},
		{name: "invalid UTF-8", in: "{\"a\": \"ok\",\n \"b\": \"caf\xe9\"}", want: ErrSyntax,
			msg: "symbolic: f.json:2:11: invalid UTF-8"},
		{name: "duplicate key", in: "{\"a\": 1,\n \"a\": 2}", want: ErrDuplicateKey,
			msg: "symbolic: f.json:2:2: a: duplicate key (first at line 1)"},
		{name: "duplicate key by escape", in: `{"m": {"é": 1, "\u00e9": 2}}`, want: ErrDuplicateKey,
			msg: `symbolic: f.json:1:16: m["é"]: duplicate key (first at line 1)`},
		{name: "duplicate _type", in: `{"_type": "test.SGD", "_type": "test.SGD"}`, want: ErrDuplicateKey,
			msg: "symbolic: f.json:1:23: _type: duplicate key (first at line 1)"},
		{name: "unknown _type", in: `{"m": {"_type": "test.Nope"}}`, want: ErrUnknownType,
			msg: `symbolic: f.json:1:8: m._type: unknown _type "test.Nope" (registered: test.MLP, test.SGD, test.AdamW, test.Schedule, test.Residual, test.Classifier)`},
		{name: "_type not a string", in: `{"_type": null}`, want: ErrKind,
			msg: "symbolic: f.json:1:2: _type: want a registered type name, got null"},
		{name: "unknown field", in: "{\"_type\": \"test.SGD\",\n \"rate\": 1}", want: ErrUnknownField,
			msg: "symbolic: f.json:2:2: rate: unknown field of test.SGD (fields: lr, momentum)"},
		{name: "wrong kind", in: `{"_type": "test.MLP", "dropout": "high"}`, want: ErrKind,
			msg: `symbolic: f.json:1:23: dropout: want float in [0, 1], got string "high"`},
		{name: "wrong object type", in: `{"_type": "test.Classifier", "name": "x", "model": {"_type": "test.AdamW"}}`, want: ErrKind,
			msg: "symbolic: f.json:1:43: model: want object of a type implementing symbolic.testModel (test.MLP, test.Residual) or null, got object of type test.AdamW"},
		{name: "out of range", in: `{"_type": "test.Residual", "inner": {"_type": "test.MLP"}, "blocks": 0}`, want: ErrRange,
			msg: "symbolic: f.json:1:60: blocks: want int in [1, +inf), got int 0"},
		{name: "enum violation", in: `[{"_type": "test.MLP", "activation": "ReLU"}]`, want: ErrRange,
			msg: `symbolic: f.json:1:24: [0].activation: want one of relu, gelu, tanh, got string "ReLU"`},
		{name: "missing required field", in: `{"_type": "test.Classifier", "model": {"_type": "test.MLP"}}`, want: ErrRequired,
			msg: "symbolic: f.json:1:2: name: missing required field of test.Classifier (want string)"},
		{name: "OnBound hook", in: "[\n {\"_type\": \"test.Schedule\", \"warmup\": 7, \"total\": 3}]", want: ErrInvalid,
			msg: "symbolic: f.json:2:3: [0]: test.Schedule: warmup 7 exceeds total 3"},
		{name: "unknown tag", in: `{"x": {"_tag": "!nope", "_value": 1}}`, want: ErrUnknownType,
			msg: "symbolic: f.json:1:8: x: unknown tag !nope"},
		{name: "unknown tag with a space", in: `{"_tag": "!a b", "_value": 1}`, want: ErrUnknownType,
			msg: `symbolic: f.json:1:2: unknown tag "!a b"`},
		{name: "tag without its !", in: `{"_tag": "choice", "_value": [1]}`, want: ErrUnknownType,
			msg: "symbolic: f.json:1:2: unknown tag choice"},
		{name: "invalid tag content", in: `{"x": {"_tag": "!choice", "_value": []}}`, want: ErrKind,
			msg: "symbolic: f.json:1:8: x: !choice wants a non-empty list, got list"},
		{name: "tag function error", in: `{"_tag": "!fail", "_value": 1}`, want: errCodecBoom,
			msg: "symbolic: f.json:1:2: !fail: boom"},
		{name: "tag without _value", in: `{"_tag": "!choice"}`, want: ErrKind,
			msg: `symbolic: f.json:1:2: a tagged value is written {_tag: "!name", _value: …} with no other keys`},
		{name: "tag not a string", in: `{"_tag": 1, "_value": [1]}`, want: ErrKind,
			msg: `symbolic: f.json:1:2: a tagged value is written {_tag: "!name", _value: …} with no other keys`},
		{name: "tag with another key", in: `{"_tag": "!choice", "_value": [1], "_type": "test.SGD"}`, want: ErrKind,
			msg: `symbolic: f.json:1:2: a tagged value is written {_tag: "!name", _value: …} with no other keys`},
		{name: "input too large", in: `[1, 2, 3]`, opts: &DecodeOptions{Filename: "f.json", MaxBytes: 8}, want: ErrLimit,
			msg: "symbolic: f.json: input is 9 bytes, more than the limit of 8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			if opts == nil {
				opts = &DecodeOptions{Filename: "f.json"}
			}
			v, err := decodeGuarded(t, func() (Value, error) { return r.DecodeJSON([]byte(tt.in), opts) })
			if v != nil {
				t.Errorf("got value %v with the error", v)
			}
			checkDecodeError(t, err, tt.want, tt.msg)
		})
	}
}

// TestDecodeJSONHostile feeds inputs built to exhaust time, memory or the
// stack. Each must fail with the right error quickly.
func TestDecodeJSONHostile(t *testing.T) {
	r := codecRegistry()
	tests := []codecErrorCase{
		{name: "nesting beyond MaxDepth", in: nested(5, "[", "1", "]"),
			opts: &DecodeOptions{Filename: "f.json", MaxDepth: 3}, want: ErrLimit,
			msg: "symbolic: f.json:1:5: [0][0][0][0]: input is nested more than 3 levels deep"},
		{name: "dict nesting beyond MaxDepth", in: nested(5, `{"a":`, "1", "}"),
			opts: &DecodeOptions{Filename: "f.json", MaxDepth: 3}, want: ErrLimit,
			msg: "symbolic: f.json:1:21: a.a.a.a: input is nested more than 3 levels deep"},
		{name: "deep nesting", in: nested(1_000_000, "[", "", "]"), want: ErrLimit,
			msg: "symbolic: f.json:1:130: " + strings.Repeat("[0]", 129) + ": input is nested more than 128 levels deep"},
		{name: "unclosed deep nesting", in: strings.Repeat(`{"a":[`, 500_000), want: ErrLimit,
			msg: "symbolic: f.json:1:390: " + strings.Repeat("a[0].", 64) + "a: input is nested more than 128 levels deep"},
		{name: "many values beyond MaxNodes", in: "[" + strings.Repeat("0,", 2000) + "0]",
			opts: &DecodeOptions{Filename: "f.json", MaxNodes: 1000}, want: ErrLimit,
			msg: "symbolic: f.json:1:2000: [999]: input has more than 1000 values (counting alias expansions)"},
		{name: "a million digits", in: "[" + strings.Repeat("9", 1_000_000) + "]", want: ErrRange,
			msg: "symbolic: f.json:1:2: [0]: integer " + strings.Repeat("9", 37) + "... does not fit in 64 bits"},
		{name: "a thousand-digit float", in: "-1" + strings.Repeat("0", 1000) + ".5", want: ErrRange,
			msg: "symbolic: f.json:1:1: float -1" + strings.Repeat("0", 35) + "... is out of range"},
		{name: "long unterminated string", in: `"` + strings.Repeat(`\n`, 1_000_000), want: ErrSyntax,
			msg: "symbolic: f.json:1:2000002: unexpected end of JSON input; unterminated string"},
		{name: "many duplicate-free keys then a duplicate", in: manyKeysJSON(20_000), want: ErrDuplicateKey,
			msg: "symbolic: f.json:1:248892: k0: duplicate key (first at line 1)"},
		{name: "input beyond MaxBytes", in: strings.Repeat(" ", 100) + "1", opts: &DecodeOptions{Filename: "f.json", MaxBytes: 100},
			want: ErrLimit, msg: "symbolic: f.json: input is 101 bytes, more than the limit of 100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			if opts == nil {
				opts = &DecodeOptions{Filename: "f.json"}
			}
			_, err := decodeGuarded(t, func() (Value, error) { return r.DecodeJSON([]byte(tt.in), opts) })
			checkDecodeError(t, err, tt.want, tt.msg)
		})
	}
}

// manyKeysJSON returns an object with n distinct keys followed by a
// repeat of the first.
func manyKeysJSON(n int) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		b.WriteString(`"k`)
		b.WriteString(Int(i).String())
		b.WriteString(`": 0, `)
	}
	b.WriteString(`"k0": 1}`)
	return b.String()
}

func TestEncodeJSON(t *testing.T) {
	r := codecRegistry()
	tests := []struct {
		name    string
		in      Value
		want    string
		compact string
	}{
		{"null", Null{}, "null\n", "null"},
		{"nil", nil, "null\n", "null"},
		{"bool", Bool(false), "false\n", "false"},
		{"int", Int(math.MinInt64), "-9223372036854775808\n", "-9223372036854775808"},
		{"integral float", Float(3), "3.0\n", "3.0"},
		{"float", Float(0.1), "0.1\n", "0.1"},
		{"small float", Float(1e-05), "1.0e-05\n", "1.0e-05"},
		{"large float", Float(1e21), "1.0e+21\n", "1.0e+21"},
		{"negative zero", Float(math.Copysign(0, -1)), "-0.0\n", "-0.0"},
		{"string", String("relu"), "\"relu\"\n", `"relu"`},
		{"string escapes", String("\"\\\n\r\t\x00\x1f\x7f/<é\u2028"), `"\"\\\n\r\t\u0000\u001f` + "\x7f/<é\u2028\"\n", `"\"\\\n\r\t\u0000\u001f` + "\x7f/<é\u2028\""},
		{"empty list", &List{}, "[]\n", "[]"},
		{"empty dict", &Dict{}, "{}\n", "{}"},
		{"list", NewList(Int(1), String("x")), "[\n  1,\n  \"x\"\n]\n", `[1,"x"]`},
		{"dict", codecDict("b", Int(1), "a", codecDict("c", &List{})), "{\n  \"b\": 1,\n  \"a\": {\n    \"c\": []\n  }\n}\n", `{"b":1,"a":{"c":[]}}`},
		{"odd keys", codecDict("", Int(1), "a\"b", Int(2)), "{\n  \"\": 1,\n  \"a\\\"b\": 2\n}\n", `{"":1,"a\"b":2}`},
		{"object", codecObject(t, r, "test.SGD", "lr", Float(1), "momentum", Float(0)),
			"{\n  \"_type\": \"test.SGD\",\n  \"lr\": 1.0,\n  \"momentum\": 0.0\n}\n", `{"_type":"test.SGD","lr":1.0,"momentum":0.0}`},
		{"tagged", codecChoice(Int(1)), "{\n  \"_tag\": \"!choice\",\n  \"_value\": [\n    1\n  ]\n}\n", `{"_tag":"!choice","_value":[1]}`},
		{"tagged tagged", codecRawTagged{codecRawTagged{Null{}}},
			"{\n  \"_tag\": \"!raw\",\n  \"_value\": {\n    \"_tag\": \"!raw\",\n    \"_value\": null\n  }\n}\n",
			`{"_tag":"!raw","_value":{"_tag":"!raw","_value":null}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EncodeJSON(tt.in)
			if err != nil {
				t.Fatalf("EncodeJSON: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("EncodeJSON\n got: %q\nwant: %q", got, tt.want)
			}
			got, err = EncodeJSONCompact(tt.in)
			if err != nil {
				t.Fatalf("EncodeJSONCompact: %v", err)
			}
			if string(got) != tt.compact {
				t.Errorf("EncodeJSONCompact\n got: %q\nwant: %q", got, tt.compact)
			}
			v, err := r.DecodeJSON([]byte(tt.want), nil)
			if err != nil || !Equal(v, tt.in) {
				t.Errorf("DecodeJSON(EncodeJSON(v)) = %v, %v; want %v", v, err, tt.in)
			}
		})
	}
}

func TestEncodeJSONErrors(t *testing.T) {
	r := codecRegistry()
	tests := []struct {
		name string
		in   Value
		want error
		msg  string
	}{
		{"NaN", codecDict("loss", Float(math.NaN())), ErrRange,
			"symbolic: loss: JSON cannot express .nan; use YAML"},
		{"infinity", NewList(Int(1), Float(math.Inf(1))), ErrRange,
			"symbolic: [1]: JSON cannot express .inf; use YAML"},
		{"infinity in an object", codecDict("o", codecObject(t, r, "test.AdamW", "lr", Float(math.Inf(1)), "weight_decay", Float(0))), ErrRange,
			"symbolic: o.lr: JSON cannot express .inf; use YAML"},
		{"minus infinity", Float(math.Inf(-1)), ErrRange,
			"symbolic: JSON cannot express -.inf; use YAML"},
		{"NaN in a tagged value", codecChoice(Float(math.NaN())), ErrRange,
			"symbolic: [0]: JSON cannot express .nan; use YAML"},
		{"reserved _type key", codecDict("a", Int(1), "_type", String("test.SGD")), ErrKind,
			"symbolic: _type: dict key _type is reserved"},
		{"reserved _tag key", NewList(codecDict("_tag", String("!choice"), "_value", NewList(Int(1)))), ErrKind,
			"symbolic: [0]._tag: dict key _tag is reserved"},
		{"invalid UTF-8 string", codecDict("s", String("\xff")), ErrKind,
			"symbolic: s: string is not valid UTF-8"},
		{"invalid UTF-8 key", codecDict("\xff", Int(1)), ErrKind,
			`symbolic: ["\xff"]: key is not valid UTF-8`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, encode := range []func(Value) ([]byte, error){EncodeJSON, EncodeJSONCompact} {
				got, err := encode(tt.in)
				if got != nil {
					t.Errorf("got output %q with the error", got)
				}
				checkDecodeError(t, err, tt.want, tt.msg)
			}
		})
	}
}

// TestJSONStringsRoundTrip checks strings with every kind of character
// survive JSON.
func TestJSONStringsRoundTrip(t *testing.T) {
	r := codecRegistry()
	var all strings.Builder
	for c := rune(0); c < 0x250; c++ {
		all.WriteRune(c)
	}
	strs := []string{"", "\x00", "\x1f", "\x7f", "\"", "\\", "/", "\u2028\u2029", "\ufeff", "\U0010FFFF", "\uFFFD", "😀", all.String()}
	for _, s := range strs {
		checkRoundTrip(t, r, codecDict(s, NewList(String(s))))
	}
}

// TestDecodeErrorPositionWithoutFilename checks that the decoders set the
// line and column of an error when no file name is given.
func TestDecodeErrorPositionWithoutFilename(t *testing.T) {
	r := codecRegistry()
	for _, tt := range []struct {
		name       string
		decode     func([]byte, *DecodeOptions) (Value, error)
		in         string
		line, col  int
		wantSuffix string
	}{
		{"JSON", r.DecodeJSON, "[1,\n 2", 2, 3, "want ',' or ']'"},
		{"YAML", r.DecodeYAML, "a: 1\nb: [x, !nope y]\n", 2, 8, "b[1]: unknown tag !nope"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.decode([]byte(tt.in), nil)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if e.File != "" || e.Line != tt.line || e.Column != tt.col {
				t.Errorf("got file %q, line %d, column %d; want \"\", %d, %d", e.File, e.Line, e.Column, tt.line, tt.col)
			}
			if !strings.HasSuffix(err.Error(), tt.wantSuffix) {
				t.Errorf("error %q does not end with %q", err, tt.wantSuffix)
			}
		})
	}
}
