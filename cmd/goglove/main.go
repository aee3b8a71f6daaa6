package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	// The first SIGINT or SIGTERM cancels the root context, so verbs stop
	// cleanly; it also restores the default handlers, so a second signal
	// kills a command that is blocked (on standard input, say).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, stop)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs the command line args (without the program name) and returns
// the exit code. It is main without the process: tests call it with
// buffers. Standard input is the process's; verbs that read it take it
// from their cobra command, which tests can replace.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runWith(ctx, newRootCmd, args, stdout, stderr)
}

// runWith is run with the root command built by newRoot. It prints every
// error as one line on stderr, maps errors to exit codes (see exitCode) and
// turns a panic in the command into one "internal error" line and exit
// code 1, never a stack trace. (A panic in a goroutine that a verb starts
// cannot be recovered here; verbs must recover in their goroutines.)
func runWith(ctx context.Context, newRoot func() *cobra.Command, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintln(stderr, errorPrefix+"internal error: "+oneLine(fmt.Sprint(r)))
			code = exitFailure
		}
	}()
	root := newRoot()
	if args == nil {
		args = []string{} // cobra reads os.Args when given nil
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	printError(stderr, err)
	return exitCode(err)
}

// newRootCmd builds the goglove command and its verbs, one file each
// (cmd_VERB.go).
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "goglove",
		Short: "Symbolic AutoML search in Go",
		Long: `goglove is a symbolic AutoML search framework in Go.

Programs (models, training recipes, whole experiments) are symbolic trees
that other code can inspect and rewrite, saved as YAML or JSON. Put
hyper-values in a tree and it becomes a search space; a search algorithm
proposes choices, the choices are decoded into a child program, and the
trainer's measurement flows back to the algorithm. Search spaces,
algorithms and child programs are independent, so each can be changed
without touching the others.

Start with an example search:

    goglove search experiments/configs/branin-tpe.yaml

Flags may come before or after the arguments. Exit codes: 0 success,
1 failure (an I/O error, an interrupted or failed search), 2 bad input
(usage error, missing or invalid file or config), 3 no trial can start
(goglove ask: the budget is spent or taken, or the algorithm is done).`,
		Args:                       rootArgs,
		RunE:                       func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		SilenceErrors:              true, // runWith prints errors, one line each
		SilenceUsage:               true, // errors say what to run for help instead
		CompletionOptions:          cobra.CompletionOptions{DisableDefaultCmd: true},
		SuggestionsMinimumDistance: 2,
	}
	root.SetFlagErrorFunc(flagError)
	root.SetHelpCommand(newHelpCmd())
	root.AddCommand(
		newBenchCmd(), newBestCmd(), newStudiesCmd(), newTrialsCmd(),
		newWorkerCmd(), newAskCmd(), newTellCmd(), newEnqueueCmd(),
		newFmtCmd(),
		newSearchCmd(), newTrainCmd(), newEvalCmd(), newCacheCmd(), newExperimentCmd(),
		newSpaceCmd(),
		newVersionCmd(),
		newPlotCmd(), newExportCmd(), newReportCmd(), newDashboardCmd(),
	)
	return root
}

// rootArgs rejects arguments that name no verb; goglove alone prints help.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	hint := ""
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		hint = fmt.Sprintf(" (did you mean %q?)", s[0])
	}
	return usageErrorf("unknown command %q%s; run 'goglove help' for the list of commands", args[0], hint)
}

// flagError turns pflag's errors (unknown flag, bad value) into one-line
// usage errors that say where to find help.
func flagError(cmd *cobra.Command, err error) error {
	return usageErrorf("%w; run '%s --help' for usage", err, cmd.CommandPath())
}

// newHelpCmd replaces cobra's help verb, which prints the root help with
// exit code 0 for an unknown topic, by one that reports a usage error.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [VERB]",
		Short: "Show help for goglove or one of its verbs",
		Long:  "Help shows the help of goglove, or of the verb it names (the same text as 'goglove VERB --help').",
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			target, rest, err := cmd.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return usageErrorf("unknown help topic %q; run 'goglove help' for the list of commands", strings.Join(args, " "))
			}
			target.InitDefaultHelpFlag()
			return target.Help()
		},
	}
}
