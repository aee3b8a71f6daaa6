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
		return nil, d.finish(err)
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

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

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
}

func (y *yamlDecoder) errAt(n *yaml.Node, sentinel error, path KeyPath, msg string) *Error {
	return &Error{Line: n.Line, Column: n.Column, Path: path, Msg: msg, Err: sentinel}
}

func (y *yamlDecoder) node(path KeyPath, n *yaml.Node, depth int) (Value, error) {
	if err := y.count(path, depth); err != nil {
		err.Line, err.Column = n.Line, n.Column
		return nil, err
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return Null{}, nil
		}
		return y.node(path, n.Content[0], depth)
	case yaml.AliasNode:
		if n.Alias == nil || y.expanding[n.Alias] {
			return nil, y.errAt(n, ErrSyntax, path, "alias *"+n.Value+" refers to itself")
		}
		y.expanding[n.Alias] = true
		defer delete(y.expanding, n.Alias)
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
			return nil, y.errAt(n, ErrKind, path, "unsupported tag "+tag+" on a sequence")
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
			return nil, y.errAt(n, ErrKind, path, "unsupported tag "+tag+" on a mapping")
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

// key returns the text of a mapping key, which must be a scalar.
func (y *yamlDecoder) key(path KeyPath, kn *yaml.Node) (string, error) {
	for kn.Kind == yaml.AliasNode && kn.Alias != nil {
		kn = kn.Alias
	}
	if kn.Kind != yaml.ScalarNode {
		return "", y.errAt(kn, ErrKind, path, "mapping keys must be scalars")
	}
	if t := kn.ShortTag(); t == "!!null" || t == "!!binary" {
		return "", y.errAt(kn, ErrKind, path, "mapping key "+strconv.Quote(kn.Value)+" is "+t+"; keys must be strings, numbers or booleans")
	}
	return kn.Value, nil
}

func (y *yamlDecoder) scalar(path KeyPath, n *yaml.Node, tag string) (Value, error) {
	s := n.Value
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
				return nil, y.errAt(n, ErrRange, path, "integer "+s+" does not fit in 64 bits")
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
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return nil, y.errAt(n, ErrRange, path, "float "+s+" is out of range")
			}
			return nil, y.errAt(n, ErrKind, path, "want a float, got "+strconv.Quote(s))
		}
		return Float(f), nil
	case "!!str", "!!timestamp":
		return String(s), nil
	}
	return nil, y.errAt(n, ErrKind, path, "unsupported tag "+tag)
}
