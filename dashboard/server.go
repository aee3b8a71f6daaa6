package dashboard

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/c2602f9e/goglove/plots"
	"github.com/c2602f9e/goglove/search"
)

// Options configure a Server. The zero value serves without a token, to
// loopback host names only, refreshing every second.
type Options struct {
	// Token, if not "", must come with every request: the header
	// "Authorization: Bearer TOKEN", the cookie a first visit with
	// ?token=TOKEN sets, or ?token=TOKEN itself.
	Token string
	// StoreName describes the store in the page's header; it must hold
	// no credential (storeurl.Describe gives such a description).
	StoreName string
	// SpaceOf gives a study's space, for the decisions by key path and
	// the plots of decisions; nil leaves them out.
	SpaceOf plots.SpaceOf
	// Refresh is how long a study's trials, once read, are reused, and
	// how often the live page learns of changes; 0 means one second.
	Refresh time.Duration
	// PlotLimit is plots.Options.Limit for the plots that draw a line per
	// trial; 0 means 300.
	PlotLimit int
	// PlotPoints is the most points a series of a plot is drawn with
	// (plots.Thin); 0 means 5000.
	PlotPoints int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Server is the dashboard's http.Handler. It is safe for concurrent use.
type Server struct {
	opts  Options
	snaps *snapshots
	mux   *http.ServeMux

	plotMu sync.Mutex
	plots  map[string]*plotEntry // study + "\x00" + kind
}

// New returns a dashboard server over st, which it only reads.
func New(st search.Store, o *Options) (*Server, error) {
	var opts Options
	if o != nil {
		opts = *o
	}
	if opts.Refresh < 0 || opts.PlotLimit < 0 || opts.PlotPoints < 0 {
		return nil, fmt.Errorf("%w: Refresh %v, PlotLimit %d and PlotPoints %d must not be negative", ErrOptions, opts.Refresh, opts.PlotLimit, opts.PlotPoints)
	}
	if opts.Refresh == 0 {
		opts.Refresh = time.Second
	}
	if opts.PlotLimit == 0 {
		opts.PlotLimit = 300
	}
	if opts.PlotPoints == 0 {
		opts.PlotPoints = 5000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, mux: http.NewServeMux(), plots: map[string]*plotEntry{},
		snaps: &snapshots{st: st, spaceOf: opts.SpaceOf, refresh: opts.Refresh, now: opts.Now, studies: map[string]*studyEntry{}}}
	for _, page := range []string{"/{$}", "/study", "/trial"} {
		s.mux.HandleFunc(page, s.serveIndex)
	}
	s.mux.HandleFunc("/assets/", s.serveAsset)
	s.mux.HandleFunc("/api/studies", s.apiStudies)
	s.mux.HandleFunc("/api/study", s.apiStudy)
	s.mux.HandleFunc("/api/trials", s.apiTrials)
	s.mux.HandleFunc("/api/trial", s.apiTrial)
	s.mux.HandleFunc("/api/plot", s.apiPlot)
	s.mux.HandleFunc("/api/events", s.apiEvents)
	return s, nil
}

// tokenCookie is the cookie that carries the token after a visit with
// ?token=.
const tokenCookie = "goglove_dashboard_token"

// ServeHTTP answers GET and HEAD requests that pass the token or host
// check, with headers that keep the page from being framed or from
// loading anything but its own assets.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "the dashboard is read-only: GET and HEAD only", http.StatusMethodNotAllowed)
		return
	}
	if s.opts.Token == "" {
		if !loopbackHost(r.Host) {
			http.Error(w, "this dashboard answers requests to a loopback address only (start it with --token to serve others)", http.StatusForbidden)
			return
		}
	} else if !s.authorized(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// authorized checks the token; a request that gives it as ?token= gets
// the cookie and, for a page, a redirect to the same address without it,
// so that it does not stay in the address bar and history.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	want := []byte(s.opts.Token)
	ok := func(got string) bool { return subtle.ConstantTimeCompare([]byte(got), want) == 1 }
	if a, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); found && ok(a) {
		return true
	}
	if c, err := r.Cookie(tokenCookie); err == nil && ok(c.Value) {
		return true
	}
	if q := r.URL.Query(); q.Has("token") && ok(q.Get("token")) {
		http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: s.opts.Token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			q.Del("token")
			u := *r.URL
			u.RawQuery = q.Encode()
			http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
			return false
		}
		return true
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="goglove dashboard"`)
	http.Error(w, "this dashboard needs its token: open it with ?token=TOKEN, or send Authorization: Bearer TOKEN", http.StatusUnauthorized)
	return false
}

// loopbackHost reports whether a request's Host names a loopback
// address: localhost or a loopback IP, with any port.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// IsLoopback reports whether addr (host:port, as given to --addr) binds
// to loopback only: a loopback IP or localhost. An empty host binds to
// every address, so it is not.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	return loopbackHost(host)
}
