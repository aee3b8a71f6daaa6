package algorithms

import (
	"container/heap"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/c2602f9e/goglove/space"
)

// MostProbable returns up to k distinct DNA in decreasing probability
// under softmax(α), the argmax first; fewer when the space has fewer
// programs over the relaxed decisions. Decisions that are not relaxed
// are held (see Holder).
func (d *Darts) MostProbable(k int) ([]space.DNA, error) {
	if d.spec == nil {
		return nil, errNotSetUp("darts")
	}
	if d.decisions == nil {
		if d.Relaxation == nil {
			return nil, errNoRelaxation
		}
		if err := d.bind(); err != nil {
			return nil, err
		}
	}
	probs := d.Probabilities()
	// order[i] lists decision i's candidates by decreasing probability.
	order := make([][]int, len(probs))
	for i, p := range probs {
		order[i] = make([]int, len(p))
		for j := range p {
			order[i][j] = j
		}
		slices.SortStableFunc(order[i], func(a, b int) int {
			switch {
			case p[a] > p[b]:
				return -1
			case p[a] < p[b]:
				return 1
			}
			return 0
		})
	}
	score := func(rank []int) float64 {
		var s float64
		for i, r := range rank {
			s += math.Log(probs[i][order[i][r]])
		}
		return s
	}
	// Best-first over the lattice of ranks: a rank vector's successors
	// (one decision one rank down) are never more probable, so popping
	// in score order enumerates the products in decreasing order.
	h := &rankHeap{}
	start := make([]int, len(probs))
	heap.Push(h, rankItem{rank: start, score: score(start)})
	seen := map[string]bool{rankKey(start): true}
	var out []space.DNA
	dnaSeen := map[string]bool{}
	holder, _ := d.Relaxation.(Holder)
	for h.Len() > 0 && len(out) < k {
		it := heap.Pop(h).(rankItem)
		choice := make(map[string]int, len(it.rank))
		for i, r := range it.rank {
			choice[d.decisions[i].ID] = order[i][r]
		}
		dna, err := DeriveDNA(d.spec, choice, holder)
		if err != nil {
			return nil, err
		}
		if key := dna.String(); !dnaSeen[key] {
			dnaSeen[key] = true
			out = append(out, dna)
		}
		for i := range it.rank {
			if it.rank[i]+1 >= len(order[i]) {
				continue
			}
			next := slices.Clone(it.rank)
			next[i]++
			if key := rankKey(next); !seen[key] {
				seen[key] = true
				heap.Push(h, rankItem{rank: next, score: score(next)})
			}
		}
	}
	return out, nil
}

// deriveDNA builds the DNA of spec that takes choice[id] at each relaxed
// decision and holds the others.
func DeriveDNA(spec *space.DNASpec, choice map[string]int, holder Holder) (space.DNA, error) {
	children, err := derivePoints(spec.Points, choice, holder)
	if err != nil {
		return space.DNA{}, err
	}
	dna := space.DNA{Children: children}
	if err := spec.Validate(dna); err != nil {
		return space.DNA{}, fmt.Errorf("algorithms: darts: derived DNA: %w", err)
	}
	return dna, nil
}

func derivePoints(points []*space.DecisionPoint, choice map[string]int, holder Holder) ([]space.DNA, error) {
	var out []space.DNA
	for _, p := range points {
		if c, ok := choice[p.ID]; ok {
			kids, err := derivePoints(p.Candidates[c].Points, choice, holder)
			if err != nil {
				return nil, err
			}
			out = append(out, space.DNA{Value: float64(c), Children: kids})
			continue
		}
		if holder != nil {
			if v, ok := holder.Hold(p); ok {
				out = append(out, v.Clone())
				continue
			}
		}
		switch p.Kind {
		case space.KindOneOf:
			kids, err := derivePoints(p.Candidates[0].Points, choice, holder)
			if err != nil {
				return nil, err
			}
			out = append(out, space.DNA{Value: 0, Children: kids})
		case space.KindFloat, space.KindInt:
			out = append(out, space.DNA{Value: p.Min})
		default:
			return nil, fmt.Errorf("algorithms: darts: decision %s: a %s is neither relaxed nor held by the relaxation", p.ID, p.Kind)
		}
	}
	return out, nil
}

type rankItem struct {
	rank  []int
	score float64
}

type rankHeap []rankItem

func (h rankHeap) Len() int           { return len(h) }
func (h rankHeap) Less(i, j int) bool { return h[i].score > h[j].score }
func (h rankHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *rankHeap) Push(x any)        { *h = append(*h, x.(rankItem)) }
func (h *rankHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

func rankKey(r []int) string {
	var b strings.Builder
	for _, x := range r {
		b.WriteString(strconv.Itoa(x))
		b.WriteByte(',')
	}
	return b.String()
}
