package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// versionOptions are the flags of "goglove version". The zero value prints
// one line of text.
type versionOptions struct {
	// JSON prints the build information as a JSON object instead.
	JSON bool
}

func newVersionCmd() *cobra.Command {
	var opts versionOptions
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version of goglove and of the Go toolchain",
		Long: `Version prints the version of goglove, the Go release it was built with, and
the operating system and architecture it runs on:

    goglove v0.3.0 (go1.26.1 linux/amd64)

The version is the main module's version as Go stamps it: the tag
(v0.3.0) when goglove was installed with 'go install ...@v0.3.0' or built
at a tagged commit; a pseudo-version built from the commit's time and
revision (v0.0.0-20260105093000-0123456789ab, with "+dirty" when the
working tree had changes) when it was built in a git checkout; else, when
the build kept only the VCS revision, its first 12 digits (with
"-dirty"); else "devel" (go run, or -buildvcs=false). With --json it prints an object with the fields version, go, os,
arch and revision (the full VCS revision, or "" when unknown).`,
		Args: cobra.ArbitraryArgs, // runVersion reports extra arguments
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVersion(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the build information as a JSON object")
	return cmd
}

// buildVersion is what "goglove version" prints; the JSON names are part
// of the command's output format.
type buildVersion struct {
	Version  string `json:"version"`
	Go       string `json:"go"`
	OS       string `json:"os"`
	Arch     string `json:"arch"`
	Revision string `json:"revision"`
}

// runVersion prints the version of the running binary.
func runVersion(_ context.Context, opts versionOptions, args []string, stdout, _ io.Writer) error {
	if len(args) > 0 {
		return usageErrorf("version takes no arguments, got %q", args[0])
	}
	bi, _ := debug.ReadBuildInfo() // nil when the binary has none
	return printVersion(stdout, versionOf(bi), opts)
}

// printVersion writes v as text or, with opts.JSON, as indented JSON.
func printVersion(w io.Writer, v buildVersion, opts versionOptions) error {
	if !opts.JSON {
		_, err := fmt.Fprintf(w, "goglove %s (%s %s/%s)\n", v.Version, v.Go, v.OS, v.Arch)
		return err
	}
	return writeJSON(w, v)
}

// versionOf derives the version from the build information (nil when the
// binary has none): the main module's version when it has one, else the
// VCS revision shortened to 12 digits, with "-dirty" for a modified tree,
// else "devel". The Go release, OS and architecture are the running
// binary's.
func versionOf(bi *debug.BuildInfo) buildVersion {
	v := buildVersion{Version: "devel", Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if bi == nil {
		return v
	}
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	switch {
	case bi.Main.Version != "" && bi.Main.Version != "(devel)":
		v.Version = bi.Main.Version
	case v.Revision != "":
		v.Version = v.Revision[:min(12, len(v.Revision))]
		if modified {
			v.Version += "-dirty"
		}
	}
	return v
}
