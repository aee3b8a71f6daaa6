package plots

import (
	"cmp"
	"slices"
	"time"

	"github.com/c2602f9e/goglove/search"
)

// Timeline returns the timeline plot: one row per worker, each of its
// trials a bar from when it was created to when it finished (to Now, or
// the latest time recorded, while it runs), in its state's colour; time
// in seconds from the first trial. Waiting trials, which no worker runs
// yet, are left out. A trial's bar is its last attempt's worker's.
func Timeline(s *Study) (Chart, error) {
	var start, end time.Time
	workers := map[string]int{}
	var names []string
	for _, t := range s.Trials {
		if t.State == search.Waiting {
			continue
		}
		if start.IsZero() || t.Created.Before(start) {
			start = t.Created
		}
		for _, at := range []time.Time{t.Created, t.Finished, t.Heartbeat} {
			if at.After(end) {
				end = at
			}
		}
		if _, ok := workers[t.Worker]; !ok {
			workers[t.Worker] = 0
			names = append(names, t.Worker)
		}
	}
	if !s.Now.IsZero() {
		end = s.Now
	}
	slices.SortFunc(names, cmp.Compare)
	p := Panel{X: Axis{Label: "seconds since the first trial"}, Y: Axis{Label: "worker"}}
	for i, w := range names {
		workers[w] = i
		label := w
		if label == "" {
			label = "(none)"
		}
		p.Y.Ticks = append(p.Y.Ticks, Tick{At: float64(i), Label: shorten(label, 32)})
	}
	byState := map[search.State]*Series{}
	var states []search.State
	for _, t := range s.Trials {
		if t.State == search.Waiting {
			continue
		}
		ser := byState[t.State]
		if ser == nil {
			ser = &Series{Name: t.State.String(), Style: StyleSegments, Color: stateColor(t.State)}
			byState[t.State] = ser
			states = append(states, t.State)
		}
		fin := t.Finished
		if fin.IsZero() {
			fin = end
		}
		y := float64(workers[t.Worker])
		ser.Points = append(ser.Points,
			Point{X: t.Created.Sub(start).Seconds(), Y: y, Trial: t.Number},
			Point{X: fin.Sub(start).Seconds(), Y: y, Trial: t.Number})
	}
	slices.Sort(states)
	for _, st := range states {
		p.Series = append(p.Series, *byState[st])
	}
	return Chart{Kind: "timeline", Title: s.Name + ": timeline", Panels: []Panel{p}}, nil
}
