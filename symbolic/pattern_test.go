package symbolic

import "testing"

func TestPatternMatch(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"a.b", "a.b", true},
		{"a.b", "a.c", false},
		{"a.*", "a.b", true},
		{"a.*", "a[0]", false},
		{"a[*]", "a[3]", true},
		{"a[*]", "a.b", false},
		{"a[*].units", "a[3].units", true},
		{"**.lr", "lr", true},
		{"**.lr", "optimizer.lr", true},
		{"**.lr", "a[0].b.lr", true},
		{"**.lr", "a.lr.b", false},
		{"a.**", "a", true},
		{"a.**", "a.b[1]", true},
		{"a.**", "b", false},
		{"**", "", true},
		{"*", "", false},
		{`a["x.y"].*`, `a["x.y"].z`, true},
		{"model.**.units", "model.layers[2].units", true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+"~"+tt.path, func(t *testing.T) {
			p, err := ParsePattern(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Match(MustParsePath(tt.path)); got != tt.want {
				t.Errorf("%q.Match(%q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
			}
		})
	}
}

func TestParsePatternErrors(t *testing.T) {
	for _, in := range []string{"a.", "a[", "[*", "a..b", "a[*"} {
		if _, err := ParsePattern(in); err == nil {
			t.Errorf("ParsePattern(%q) succeeded", in)
		}
	}
}
