package dashboard

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/symbolic"
)

// writeJSON writes v as the JSON answer.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	_ = enc.Encode(v) // the client is gone, or v is ours and encodes
}

// writeError answers an error: 404 for an unknown study or trial, 400
// for a bad parameter, 500 else; the body is {"error": "..."}.
func writeError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// storeError answers an error of the store.
func storeError(w http.ResponseWriter, err error) {
	if errors.Is(err, search.ErrNotFound) {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	writeError(w, http.StatusInternalServerError, err.Error())
}

// objectiveJSON is a study's objective.
type objectiveJSON struct {
	Name      string `json:"name"`
	Direction string `json:"direction"`
}

// bestJSON is a study's best trial, by its primary objective.
type bestJSON struct {
	Number int     `json:"number"`
	Value  float64 `json:"value"`
}

// studyJSON is a study in the list and at the top of its page.
type studyJSON struct {
	Name       string          `json:"name"`
	Objectives []objectiveJSON `json:"objectives"`
	Created    time.Time       `json:"created"`
	// State is running (a trial runs), waiting (trials wait, none
	// runs), done (every trial ended) or empty (no trial).
	State   string         `json:"state"`
	Total   int            `json:"total"`
	Counts  map[string]int `json:"counts"`
	Best    *bestJSON      `json:"best"`
	Version string         `json:"version"`
	// ReadSeconds is how long reading the trials from the store took.
	ReadSeconds float64 `json:"read_seconds"`
}

// studyPageJSON is what the study page shows above its table.
type studyPageJSON struct {
	studyJSON
	Store     string   `json:"store"`
	Metrics   []string `json:"metrics"`
	Decisions []string `json:"decisions"`
	Kinds     []string `json:"kinds"`
	Config    string   `json:"config"`
	SpaceNote string   `json:"space_note,omitempty"`
}

func (s *snapshot) summary() studyJSON {
	out := studyJSON{Name: s.info.Name, Created: s.info.Created.UTC(), Total: len(s.trials), Counts: s.counts,
		Version: s.version, ReadSeconds: s.took.Seconds(), Objectives: []objectiveJSON{}}
	for _, m := range s.info.Objectives {
		out.Objectives = append(out.Objectives, objectiveJSON{Name: m.Name, Direction: m.Direction.String()})
	}
	switch {
	case s.counts[search.Running.String()] > 0:
		out.State = "running"
	case s.counts[search.Waiting.String()] > 0:
		out.State = "waiting"
	case len(s.trials) == 0:
		out.State = "empty"
	default:
		out.State = "done"
	}
	if s.best != nil {
		out.Best = &bestJSON{Number: s.best.Number, Value: s.best.Metrics[s.info.Objectives[0].Name]}
	}
	return out
}

// apiStudies answers GET /api/studies: every study's summary.
func (s *Server) apiStudies(w http.ResponseWriter, r *http.Request) {
	infos, err := s.snaps.st.Studies(r.Context())
	if err != nil {
		storeError(w, err)
		return
	}
	out := []studyJSON{}
	keep := map[string]bool{}
	for _, info := range infos {
		keep[info.Name] = true
		snap, err := s.snaps.get(r.Context(), info.Name)
		if errors.Is(err, search.ErrNotFound) {
			continue // deleted meanwhile
		}
		if err != nil {
			storeError(w, err)
			return
		}
		out = append(out, snap.summary())
	}
	s.snaps.forget(keep)
	s.forgetPlots(keep)
	writeJSON(w, map[string]any{"store": s.opts.StoreName, "studies": out})
}

// snapshotOf returns the snapshot of the study ?study= names, or answers
// the error.
func (s *Server) snapshotOf(w http.ResponseWriter, r *http.Request) (*snapshot, bool) {
	name := r.URL.Query().Get("study")
	if name == "" {
		writeError(w, http.StatusBadRequest, "missing ?study=NAME")
		return nil, false
	}
	snap, err := s.snaps.get(r.Context(), name)
	if err != nil {
		storeError(w, err)
		return nil, false
	}
	return snap, true
}

// apiStudy answers GET /api/study?study=S: the study's summary, its
// metrics and decisions, and its config as YAML.
func (s *Server) apiStudy(w http.ResponseWriter, r *http.Request) {
	snap, ok := s.snapshotOf(w, r)
	if !ok {
		return
	}
	out := studyPageJSON{studyJSON: snap.summary(), Store: s.opts.StoreName, Metrics: snap.metrics,
		Decisions: []string{}, Kinds: kindsOf(snap), SpaceNote: snap.spaceErr}
	if out.Metrics == nil {
		out.Metrics = []string{}
	}
	if sp := snap.study.Spec; sp != nil {
		for _, c := range sp.Columns() {
			out.Decisions = append(out.Decisions, c.Name)
		}
	}
	if snap.info.Config != nil {
		if y, err := symbolic.EncodeYAML(snap.info.Config); err == nil {
			out.Config = string(y)
		}
	}
	writeJSON(w, out)
}

// apiTrials answers GET /api/trials?study=S&… (see tableQuery).
func (s *Server) apiTrials(w http.ResponseWriter, r *http.Request) {
	q, err := parseTableQuery(r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	snap, ok := s.snapshotOf(w, r)
	if !ok {
		return
	}
	writeJSON(w, snap.page(q))
}

// trialJSON is a trial's page.
type trialJSON struct {
	Study     string          `json:"study"`
	Store     string          `json:"store"`
	Number    int             `json:"number"`
	State     string          `json:"state"`
	Attempt   int             `json:"attempt"`
	Worker    string          `json:"worker"`
	DNA       string          `json:"dna"`
	Decisions []decisionJSON  `json:"decisions"`
	Program   string          `json:"program"`
	Metrics   search.Metrics  `json:"metrics"`
	Steps     []search.Step   `json:"steps"`
	Error     string          `json:"error"`
	Created   time.Time       `json:"created"`
	Finished  *time.Time      `json:"finished"`
	Heartbeat *time.Time      `json:"heartbeat"`
	Objective []objectiveJSON `json:"objectives"`
}

// decisionJSON is one decision of a trial, by key path.
type decisionJSON struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// apiTrial answers GET /api/trial?study=S&number=N.
func (s *Server) apiTrial(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("number"))
	if err != nil || n < 0 {
		writeError(w, http.StatusBadRequest, "number: want a trial's number, 0 or more")
		return
	}
	snap, ok := s.snapshotOf(w, r)
	if !ok {
		return
	}
	i, found := slices.BinarySearchFunc(snap.trials, n, func(t search.TrialRecord, n int) int { return t.Number - n })
	if !found {
		writeError(w, http.StatusNotFound, "study "+snap.info.Name+" has no trial "+strconv.Itoa(n))
		return
	}
	t := &snap.trials[i]
	out := trialJSON{Study: snap.info.Name, Store: s.opts.StoreName, Number: t.Number, State: t.State.String(), Attempt: t.Attempt, Worker: t.Worker,
		DNA: t.DNAText, Metrics: t.Metrics, Steps: t.Steps, Error: t.Error, Created: t.Created.UTC(), Decisions: []decisionJSON{}}
	for _, m := range snap.info.Objectives {
		out.Objective = append(out.Objective, objectiveJSON{Name: m.Name, Direction: m.Direction.String()})
	}
	if out.Metrics == nil {
		out.Metrics = search.Metrics{}
	}
	if out.Steps == nil {
		out.Steps = []search.Step{}
	}
	if !t.Finished.IsZero() {
		f := t.Finished.UTC()
		out.Finished = &f
	}
	if t.State == search.Running && !t.Heartbeat.IsZero() {
		h := t.Heartbeat.UTC()
		out.Heartbeat = &h
	}
	if t.Program != nil {
		if y, err := symbolic.EncodeYAML(t.Program); err == nil {
			out.Program = string(y)
		}
	}
	if sp := snap.study.Spec; sp != nil {
		dna := t.DNA
		if len(dna.Children) == 0 && t.DNAText != "" {
			if d, err := sp.ParseNumbers(t.DNAText); err == nil {
				dna = d
			}
		}
		row := sp.Row(dna)
		for _, c := range sp.Columns() {
			if cell, ok := row[c.Name]; ok {
				out.Decisions = append(out.Decisions, decisionJSON{Name: c.Name, Value: cell.Text})
			}
		}
	}
	writeJSON(w, out)
}
