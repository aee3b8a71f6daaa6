// Package dashboard serves a read-only web page of a store's studies, for
// the people watching a search while it runs: the list of studies (their
// state, trials done, running and failed, the best value), a study's page
// (its counts, the plots of package plots updating live through
// server-sent events, a trials table that sorts, filters and pages on the
// server) and a trial's page (its program as YAML, DNA, decisions,
// metrics, intermediate reports, failure reason and worker).
//
// The page is static HTML, CSS and JavaScript embedded in the binary
// (go:embed, no build step) over a JSON API (/api/…). The server reads the
// store through search.Store and never writes it; it answers GET and HEAD
// only. It never holds the store's URL, so no credential of it can reach
// a page: the caller hands in a description for the header. With a token
// (Options.Token) every request must carry it (a bearer header, a cookie
// the first ?token= visit sets, or ?token=); without one the server
// answers only requests addressed to a loopback host name, so that another
// site cannot reach it through DNS rebinding. Binding to loopback unless a
// token is given is the caller's rule (goglove dashboard).
//
// A study's trials are read into a snapshot, reused for Options.Refresh
// (and for at least twice as long as the last read took, so that a large
// study does not keep the store busy); the table, the aggregates and the
// plots are computed from the snapshot, the plots rendered as PNG (their
// size does not grow with the trials) and kept until the study changes,
// and for at least four times as long as they took to draw.
package dashboard
