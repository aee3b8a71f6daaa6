package main

import (
	"slices"
	"strconv"
	"strings"
)

// parseIntList parses the comma list of whole numbers given to flag
// (such as --widths 64,128,256): at least one, each in [lo, hi], none
// twice. Errors are usage errors of one line naming the flag and the
// value at fault.
func parseIntList(verb, flag, s string, lo, hi int, example string) ([]int, error) {
	parts, err := splitList(verb, flag, s, example)
	if err != nil {
		return nil, err
	}
	out := make([]int, 0, len(parts))
	for _, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil {
			return nil, usageErrorf("%s: --%s: %q is not a whole number; want a comma list such as %s", verb, flag, p, example)
		}
		if v < lo || v > hi {
			return nil, usageErrorf("%s: --%s: %d is out of range; want whole numbers from %d to %d", verb, flag, v, lo, hi)
		}
		if slices.Contains(out, v) {
			return nil, usageErrorf("%s: --%s: %d is given twice", verb, flag, v)
		}
		out = append(out, v)
	}
	return out, nil
}

// parseFloatList is parseIntList for numbers (1e-3, 0.003), each in
// [lo, hi].
func parseFloatList(verb, flag, s string, lo, hi float64, example string) ([]float64, error) {
	parts, err := splitList(verb, flag, s, example)
	if err != nil {
		return nil, err
	}
	out := make([]float64, 0, len(parts))
	for _, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return nil, usageErrorf("%s: --%s: %q is not a number; want a comma list such as %s", verb, flag, p, example)
		}
		if !(v >= lo && v <= hi) {
			return nil, usageErrorf("%s: --%s: %s is out of range; want numbers from %g to %g", verb, flag, p, lo, hi)
		}
		if slices.Contains(out, v) {
			return nil, usageErrorf("%s: --%s: %s is given twice", verb, flag, p)
		}
		out = append(out, v)
	}
	return out, nil
}

// splitList splits a comma list, trimming spaces; an empty list or an
// empty item is a usage error.
func splitList(verb, flag, s, example string) ([]string, error) {
	parts := strings.Split(s, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
		if parts[i] == "" {
			if strings.TrimSpace(s) == "" {
				return nil, usageErrorf("%s: --%s: empty; want a comma list such as %s", verb, flag, example)
			}
			return nil, usageErrorf("%s: --%s: %q has an empty item; want a comma list such as %s", verb, flag, s, example)
		}
	}
	return parts, nil
}
