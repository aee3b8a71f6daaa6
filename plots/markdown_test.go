package plots

import "testing"

// TestMarkdownEscapes checks that text from a store cannot make markup
// in a report: table cells, HTML, links, code spans.
func TestMarkdownEscapes(t *testing.T) {
	for _, tt := range []struct{ in, text, code string }{
		{"val_accuracy", "val_accuracy", "`val_accuracy`"},
		{"_type", `\_type`, "`_type`"},
		{"a|b", `a\|b`, "`a|b`"},
		{"<script>x</script>", `\<script\>x\</script\>`, "`<script>x</script>`"},
		{"[link](http://x)", `\[link\](http://x)`, "`[link](http://x)`"},
		{"a`b", "a\\`b", "``a`b``"},
		{"`x`", "\\`x\\`", "`` `x` ``"},
		{"line\nbreak\x1b", `line break\x1b`, "`line break `"},
		{"*bold* & ~s~", `\*bold\* \& \~s\~`, "`*bold* & ~s~`"},
	} {
		if got := mdText(tt.in); got != tt.text {
			t.Errorf("mdText(%q) = %q, want %q", tt.in, got, tt.text)
		}
		if got := mdCode(tt.in); got != tt.code {
			t.Errorf("mdCode(%q) = %q, want %q", tt.in, got, tt.code)
		}
	}
}
