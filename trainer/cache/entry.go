package cache

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"go.yaml.in/yaml/v3"
)

// Entry describes one entry of the cache, as List finds it.
type Entry struct {
	// Key is the entry's key.
	Key string
	// Path is the entry's file.
	Path string
	// Size is the file's size in bytes.
	Size int64
	// Used is when the entry was last written or read (its file's
	// modification time).
	Used time.Time
	// Program names what was trained, for display: the _type of the
	// program YAML in the metadata and, when the program has a model with
	// a _type, that one in parentheses ("trainer.Classifier
	// (trainer.MLP)"); else the program's first line; "" without one.
	Program string
	// Metrics are the numbers of the metrics in the metadata; nil without.
	Metrics map[string]float64
	// Err, when not nil, tells why the file's header could not be read:
	// Get would find the entry corrupt. List reads only the header, so an
	// entry without Err may still be corrupt in its data.
	Err error
}

// scan lists the entry files of the cache with their sizes and times,
// reading no file. Files that are not entries (temporary files, lock files,
// anything else) are left out.
func (c *Cache) scan() ([]Entry, error) {
	shards, err := os.ReadDir(c.Dir)
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	var out []Entry
	for _, s := range shards {
		if !s.IsDir() || len(s.Name()) != 2 || !isHex(s.Name()) {
			continue
		}
		dir := filepath.Join(c.Dir, s.Name())
		files, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed meanwhile
		} else if err != nil {
			return nil, fmt.Errorf("cache: %w", err)
		}
		for _, f := range files {
			key, ok := strings.CutSuffix(f.Name(), entrySuffix)
			if !ok || checkKey(key) != nil || key[:2] != s.Name() || !f.Type().IsRegular() {
				continue
			}
			info, err := f.Info()
			if errors.Is(err, fs.ErrNotExist) {
				continue
			} else if err != nil {
				return nil, fmt.Errorf("cache: %w", err)
			}
			out = append(out, Entry{Key: key, Path: filepath.Join(dir, f.Name()), Size: info.Size(), Used: info.ModTime()})
		}
	}
	return out, nil
}

// List returns the entries of the cache, most recently used first (the
// reverse of the order in which eviction removes them), with
// the program and metrics of their headers (see Entry). It reads only
// each file's header, not its data.
func (c *Cache) List() ([]Entry, error) {
	entries, err := c.scan()
	if err != nil {
		return nil, err
	}
	for i := range entries {
		entries[i].readHeader()
	}
	// The reverse of the eviction order, ties included: the last entry is
	// the next to go.
	slices.SortFunc(entries, func(a, b Entry) int {
		if d := b.Used.Compare(a.Used); d != 0 {
			return d
		}
		return strings.Compare(b.Key, a.Key)
	})
	return entries, nil
}

// readHeader fills e's Program and Metrics from its file's header, or
// sets e.Err.
func (e *Entry) readHeader() {
	meta, err := readMetadata(e.Path)
	if err != nil {
		e.Err = err
		return
	}
	e.Program = programName(meta[checkpoint.KeyProgram])
	if m := meta[checkpoint.KeyMetrics]; m != "" {
		var raw map[string]any
		if err := json.Unmarshal([]byte(m), &raw); err == nil {
			for k, v := range raw {
				if f, ok := v.(float64); ok {
					if e.Metrics == nil {
						e.Metrics = map[string]float64{}
					}
					e.Metrics[k] = f
				}
			}
		}
	}
}

// readMetadata reads the metadata object of the safetensors header of the
// file path (the layout is in package checkpoint's documentation): the
// 8-byte little-endian header size, then the JSON header.
func readMetadata(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	defer f.Close()
	var size [8]byte
	if _, err := io.ReadFull(f, size[:]); err != nil {
		return nil, fmt.Errorf("cache: %s: reading the header size: %w", path, eof(err))
	}
	n := binary.LittleEndian.Uint64(size[:])
	if n > checkpoint.MaxHeaderSize {
		return nil, fmt.Errorf("cache: %s: header size %d exceeds %d", path, n, checkpoint.MaxHeaderSize)
	}
	var header bytes.Buffer
	if _, err := io.CopyN(&header, f, int64(n)); err != nil {
		return nil, fmt.Errorf("cache: %s: header of %d bytes truncated: %w", path, n, eof(err))
	}
	var top struct {
		Metadata map[string]string `json:"__metadata__"`
	}
	if err := json.Unmarshal(header.Bytes(), &top); err != nil {
		return nil, fmt.Errorf("cache: %s: header: %w", path, err)
	}
	return top.Metadata, nil
}

// eof turns io.EOF, which means truncation here, into io.ErrUnexpectedEOF.
func eof(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// programName is Entry.Program for the program YAML text.
func programName(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err == nil && len(doc.Content) == 1 {
		if typ := typeOf(doc.Content[0]); typ != "" {
			if model := typeOf(field(doc.Content[0], "model")); model != "" {
				return typ + " (" + model + ")"
			}
			return typ
		}
	}
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	return strings.TrimSpace(line)
}

// field returns the value of key in the mapping node m, or nil.
func field(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// typeOf returns the _type of the mapping node m, or "".
func typeOf(m *yaml.Node) string {
	if t := field(m, "_type"); t != nil && t.Kind == yaml.ScalarNode {
		return t.Value
	}
	return ""
}
