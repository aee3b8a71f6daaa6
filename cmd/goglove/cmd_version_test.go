package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestVersionOf(t *testing.T) {
	const rev = "0123456789abcdef0123456789abcdef01234567"
	vcs := func(revision, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: revision}, {Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name         string
		bi           *debug.BuildInfo
		wantVersion  string
		wantRevision string
	}{
		{"no build info", nil, "devel", ""},
		{"no version, no vcs", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel", ""},
		{"empty version", &debug.BuildInfo{}, "devel", ""},
		{"module version wins", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: vcs(rev, "false")}, "v1.2.3", rev},
		{"clean revision", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")}, "0123456789ab", rev},
		{"dirty revision", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true")}, "0123456789ab-dirty", rev},
		{"short revision", &debug.BuildInfo{Settings: vcs("abc", "false")}, "abc", "abc"},
		// Go 1.24 and later stamp a pseudo-version when building in a checkout.
		{"pseudo-version", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20260105093000-0123456789ab+dirty"}, Settings: vcs(rev, "true")},
			"v0.0.0-20260105093000-0123456789ab+dirty", rev},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := versionOf(tt.bi)
			want := buildVersion{Version: tt.wantVersion, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH, Revision: tt.wantRevision}
			if got != want {
				t.Errorf("versionOf = %+v, want %+v", got, want)
			}
		})
	}
}

func TestPrintVersion(t *testing.T) {
	v := buildVersion{Version: "v1.2.3", Go: "go1.26.1", OS: "linux", Arch: "amd64", Revision: "0123456789ab"}
	tests := []struct {
		name string
		opts versionOptions
		want string
	}{
		{"text", versionOptions{}, "goglove v1.2.3 (go1.26.1 linux/amd64)\n"},
		{"json", versionOptions{JSON: true}, `{
  "version": "v1.2.3",
  "go": "go1.26.1",
  "os": "linux",
  "arch": "amd64",
  "revision": "0123456789ab"
}
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := printVersion(&b, v, tt.opts); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("printed %q, want %q", b.String(), tt.want)
			}
		})
	}
}

func TestRunVersion(t *testing.T) {
	platform := regexp.QuoteMeta(runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH)
	t.Run("text", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		if err := runVersion(t.Context(), versionOptions{}, nil, &stdout, &stderr); err != nil {
			t.Fatal(err)
		}
		if re := regexp.MustCompile(`^goglove \S+ \(` + platform + `\)\n$`); !re.MatchString(stdout.String()) {
			t.Errorf("printed %q, want a match for %s", stdout.String(), re)
		}
	})
	t.Run("json", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		if err := runVersion(t.Context(), versionOptions{JSON: true}, nil, &stdout, &stderr); err != nil {
			t.Fatal(err)
		}
		var got map[string]string
		if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
			t.Fatalf("output is not a JSON object of strings: %v\n%s", err, stdout.String())
		}
		for _, key := range []string{"version", "go", "os", "arch", "revision"} {
			if _, ok := got[key]; !ok {
				t.Errorf("JSON output has no %q: %s", key, stdout.String())
			}
		}
		if got["go"] != runtime.Version() || got["os"] != runtime.GOOS || got["arch"] != runtime.GOARCH || got["version"] == "" {
			t.Errorf("JSON output %v does not describe this binary", got)
		}
	})
	t.Run("arguments", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		err := runVersion(t.Context(), versionOptions{}, []string{"extra"}, &stdout, &stderr)
		if exitCode(err) != 2 || stdout.Len() != 0 {
			t.Errorf("runVersion with an argument: err %v (exit %d), stdout %q; want a usage error and no output", err, exitCode(err), stdout.String())
		}
	})
}
