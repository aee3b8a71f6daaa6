package symbolic

import (
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

var plainTagSeeds = []string{"", "a", "relu", "true", "True", "TRUE", "tRue", "false", "null", "Null", "~", "yes", "no", "on",
	"0", "1", "-1", "+1", "01", "007", "0x1F", "0o17", "0b101", "1_000", "123456789012345678", "1234567890123456789",
	"99999999999999999999", "1.5", "-1.5", "+.5", ".5", "5.", "1e5", "1E-5", "1.5e+10", "1e", "e5", ".", "-", "+", "-.",
	".inf", "-.Inf", "+.INF", ".nan", ".NaN", "<<", "2001-12-14", "2001-12-14T21:59:43.10-05:00", "12:30", "1-2",
	"1__0.5", "1_.5", "._5", "0.", "-0", "-0.0", "1.2.3", "1e5e5", "0x", "+0x1", "inf", "nan", "NaN", ".e5", "1 2"}

func TestPlainTagMatchesYAML(t *testing.T) {
	for _, s := range plainTagSeeds {
		checkPlainTag(t, s)
	}
}

func checkPlainTag(t *testing.T, s string) {
	t.Helper()
	n := yaml.Node{Kind: yaml.ScalarNode, Value: s}
	if got, want := plainTag(s), n.ShortTag(); got != want {
		t.Fatalf("plainTag(%q) = %s, the yaml package says %s", s, got, want)
	}
}

func FuzzPlainTag(f *testing.F) {
	for _, s := range plainTagSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkPlainTag(t, s) })
}

func BenchmarkPlainTag(b *testing.B) {
	for b.Loop() {
		for _, s := range []string{"relu", "0.001", "256", "true"} {
			_ = plainTag(s)
		}
	}
}
