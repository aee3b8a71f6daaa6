package symbolic

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// DecodeYAML decodes one YAML document into a symbolic tree. Mappings with
// a _type key become objects of registered types; registered local tags
// (such as !oneof) are decoded by their TagFunc. The whole input is
// validated before any OnBound hook runs; any problem is an *Error naming
// the file (opts.Filename), line, key path and what was expected.
//
// Anchors and aliases are expanded (bounded by opts.MaxNodes), merge keys
// (<<) are supported, and duplicate keys, invalid UTF-8 and several
// documents in one input are errors. An empty document decodes to Null.
func (r *Registry) DecodeYAML(data []byte, opts *DecodeOptions) (Value, error) {
	d := newDecoder(r, opts)
	v, err := d.decodeYAML(data)
	if err != nil {
		return nil, d.finish(err)
	}
	if err := runHooks(KeyPath{}, v); err != nil {
		return nil, d.finish(d.locate(v, err))
	}
	return v, nil
}

// HasYAMLComments reports whether a YAML document has comments, which the
// canonical form does not keep. It returns false for invalid YAML.
func HasYAMLComments(data []byte) bool {
	var doc yaml.Node
	if parseYAMLNode(data, &doc) != nil {
		return false
	}
	if doc.Kind == 0 {
		// An empty document: yaml.v3 drops its comments, but any '#' in it
		// starts one.
		return bytes.IndexByte(data, '#') >= 0
	}
	var has func(n *yaml.Node) bool
	has = func(n *yaml.Node) bool {
		if n.HeadComment != "" || n.LineComment != "" || n.FootComment != "" {
			return true
		}
		for _, c := range n.Content {
			if has(c) {
				return true
			}
		}
		return false
	}
	return has(&doc)
}

// decodeYAMLText decodes the text of a struct-tag default: no objects, no tags.
func decodeYAMLText(text string) (Value, error) {
	d := newDecoder(nil, nil)
	return d.decodeYAML([]byte(text))
}

func (d *decoder) decodeYAML(data []byte) (Value, error) {
	if err := d.checkInput(data); err != nil {
		return nil, err
	}
	if v, ok := d.decodeYAMLFast(data); ok {
		return v, nil
	}
	d.nodes = 0
	return d.decodeYAMLSlow(data)
}

// decodeYAMLSlow decodes with the full yaml.v3 parser.
func (d *decoder) decodeYAMLSlow(data []byte) (Value, error) {
	var doc yaml.Node
	if err := parseYAMLNode(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 {
		return Null{}, nil
	}
	y := yamlDecoder{decoder: d, expanding: make(map[*yaml.Node]bool)}
	return y.node(KeyPath{}, &doc, 0)
}

var (
	yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	// yamlIntRE is the syntax of the integers strconv.ParseInt reads in
	// base 0, which the yaml package uses.
	yamlIntRE = regexp.MustCompile(`^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$`)
	// yamlFloatRE is the plain-scalar float syntax of the yaml package.
	yamlFloatRE = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
)

// parseYAMLNode parses exactly one document into doc, turning the yaml
// package's errors (and, defensively, its panics) into *Error values.
func parseYAMLNode(data []byte, doc *yaml.Node) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &Error{Msg: fmt.Sprintf("invalid YAML: %v", p), Err: ErrSyntax}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(doc); err != nil {
		if errors.Is(err, io.EOF) {
			*doc = yaml.Node{}
			return nil
		}
		return yamlSyntaxError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return yamlSyntaxError(err)
		}
		return &Error{Line: extra.Line, Column: extra.Column, Msg: "more than one YAML document", Err: ErrSyntax}
	}
	return nil
}

func yamlSyntaxError(err error) error {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{Line: line, Msg: "invalid YAML: " + m[2], Err: ErrSyntax}
	}
	return &Error{Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: "), Err: ErrSyntax}
}

type yamlDecoder struct {
	*decoder
	expanding map[*yaml.Node]bool // aliases being expanded, to refuse cycles
	sizes     map[*yaml.Node]int  // memo of size; -1 while being computed
	outer     *yaml.Node          // the outermost alias being expanded, where limit errors point
}

// limitAt returns the node a limit error at n points to: the outermost
// alias being expanded, if any, else n.
func (y *yamlDecoder) limitAt(n *yaml.Node) *yaml.Node {
	if y.outer != nil {
		return y.outer
	}
	return n
}

