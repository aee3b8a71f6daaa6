package space

import (
	"strconv"

	"github.com/c2602f9e/goglove/symbolic"
)

// Column is one column of a table of DNA, one row per DNA: a decision
// point, or one slot of a ManyOf or Permutation.
type Column struct {
	// Name is the column's name: the point's ID (its key path in the
	// space), followed by #i for the i-th chosen candidate of a ManyOf or
	// a Permutation (layers#0, layers#1).
	Name string
	// Point is the decision point.
	Point *DecisionPoint
	// Slot is the slot of a ManyOf or a Permutation, else -1.
	Slot int
}

// Cell is the value of one Column for one DNA.
type Cell struct {
	// Index is the chosen candidate's index for a choice, -1 for a Float
	// or an Int.
	Index int
	// Number is the value of a Float or an Int, the index of a choice.
	Number float64
	// Text is the value as text: the chosen candidate as written (in
	// YAML's flow form, a string bare: relu, [16], {_type: trainer.SGD,
	// lr: 0.05}), or the number.
	Text string
}

// Columns returns the columns of a table of DNA: each decision point
// depth first (All's order), a ManyOf or Permutation as one column per
// slot. A conditional decision's column is empty in the rows of DNA that
// do not choose its candidate.
func (s *DNASpec) Columns() []Column {
	var out []Column
	for _, p := range s.all {
		switch p.Kind {
		case KindManyOf, KindPermutation:
			for i := 0; i < p.K; i++ {
				out = append(out, Column{Name: p.ID + "#" + strconv.Itoa(i), Point: p, Slot: i})
			}
		default:
			out = append(out, Column{Name: p.ID, Point: p, Slot: -1})
		}
	}
	return out
}

// Row returns the cells of d, by column name (see Columns): the active
// decisions only, so a conditional decision whose candidate d does not
// choose has no cell. d should be valid for s; decisions it lacks, or
// whose index names no candidate, are left out.
func (s *DNASpec) Row(d DNA) map[string]Cell {
	out := make(map[string]Cell, len(s.all))
	addRow(out, s.Points, d.Children)
	return out
}

func addRow(out map[string]Cell, points []*DecisionPoint, ds []DNA) {
	for i, p := range points {
		if i >= len(ds) {
			return
		}
		d := ds[i]
		switch p.Kind {
		case KindOneOf:
			c := candidateOf(p, d)
			if c == nil {
				continue
			}
			out[p.ID] = choiceCell(c, d.Value)
			addRow(out, c.Points, d.Children)
		case KindManyOf, KindPermutation:
			for slot, sd := range d.Children {
				c := candidateOf(p, sd)
				if c == nil {
					continue
				}
				out[p.ID+"#"+strconv.Itoa(slot)] = choiceCell(c, sd.Value)
				addRow(out, c.Points, sd.Children)
			}
		case KindInt:
			out[p.ID] = Cell{Index: -1, Number: d.Value, Text: strconv.FormatInt(int64(d.Value), 10)}
		default:
			out[p.ID] = Cell{Index: -1, Number: d.Value, Text: strconv.FormatFloat(d.Value, 'g', -1, 64)}
		}
	}
}

func choiceCell(c *Candidate, index float64) Cell {
	return Cell{Index: int(index), Number: index, Text: CandidateText(c)}
}

// CandidateText returns a candidate as written, in YAML's flow form, a
// string bare (relu, not "relu"), its hyper-values in their tag form.
func CandidateText(c *Candidate) string {
	if s, ok := c.Value.(symbolic.String); ok {
		return string(s)
	}
	return c.Value.String()
}
