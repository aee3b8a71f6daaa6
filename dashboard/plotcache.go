package dashboard

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/c2602f9e/goglove/plots"
)

// plotEntry is one study's plot of one kind, as last drawn.
type plotEntry struct {
	mu      sync.Mutex // held while drawing
	version string
	png     []byte
	err     error // an ErrNoData error: the kind does not apply
	drawn   time.Time
	took    time.Duration
}

// kindsOf returns the plot kinds a study's page shows: every kind but
// pareto for a study of one objective.
func kindsOf(s *snapshot) []string {
	var out []string
	for _, k := range plots.Kinds {
		if k == "pareto" && len(s.info.Objectives) < 2 {
			continue
		}
		out = append(out, k)
	}
	return out
}

// apiPlot answers GET /api/plot?study=S&kind=K: the plot as PNG. A plot
// is drawn again when the study changed, but not sooner than the refresh
// interval, nor than four times as long as it last took to draw, after
// the last drawing: a large study's plots do not keep the CPU busy. A
// kind the study lacks the data for answers 404 with the reason.
func (s *Server) apiPlot(w http.ResponseWriter, r *http.Request) {
	kind := r.URL.Query().Get("kind")
	known := false
	for _, k := range plots.Kinds {
		known = known || k == kind
	}
	if !known {
		writeError(w, http.StatusBadRequest, "kind "+kind+": unknown plot kind")
		return
	}
	snap, ok := s.snapshotOf(w, r)
	if !ok {
		return
	}
	key := snap.info.Name + "\x00" + kind
	s.plotMu.Lock()
	e := s.plots[key]
	if e == nil {
		e = &plotEntry{}
		s.plots[key] = e
	}
	s.plotMu.Unlock()
	e.mu.Lock()
	now := s.opts.Now()
	fresh := e.version == snap.version || (e.version != "" && now.Sub(e.drawn) < max(s.opts.Refresh, 4*e.took))
	if !fresh {
		e.png, e.err = nil, nil
		c, err := plots.Build(kind, snap.study, &plots.Options{Limit: s.opts.PlotLimit})
		if err == nil {
			var b bytes.Buffer
			err = plots.Render(&b, plots.Thin(c, s.opts.PlotPoints), "png")
			e.png = b.Bytes()
		}
		e.err, e.version, e.drawn, e.took = err, snap.version, now, s.opts.Now().Sub(now)
	}
	png, perr, version := e.png, e.err, e.version
	e.mu.Unlock()
	switch {
	case errors.Is(perr, plots.ErrNoData):
		writeError(w, http.StatusNotFound, perr.Error())
	case perr != nil:
		writeError(w, http.StatusInternalServerError, perr.Error())
	default:
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("X-Goglove-Version", version)
		_, _ = w.Write(png)
	}
}

// forgetPlots drops the plots of studies that no longer exist.
func (s *Server) forgetPlots(keep map[string]bool) {
	s.plotMu.Lock()
	defer s.plotMu.Unlock()
	for key := range s.plots {
		study, _, _ := strings.Cut(key, "\x00")
		if !keep[study] {
			delete(s.plots, key)
		}
	}
}