// expand marks the alias n as being expanded and returns the function
// that unmarks it.
func (y *yamlDecoder) expand(n *yaml.Node) func() {
	y.expanding[n.Alias] = true
	outer := y.outer
	if outer == nil {
		y.outer = n
	}
	return func() {
		delete(y.expanding, n.Alias)
		y.outer = outer
	}
}

func (y *yamlDecoder) errAt(n *yaml.Node, sentinel error, path KeyPath, msg string) *Error {
	return &Error{Line: n.Line, Column: n.Column, Path: path, Msg: msg, Err: sentinel}
}

func (y *yamlDecoder) node(path KeyPath, n *yaml.Node, depth int) (Value, error) {
	if err := y.count(path, depth); err != nil {
		at := y.limitAt(n)
		err.Line, err.Column = at.Line, at.Column
		return nil, err
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return Null{}, nil
		}
		// Refuse a document that expands, through its aliases, to more
		// than MaxNodes values before building any: an alias bomb fails
		// at once, not after a million values.
		if y.nodes+y.size(n.Content[0], depth) > y.maxNodes {
			nodes := y.nodes
			if err := y.overflow(path, n.Content[0], depth); err != nil {
				return nil, err
			}
			y.nodes = nodes
		}
		return y.node(path, n.Content[0], depth)
	case yaml.AliasNode:
		if n.Alias == nil || y.expanding[n.Alias] {
			return nil, y.errAt(n, ErrSyntax, path, "alias *"+n.Value+" refers to itself")
		}
		defer y.expand(n)()
		return y.node(path, n.Alias, depth)
	}
	tag := n.ShortTag()
	if strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") {
		// A local tag: decode the content as if untagged, then hand it to
		// the tag's function.
		plain := *n
		plain.Tag = ""
		plain.Style &^= yaml.TaggedStyle
		content, err := y.node(path, &plain, depth)
		if err != nil {
			return nil, err
		}
		return y.tagged(path, tag, content, n.Line, n.Column)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return y.scalar(path, n, tag)
	case yaml.SequenceNode:
		if tag != "!!seq" {
			return nil, y.errAt(n, ErrKind, path, "unsupported tag "+quoteTag(tag)+" on a sequence")
		}
		l := &List{items: make([]Value, len(n.Content))}
		for i, c := range n.Content {
			v, err := y.node(path.Index(i), c, depth+1)
			if err != nil {
				return nil, err
			}
			l.items[i] = v
		}
		return l, nil
	case yaml.MappingNode:
		if tag != "!!map" {
			return nil, y.errAt(n, ErrKind, path, "unsupported tag "+quoteTag(tag)+" on a mapping")
		}
		return y.mappingNode(path, n, depth)
	}
	return nil, y.errAt(n, ErrSyntax, path, "unsupported YAML node")
}

// mappingNode decodes a mapping, applying merge keys: explicit keys win
// over merged ones, and earlier merged mappings over later ones.
func (y *yamlDecoder) mappingNode(path KeyPath, n *yaml.Node, depth int) (Value, error) {
	m := NewDict(len(n.Content) / 2)
	keyNodes := make(map[string]*yaml.Node, len(n.Content)/2)
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		if kn.Kind == yaml.ScalarNode && kn.ShortTag() == "!!merge" {
			merges = append(merges, vn)
			continue
		}
		key, err := y.key(path, kn)
		if err != nil {
			return nil, err
		}
		if prev, dup := keyNodes[key]; dup {
			return nil, y.errAt(kn, ErrDuplicateKey, path.Key(key),
				"duplicate key (first at line "+strconv.Itoa(prev.Line)+")")
		}
		keyNodes[key] = kn
		v, err := y.node(path.Key(key), vn, depth+1)
		if err != nil {
			return nil, err
		}
		m.Set(key, v)
	}
	for _, mn := range merges {
		if err := y.merge(path, m, mn, depth); err != nil {
			return nil, err
		}
	}
	pos := func(key string) (int, int) {
		if kn, ok := keyNodes[key]; ok {
			return kn.Line, kn.Column
		}
		return n.Line, n.Column
	}
	return y.mapping(path, m, pos)
}

