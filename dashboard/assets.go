package dashboard

import (
	"embed"
	"net/http"
	"path"
)

// assets are the page's files, served as they are: no build step.
//
//go:embed assets
var assets embed.FS

// serveIndex serves the page; its script reads the address to know which
// view to show (the studies, a study, a trial).
func (s *Server) serveIndex(w http.ResponseWriter, r *http.Request) {
	data, err := assets.ReadFile("assets/index.html")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(data)
}

// contentTypes are the types of the assets, by extension.
var contentTypes = map[string]string{".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}

// serveAsset serves /assets/NAME.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request) {
	name := path.Clean(r.URL.Path)[1:] // assets/…
	data, err := assets.ReadFile(name)
	ct, known := contentTypes[path.Ext(name)]
	if err != nil || !known {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ct)
	_, _ = w.Write(data)
}
