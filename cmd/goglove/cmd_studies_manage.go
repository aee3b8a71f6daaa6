package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/spf13/cobra"
)

// studiesManageOptions are the flags of "goglove studies rm", "rename"
// and "copy".
type studiesManageOptions struct {
	// Store is the URL of the store that keeps the study.
	Store string
	// Yes deletes without asking (rm).
	Yes bool
	// Force deletes or renames a study that workers are running.
	Force bool
	// terminal makes rm ask on stdin as if it were a terminal (tests).
	terminal bool
}

const (
	studiesRmUsage     = "goglove studies rm [--store URL] [--yes] [--force] STUDY"
	studiesRenameUsage = "goglove studies rename [--store URL] [--force] STUDY NEW"
	studiesCopyUsage   = "goglove studies copy [--store URL] STUDY NEW"
)

func newStudiesRmCmd() *cobra.Command {
	var opts studiesManageOptions
	cmd := &cobra.Command{
		Use:   "rm [--store URL] [--yes] [--force] STUDY",
		Short: "Delete a study with its trials",
		Long: `Rm deletes the study STUDY from the store --store names, with its config
and all its trials (their programs, metrics and steps). Studies nested in
its trials (STUDY/trial-N/…) are studies of their own: remove them by
name. A search run again under the name starts a new study.

On a terminal rm asks for confirmation (y/N) on standard input; --yes
deletes without asking, and without a terminal --yes is required (else
rm refuses, exit code 2). While workers run the study (it has running
trials whose heartbeats are younger than the study's heartbeat timeout)
rm refuses, exit code 1, unless --force is given: the workers then stop
with an error at their next step. An unknown study is bad input (exit
code 2).`,
		Example: `  goglove studies rm --store sqlite://goglove.db branin-tpe
  goglove studies rm --store postgres://db/goglove branin-tpe --yes`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStudiesRm(cmd.Context(), opts, args, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Store, "store", "", storeFlagHelp)
	f.BoolVar(&opts.Yes, "yes", false, "delete without asking for confirmation (required without a terminal)")
	f.BoolVar(&opts.Force, "force", false, "delete the study even while workers are running it")
	return cmd
}

func newStudiesRenameCmd() *cobra.Command {
	var opts studiesManageOptions
	cmd := &cobra.Command{
		Use:   "rename [--store URL] [--force] STUDY NEW",
		Short: "Give a study another name",
		Long: `Rename gives the study STUDY, with its trials as they are, the name NEW in
the store --store names. The config the study keeps still names the old
study: run it on with "goglove worker --study NEW", or a search config
with study: NEW. A NEW that names an existing study, or an unknown STUDY,
is bad input (exit code 2). While workers run the study, rename refuses
(exit code 1) unless --force is given: the workers then stop with an
error at their next step.`,
		Example: `  goglove studies rename --store sqlite://goglove.db branin-tpe branin-tpe-old`,
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStudiesRename(cmd.Context(), opts, args, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Store, "store", "", storeFlagHelp)
	f.BoolVar(&opts.Force, "force", false, "rename the study even while workers are running it")
	return cmd
}

func newStudiesCopyCmd() *cobra.Command {
	var opts studiesManageOptions
	cmd := &cobra.Command{
		Use:   "copy [--store URL] STUDY NEW",
		Short: "Copy a study with its trials under another name",
		Long: `Copy copies the study STUDY, with its config and its trials as they are, to
a new study NEW in the store --store names, for instance to try another
budget or failure limit on a copy ("goglove worker --study NEW"). The two
then go their own ways. Trials running in STUDY are running in the copy
too: workers of the copy take them over once their heartbeats are older
than the timeout. A NEW that names an existing study, or an unknown
STUDY, is bad input (exit code 2).`,
		Example: `  goglove studies copy --store sqlite://goglove.db branin-tpe branin-tpe-2`,
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStudiesCopy(cmd.Context(), opts, args, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&opts.Store, "store", "", storeFlagHelp)
	return cmd
}

// runStudiesRm deletes a study, after asking on a terminal.
func runStudiesRm(ctx context.Context, opts studiesManageOptions, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if err := checkArgCount("studies rm", args, 1, studiesRmUsage); err != nil {
		return err
	}
	name := args[0]
	store, err := openExistingStore(ctx, "studies rm", opts.Store, studiesRmUsage)
	if err != nil {
		return err
	}
	defer store.Close()
	trials, err := checkNoWorkers(ctx, store, "studies rm", name, opts.Force)
	if err != nil {
		return err
	}
	where := describeStore(storeURL(opts.Store))
	what := fmt.Sprintf("study %q and its %s from %s", name, trialCount(len(trials)), where)
	if !opts.Yes {
		if !opts.terminal && !isTerminalInput(stdin) {
			return usageErrorf("studies rm: not deleting %s without confirmation: standard input is not a terminal; pass --yes", what)
		}
		fmt.Fprintf(stderr, "%sdelete %s? [y/N] ", errorPrefix, what)
		answer, _ := bufio.NewReader(stdin).ReadString('\n')
		switch strings.ToLower(strings.TrimSpace(answer)) {
		case "y", "yes":
		default:
			return fmt.Errorf("studies rm: not confirmed; study %q is kept", name)
		}
	}
	if err := store.DeleteStudy(ctx, name); err != nil {
		return studyError(err)
	}
	_, err = fmt.Fprintf(stdout, "deleted %s\n", what)
	return err
}

// runStudiesRename renames a study.
func runStudiesRename(ctx context.Context, opts studiesManageOptions, args []string, stdout io.Writer) error {
	if err := checkArgCount("studies rename", args, 2, studiesRenameUsage); err != nil {
		return err
	}
	old, new := args[0], args[1]
	if new == "" {
		return usageErrorf("studies rename: the new name is empty; usage: %s", studiesRenameUsage)
	}
	store, err := openExistingStore(ctx, "studies rename", opts.Store, studiesRenameUsage)
	if err != nil {
		return err
	}
	defer store.Close()
	trials, err := checkNoWorkers(ctx, store, "studies rename", old, opts.Force)
	if err != nil {
		return err
	}
	if err := store.RenameStudy(ctx, old, new); err != nil {
		return nameError(err)
	}
	_, err = fmt.Fprintf(stdout, "renamed study %q (%s) to %q\n", old, trialCount(len(trials)), new)
	return err
}

// runStudiesCopy copies a study.
func runStudiesCopy(ctx context.Context, opts studiesManageOptions, args []string, stdout io.Writer) error {
	if err := checkArgCount("studies copy", args, 2, studiesCopyUsage); err != nil {
		return err
	}
	from, to := args[0], args[1]
	if to == "" {
		return usageErrorf("studies copy: the new name is empty; usage: %s", studiesCopyUsage)
	}
	store, err := openExistingStore(ctx, "studies copy", opts.Store, studiesCopyUsage)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.CopyStudy(ctx, from, to); err != nil {
		return nameError(err)
	}
	trials, err := store.Trials(ctx, to)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "copied study %q to %q (%s)\n", from, to, trialCount(len(trials)))
	return err
}

// checkNoWorkers returns the trials of a study, or an error if it does
// not exist (bad input) or workers are running it and force is not set.
func checkNoWorkers(ctx context.Context, store search.Store, verb, name string, force bool) ([]search.TrialRecord, error) {
	info, err := store.Study(ctx, name)
	if err != nil {
		return nil, studyError(err)
	}
	trials, err := store.Trials(ctx, name)
	if err != nil {
		return nil, studyError(err)
	}
	if force {
		return trials, nil
	}
	timeout := studyHeartbeatTimeout(info)
	live := 0
	for _, t := range trials {
		if t.State == search.Running && !t.Heartbeat.IsZero() && time.Since(t.Heartbeat) < timeout {
			live++
		}
	}
	if live > 0 {
		return nil, fmt.Errorf("%s: workers are running study %q (%s with a heartbeat younger than %s); stop them first, or pass --force",
			verb, name, runningCount(live), timeout)
	}
	return trials, nil
}

// studyHeartbeatTimeout returns the heartbeat timeout of the config a
// study keeps, or the default.
func studyHeartbeatTimeout(info search.StudyInfo) time.Duration {
	var o search.Options
	if cfg, err := search.ConfigFromStudy(newRegistry(), info); err == nil {
		o.HeartbeatInterval, o.HeartbeatTimeout = cfg.HeartbeatInterval(), cfg.HeartbeatTimeout()
	}
	return o.StaleAfter()
}

// nameError marks an unknown study, or a new name that is taken, as bad
// input.
func nameError(err error) error {
	if errors.Is(err, search.ErrExists) {
		return badInput(err)
	}
	return studyError(err)
}

// isTerminalInput reports whether r is a terminal, where a question can
// be asked (/dev/null, a character device too, is not).
func isTerminalInput(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && isTTY(f.Fd())
}

func trialCount(n int) string {
	if n == 1 {
		return "1 trial"
	}
	return fmt.Sprintf("%d trials", n)
}

func runningCount(n int) string {
	if n == 1 {
		return "1 running trial"
	}
	return fmt.Sprintf("%d running trials", n)
}
