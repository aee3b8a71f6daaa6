package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/c2602f9e/goglove/dashboard"
	"github.com/spf13/cobra"
)

// dashboardOptions are the flags of "goglove dashboard".
type dashboardOptions struct {
	Store   string
	Addr    string
	Token   string
	Refresh time.Duration
}

const dashboardUsage = "goglove dashboard [--store URL] [--addr 127.0.0.1:8080] [--token T]"

// dashboardTokenEnv names the variable that gives the token when --token
// is not given (a flag shows in the process list).
const dashboardTokenEnv = "GOGLOVE_DASHBOARD_TOKEN"

func newDashboardCmd() *cobra.Command {
	opts := dashboardOptions{Addr: "127.0.0.1:8080", Refresh: time.Second}
	cmd := &cobra.Command{
		Use:   "dashboard [--store URL] [--addr 127.0.0.1:8080] [--token T]",
		Short: "Serve a live web page of the studies in a store",
		Long: `Dashboard serves a web page of the studies in the store --store names, for
watching searches while they run: the list of studies (state, trials
done, running and failed, best value); a study's page with its plots
(those of 'goglove plot') updating live, and a trials table that sorts by
any column, filters by state, by a metric's bounds and by text, and pages
on the server; and a trial's page (its program as YAML, DNA, decisions,
metrics, intermediate reports, failure reason, worker).

The store is opened read-only, and the page never shows its URL (only a
description without credentials). The server answers GET and HEAD only.

It binds to --addr, 127.0.0.1:8080 by default. An address that is not a
loopback one (0.0.0.0:8080, a host name, :8080) is refused unless a
token is given with --token or $` + dashboardTokenEnv + `; every request must
then carry it: open http://HOST:PORT/?token=TOKEN once (a cookie keeps it
for the session), or send "Authorization: Bearer TOKEN". Without a token
only requests addressed to localhost or a loopback IP are answered.

A study's trials are read again every --refresh (1s), or less often when
reading them takes longer (twice the time of the last read at least).
Ctrl-C stops the server.

A bad flag, or another address without a token, is bad input (exit code 2).`,
		Example: `  goglove dashboard
  goglove dashboard --store postgres://db/goglove --addr 127.0.0.1:9000
  GOGLOVE_DASHBOARD_TOKEN=$(openssl rand -hex 16) goglove dashboard --addr 0.0.0.0:8080`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDashboard(cmd.Context(), opts, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Store, "store", "", storeFlagHelp)
	f.StringVar(&opts.Addr, "addr", opts.Addr, "host:port to listen on; loopback unless --token is given")
	f.StringVar(&opts.Token, "token", "", "a token every request must carry (default $"+dashboardTokenEnv+"); required for a non-loopback --addr")
	f.DurationVar(&opts.Refresh, "refresh", opts.Refresh, "how often a study's trials are read again, at most")
	return cmd
}

// runDashboard serves the dashboard until ctx is cancelled.
func runDashboard(ctx context.Context, opts dashboardOptions, args []string, stdout, stderr io.Writer) error {
	if err := checkArgCount("dashboard", args, 0, dashboardUsage); err != nil {
		return err
	}
	if opts.Token == "" {
		opts.Token = os.Getenv(dashboardTokenEnv)
	}
	if opts.Refresh < 100*time.Millisecond || opts.Refresh > time.Hour {
		return usageErrorf("dashboard: --refresh %s: want 100ms to 1h", opts.Refresh)
	}
	if _, _, err := net.SplitHostPort(opts.Addr); err != nil {
		return usageErrorf("dashboard: --addr %q: want host:port, e.g. 127.0.0.1:8080", opts.Addr)
	}
	if !dashboard.IsLoopback(opts.Addr) && opts.Token == "" {
		return usageErrorf("dashboard: --addr %s is not a loopback address: give --token (or $%s) so that only those who have it see the store", opts.Addr, dashboardTokenEnv)
	}
	st, err := openReadOnlyStore(ctx, "dashboard", opts.Store, dashboardUsage)
	if err != nil {
		return err
	}
	defer st.Close()
	srv, err := dashboard.New(st, &dashboard.Options{Token: opts.Token, StoreName: describeStore(storeURL(opts.Store)),
		SpaceOf: studySpace(newRegistry()), Refresh: opts.Refresh})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx }}
	url := "http://" + ln.Addr().String() + "/"
	if opts.Token != "" {
		url += "?token=<the token>"
	}
	fmt.Fprintf(stdout, "serving the dashboard of %s on %s (Ctrl-C stops)\n", terminalText(describeStore(storeURL(opts.Store))), url)
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("dashboard: %w", err)
	case <-ctx.Done():
	}
	cancel() // ends the event streams, whose requests use ctx
	sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer scancel()
	if err := hs.Shutdown(sctx); err != nil {
		fmt.Fprintf(stderr, "goglove: dashboard: shutting down: %v\n", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("dashboard: %w", err)
	}
	return nil
}