// merge adds to m the entries of the mapping (or list of mappings) mn that
// m lacks.
func (y *yamlDecoder) merge(path KeyPath, m *Dict, mn *yaml.Node, depth int) error {
	src := mn
	for src.Kind == yaml.AliasNode && src.Alias != nil {
		src = src.Alias
	}
	switch src.Kind {
	case yaml.SequenceNode:
		for _, c := range src.Content {
			// Only mappings: a list inside the list could refer to itself.
			if aliasTarget(c).Kind != yaml.MappingNode {
				return y.errAt(c, ErrKind, path, "merge key (<<) wants a mapping or a list of mappings")
			}
			if err := y.merge(path, m, c, depth); err != nil {
				return err
			}
		}
		return nil
	case yaml.MappingNode:
		v, err := y.node(path, mn, depth)
		if err != nil {
			return err
		}
		md, ok := v.(*Dict)
		if !ok {
			return y.errAt(mn, ErrKind, path, "merge key (<<) wants a plain mapping, got "+describe(v))
		}
		for i, k := range md.keys {
			if !m.Has(k) {
				m.Set(k, md.vals[i])
			}
		}
		return nil
	}
	return y.errAt(mn, ErrKind, path, "merge key (<<) wants a mapping or a list of mappings")
}

// aliasTarget returns the node an alias refers to, or n itself.
func aliasTarget(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// isLocalTag reports whether tag is a local tag such as !choice.
func isLocalTag(tag string) bool {
	return strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!")
}

// size returns the number of values node counts when it decodes n at the
// given depth, or a lower bound of it, without building anything. Sizes
// of anchored nodes are memoized, so sizing a whole input costs time
// proportional to its text however many times aliases repeat it. A cycle
// counts as nothing (node refuses it when it gets there), and sizing
// stops below MaxDepth (node refuses that too) and at MaxNodes+1.
func (y *yamlDecoder) size(n *yaml.Node, depth int) int {
	if n.Anchor != "" {
		if s, ok := y.sizes[n]; ok {
			return max(s, 0)
		}
	}
	if depth > y.maxDepth {
		return 1
	}
	if n.Anchor != "" {
		if y.sizes == nil {
			y.sizes = make(map[*yaml.Node]int)
		}
		y.sizes[n] = -1
	}
	limit := y.maxNodes + 1
	s := 1
	add := func(k int) { s = min(s+k, limit) }
	if n.Kind != yaml.AliasNode && isLocalTag(n.ShortTag()) {
		add(1) // node decodes the untagged content as another value
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			add(y.size(c, depth))
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			add(y.size(c, depth+1))
		}
	case yaml.AliasNode:
		if n.Alias != nil {
			add(y.size(n.Alias, depth))
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			kn, vn := n.Content[i], n.Content[i+1]
			if kn.Kind != yaml.ScalarNode || kn.ShortTag() != "!!merge" {
				add(y.size(vn, depth+1))
				continue
			}
			// merge decodes a merged mapping, or each mapping of a merged
			// list, at the depth of the mapping.
			if src := aliasTarget(vn); src.Kind == yaml.SequenceNode {
				for _, c := range src.Content {
					add(y.size(c, depth))
				}
			} else {
				add(y.size(vn, depth))
			}
		}
	}
	if n.Anchor != "" {
		y.sizes[n] = s
	}
	return s
}

