package cache

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// sizeUnits are the units ParseSize accepts, lower-cased, with their
// sizes in bytes: decimal (kB = 1000) and binary (KiB = 1024).
var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
}

// errSize is the message of every ParseSize error.
var errSize = errors.New("want a number of bytes, or a number and a unit such as 500MB or 2GiB (units B, kB, MB, GB, TB, KiB, MiB, GiB, TiB)")

// ParseSize parses a size in bytes: a whole number of bytes ("1048576",
// "10B"), or a number, possibly with a fraction, and a unit, with or
// without a space ("500MB", "1.5 GiB"). Units are case-insensitive; k, kB,
// MB, GB, TB are powers of 1000 and KiB, MiB, GiB, TiB powers of 1024. A
// fraction of a byte a unit leaves is dropped. Negative sizes are errors.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(t)
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	scale, ok := sizeUnits[unit]
	if !ok || num == "" {
		return 0, errSize
	}
	if unit == "" || unit == "b" {
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			if errors.Is(err, strconv.ErrRange) {
				return 0, fmt.Errorf("size %s is too large", num)
			}
			return 0, errSize
		}
		return n, nil
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, errSize
	}
	b := math.Floor(v * scale)
	if b >= math.MaxInt64 {
		return 0, fmt.Errorf("size %s is too large", strings.TrimSpace(s))
	}
	return int64(b), nil
}

// FormatSize formats n bytes for people, with decimal units, one decimal
// below 10 of a unit and none above: "512 B", "1.2 MB", "43 MB", "4.3 GB".
func FormatSize(n int64) string {
	const units = "kMGTPE"
	if n < 1000 && n > -1000 {
		return strconv.FormatInt(n, 10) + " B"
	}
	v := float64(n)
	u := -1
	for math.Abs(v) >= 999.5 && u < len(units)-1 {
		v /= 1000
		u++
	}
	digits := 1
	if math.Abs(v) >= 9.95 {
		digits = 0
	}
	return strconv.FormatFloat(v, 'f', digits, 64) + " " + units[u:u+1] + "B"
}
