package experiments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/plots"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// RunDarts runs the supernet phase of a job whose algorithm is darts
// (algorithm: {name: darts, …}) and does nothing for any other: it builds
// the job space's Supernet (of a trainer.Classifier's model, or of a
// trainer.FineTune's LoRA rank, method.rank), hands it to the algorithm, restores the
// checkpoint the algorithm's Checkpoint names when there is one, and
// trains the remaining epochs, logging one line per epoch with logf
// (nil: none), "darts: epoch 3/10: train loss 0.4204, val accuracy
// 0.8828, argmax [2, 2, 1]", and saving the checkpoint after each (written whole, then
// renamed, so a kill leaves the last complete epoch). Afterwards the job
// runs as any other: the algorithm proposes the derived programs as
// ordinary trials, trained from scratch by the objective. Run again on
// the same checkpoint, a finished phase is not repeated.
func RunDarts(ctx context.Context, job *search.Job, logf func(format string, args ...any)) error {
	d, ok := job.Algorithm.(*algorithms.Darts)
	if !ok {
		return nil
	}
	super, err := newRelaxation(ctx, job.Space)
	if err != nil {
		return err
	}
	d.Relaxation = super
	spec := job.Space.Spec()
	if err := d.Setup(spec); err != nil {
		return err
	}
	var history [][][]float64 // the logits after each epoch
	if d.Checkpoint != "" {
		ck, err := readDartsCheckpoint(d.Checkpoint)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return err
		default:
			if err := d.Restore(ck.State); err != nil {
				return fmt.Errorf("experiments: darts: checkpoint %s: %w", d.Checkpoint, err)
			}
			if err := super.Trainer().SetNetworkWeights(ck.Weights); err != nil {
				return fmt.Errorf("experiments: darts: checkpoint %s: %w", d.Checkpoint, err)
			}
			history = ck.Logits
			if logf != nil {
				logf("darts: resumed from %s after epoch %d", d.Checkpoint, ck.State.Epoch)
			}
		}
	}
	epochs := d.Epochs
	if epochs == 0 {
		epochs = 20
	}
	d.OnEpoch = func(_ context.Context, e algorithms.DartsEpoch) error {
		history = append(history, e.State.Alpha)
		if logf != nil {
			acc := "-"
			if !math.IsNaN(e.ValAccuracy) {
				acc = fmt.Sprintf("%.4f", e.ValAccuracy)
			}
			logf("darts: epoch %d/%d: train loss %.4f, val accuracy %s, argmax %s",
				e.Epoch, epochs, e.TrainLoss, acc, spec.Format(e.Argmax))
		}
		if d.Checkpoint == "" {
			return nil
		}
		return writeDartsCheckpoint(d.Checkpoint, dartsCheckpoint{State: e.State, Logits: history, Weights: super.Trainer().Weights(), Probabilities: e.Probabilities})
	}
	if err := d.Search(ctx); err != nil {
		return err
	}
	if d.Plot == "" {
		return nil
	}
	if err := plots.Save(DartsLogitsChart(spec, d.Decisions(), history), d.Plot); err != nil {
		return fmt.Errorf("experiments: darts: plot: %w", err)
	}
	return nil
}

// DartsLogitsChart draws the architecture logits over the epochs: a line
// per candidate of each relaxed decision, named "ID=candidate";
// history[e][i][k] is candidate k of decision i after epoch e+1.
func DartsLogitsChart(spec *space.DNASpec, decs []algorithms.RelaxedDecision, history [][][]float64) plots.Chart {
	var series []plots.Named
	for i, dec := range decs {
		p, _ := spec.Lookup(dec.ID)
		for k := range dec.Candidates {
			label := strconv.Itoa(k)
			if p != nil && k < len(p.Candidates) {
				label = candidateLabel(p.Candidates[k].Value, k)
			}
			s := plots.Named{Name: dec.ID + "=" + label}
			for e, logits := range history {
				if i < len(logits) && k < len(logits[i]) {
					s.Points = append(s.Points, plots.XY{X: float64(e + 1), Y: logits[i][k]})
				}
			}
			series = append(series, s)
		}
	}
	return plots.Lines("darts: architecture logits", "epoch", "logit", series...)
}

// candidateLabel names a candidate in a legend: a scalar as written, an
// object by its type (trainer.Dense), else its index.
func candidateLabel(v symbolic.Value, k int) string {
	switch x := v.(type) {
	case *symbolic.Object:
		return strings.TrimPrefix(x.Type().Name(), "trainer.")
	case nil:
		return strconv.Itoa(k)
	}
	if v.Kind() == symbolic.KindList || v.Kind() == symbolic.KindDict {
		return strconv.Itoa(k)
	}
	return v.String()
}

// dartsCheckpoint is the file of a supernet phase after an epoch.
type dartsCheckpoint struct {
	State algorithms.DartsState `json:"state"`
	// Logits holds the logits after each epoch so far, for the plot.
	Logits        [][][]float64        `json:"logits"`
	Probabilities [][]float64          `json:"probabilities"`
	Weights       map[string][]float32 `json:"weights"`
}

func readDartsCheckpoint(path string) (dartsCheckpoint, error) {
	var ck dartsCheckpoint
	b, err := os.ReadFile(path)
	if err != nil {
		return ck, err
	}
	if err := json.Unmarshal(b, &ck); err != nil {
		return ck, fmt.Errorf("experiments: darts: checkpoint %s: %w", path, err)
	}
	return ck, nil
}

func writeDartsCheckpoint(path string, ck dartsCheckpoint) error {
	b, err := json.Marshal(ck)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("experiments: darts: checkpoint: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("experiments: darts: checkpoint: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("experiments: darts: checkpoint: %w", err)
	}
	return os.Rename(tmp.Name(), path)
}
