package cache

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c")
	t.Setenv(EnvDir, dir)
	t.Setenv(EnvSize, "")
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if c.Dir != dir || c.MaxBytes != 4<<30 {
		t.Errorf("Default = {%s, %d}, want {%s, 4 GiB}", c.Dir, c.MaxBytes, dir)
	}
	if got, err := DefaultDir(); got != dir || err != nil {
		t.Errorf("DefaultDir = %q, %v; want %q", got, err, dir)
	}
	for _, tt := range []struct {
		size string
		want int64
	}{{"500MB", 500e6}, {"2GiB", 2 << 30}, {"123", 123}, {"0", 0}, {" 1.5 kib ", 1536}} {
		t.Setenv(EnvSize, tt.size)
		c, err := Default()
		if err != nil || c.MaxBytes != tt.want {
			t.Errorf("%s=%q: Default = %v, %v; want MaxBytes %d", EnvSize, tt.size, c, err, tt.want)
		}
	}
	for _, bad := range []string{"2XB", "-5", "GiB", "1.2.3MB", "99999999999999999999"} {
		t.Setenv(EnvSize, bad)
		c, err := Default()
		if err == nil {
			t.Errorf("%s=%q: Default = %v, want an error", EnvSize, bad, c)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "cache: "+EnvSize+" ") || !strings.Contains(msg, bad) || strings.Contains(msg, "\n") {
			t.Errorf("%s=%q: error %q is not one line naming the variable and the value", EnvSize, bad, msg)
		}
	}
	t.Setenv(EnvSize, "")
	t.Setenv(EnvDir, "off")
	if c, err := Default(); c != nil || err != nil {
		t.Errorf("%s=off: Default = %v, %v; want nil, nil", EnvDir, c, err)
	}
	if _, err := DefaultDir(); !errors.Is(err, ErrOff) {
		t.Errorf("%s=off: DefaultDir error %v, want ErrOff", EnvDir, err)
	}
	t.Setenv(EnvDir, "")
	home := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "xdg"))
	t.Setenv("HOME", home)
	got, err := DefaultDir()
	if err != nil || !strings.HasSuffix(got, filepath.Join("goglove", "models")) {
		t.Errorf("DefaultDir without %s = %q, %v; want the user cache directory's goglove/models", EnvDir, got, err)
	}
}

func TestParseSize(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
	}{
		{"0", 0}, {"1048576", 1 << 20}, {"10B", 10}, {"1kB", 1000}, {"1KB", 1000}, {"1k", 1000},
		{"1.5MB", 1_500_000}, {"2 GB", 2e9}, {"1TB", 1e12}, {"1KiB", 1024}, {"3MiB", 3 << 20},
		{"2GiB", 2 << 30}, {"1tib", 1 << 40}, {"1.0000001kB", 1000},
	} {
		got, err := ParseSize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "MB", "-1", "-1MB", "1 XB", "1e3", "1,5MB", "9223372036854775808", "10000000TB", "0.5B", "1.9"} {
		if got, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", bad, got)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for _, tt := range []struct {
		in   int64
		want string
	}{
		{0, "0 B"}, {999, "999 B"}, {1000, "1.0 kB"}, {1234, "1.2 kB"}, {9949, "9.9 kB"}, {9950, "10 kB"},
		{1_234_567, "1.2 MB"}, {43_210_000, "43 MB"}, {999_499, "999 kB"}, {999_500, "1.0 MB"},
		{4 << 30, "4.3 GB"}, {-2500, "-2.5 kB"},
	} {
		if got := FormatSize(tt.in); got != tt.want {
			t.Errorf("FormatSize(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
