package dashboard

import (
	"encoding/json"
	"net/http"
	"time"
)

// keepAlive is how often an idle event stream sends a comment, so that
// proxies keep it open.
const keepAlive = 15 * time.Second

// apiEvents answers GET /api/events?study=S with server-sent events: an
// event "change" whose data is the study's summary (studyJSON) at once,
// then whenever the study's trials change, checked every refresh
// interval. The stream ends when the client goes.
func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) {
	snap, ok := s.snapshotOf(w, r)
	if !ok {
		return
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "the connection cannot stream events")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(sn *snapshot) bool {
		data, err := json.Marshal(sn.summary())
		if err != nil {
			return false
		}
		if _, err := w.Write([]byte("event: change\ndata: " + string(data) + "\n\n")); err != nil {
			return false
		}
		flusher.Flush()
		return true
	}
	if !send(snap) {
		return
	}
	last := snap.version
	tick := time.NewTicker(s.opts.Refresh)
	defer tick.Stop()
	idle := time.Now()
	name := snap.info.Name
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
		sn, err := s.snaps.get(r.Context(), name)
		if err != nil {
			return // the study is gone, or the store: the client reconnects
		}
		if sn.version != last {
			last = sn.version
			if !send(sn) {
				return
			}
			idle = time.Now()
		} else if time.Since(idle) > keepAlive {
			if _, err := w.Write([]byte(": keep-alive\n\n")); err != nil {
				return
			}
			flusher.Flush()
			idle = time.Now()
		}
	}
}