// overflow walks n in the order node decodes it, counting values without
// building them and skipping the parts whose size fits, and returns the
// error for the value that takes the count over MaxNodes. It returns nil
// when it finds none (size only gives a lower bound), and leaves cycles
// and excessive depth to node.
func (y *yamlDecoder) overflow(path KeyPath, n *yaml.Node, depth int) *Error {
	if depth > y.maxDepth {
		return nil
	}
	y.nodes++
	if n.Kind != yaml.AliasNode && isLocalTag(n.ShortTag()) {
		y.nodes++
	}
	if y.nodes > y.maxNodes {
		return y.errAt(y.limitAt(n), ErrLimit, path, y.tooManyMsg())
	}
	visit := func(path KeyPath, c *yaml.Node, depth int) *Error {
		if s := y.size(c, depth); y.nodes+s <= y.maxNodes {
			y.nodes += s
			return nil
		}
		return y.overflow(path, c, depth)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return visit(path, n.Content[0], depth)
		}
	case yaml.AliasNode:
		if n.Alias == nil || y.expanding[n.Alias] {
			return nil
		}
		defer y.expand(n)()
		return visit(path, n.Alias, depth)
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if err := visit(path.Index(i), c, depth+1); err != nil {
				return err
			}
		}
	case yaml.MappingNode:
		var merges []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			kn, vn := n.Content[i], n.Content[i+1]
			if kn.Kind == yaml.ScalarNode && kn.ShortTag() == "!!merge" {
				merges = append(merges, vn)
				continue
			}
			if err := visit(path.Key(aliasTarget(kn).Value), vn, depth+1); err != nil {
				return err
			}
		}
		for _, vn := range merges {
			items := []*yaml.Node{vn}
			if src := aliasTarget(vn); src.Kind == yaml.SequenceNode {
				items = src.Content
			}
			for _, c := range items {
				if err := visit(path, c, depth); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// key returns the text of a mapping key, which must be an untagged scalar.
func (y *yamlDecoder) key(path KeyPath, kn *yaml.Node) (string, error) {
	kn = aliasTarget(kn)
	if kn.Kind != yaml.ScalarNode {
		return "", y.errAt(kn, ErrKind, path, "mapping keys must be scalars")
	}
	if t := kn.ShortTag(); t == "!!null" || t == "!!binary" {
		return "", y.errAt(kn, ErrKind, path, "mapping key "+strconv.Quote(kn.Value)+" is "+t+"; keys must be strings, numbers or booleans")
	} else if isLocalTag(t) {
		return "", y.errAt(kn, ErrKind, path, "mapping key "+strconv.Quote(kn.Value)+" has tag "+quoteTag(t)+"; keys cannot be tagged values")
	}
	return kn.Value, nil
}

func (y *yamlDecoder) scalar(path KeyPath, n *yaml.Node, tag string) (Value, error) {
	s := n.Value
	if n.Style == 0 && (tag == "!!str" || tag == "!!float" && !isPlainFloat(s)) && s != "" {
		// The yaml package resolves a plain integer too large for 64 bits
		// to a float (or, in hex, to a string), and a float out of range
		// to a string: refuse them, as JSON does, rather than change them.
		// These checks follow the yaml package's resolver, which looks for
		// numbers only in scalars starting with a sign, a digit or a point.
		switch c := s[0]; {
		case c == '+' || c == '-' || c >= '0' && c <= '9':
			plain := strings.ReplaceAll(s, "_", "")
			// ParseInt reports an overflow before it sees later junk.
			if _, err := strconv.ParseInt(plain, 0, 64); errors.Is(err, strconv.ErrRange) && yamlIntRE.MatchString(plain) {
				return nil, y.errAt(n, ErrRange, path, "integer "+clip(s)+" does not fit in 64 bits")
			}
			if tag == "!!str" && yamlFloatRE.MatchString(plain) {
				if _, err := strconv.ParseFloat(plain, 64); errors.Is(err, strconv.ErrRange) {
					return nil, y.errAt(n, ErrRange, path, "float "+clip(s)+" is out of range")
				}
			}
		case c == '.' && tag == "!!str":
			if _, err := strconv.ParseFloat(s, 64); errors.Is(err, strconv.ErrRange) {
				return nil, y.errAt(n, ErrRange, path, "float "+clip(s)+" is out of range")
			}
		}
	}
	switch tag {
	case "!!null":
		return Null{}, nil
	case "!!bool":
		switch strings.ToLower(s) {
		case "true":
			return Bool(true), nil
		case "false":
			return Bool(false), nil
		}
		return nil, y.errAt(n, ErrKind, path, "want a boolean (true or false), got "+strconv.Quote(s))
	case "!!int":
		i, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 0, 64)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return nil, y.errAt(n, ErrRange, path, "integer "+clip(s)+" does not fit in 64 bits")
			}
			return nil, y.errAt(n, ErrKind, path, "want an integer, got "+strconv.Quote(s))
		}
		return Int(i), nil
	case "!!float":
		switch strings.ToLower(s) {
		case ".inf", "+.inf":
			return Float(math.Inf(1)), nil
		case "-.inf":
			return Float(math.Inf(-1)), nil
		case ".nan":
			return Float(math.NaN()), nil
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return nil, y.errAt(n, ErrRange, path, "float "+clip(s)+" is out of range")
			}
			return nil, y.errAt(n, ErrKind, path, "want a float, got "+strconv.Quote(s))
		}
		return Float(f), nil
	case "!!str", "!!timestamp":
		return String(s), nil
	case "!!merge":
		// "<<" is a merge key only as a key; as a value it is a string.
		return String(s), nil
	}
	return nil, y.errAt(n, ErrKind, path, "unsupported tag "+quoteTag(tag))
}
