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

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/search"
)

// RunDarts runs the supernet phase of a job whose algorithm is darts
// (algorithm: {name: darts, …}) and does nothing for any other: it builds
// the job space's Supernet, hands it to the algorithm, restores the
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
	super, err := NewSupernet(job.Space)
	if err != nil {
		return err
	}
	d.Relaxation = super
	spec := job.Space.Spec()
	if err := d.Setup(spec); err != nil {
		return err
	}
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
		return writeDartsCheckpoint(d.Checkpoint, dartsCheckpoint{State: e.State, Weights: super.Trainer().Weights(), Probabilities: e.Probabilities})
	}
	return d.Search(ctx)
}

// dartsCheckpoint is the file of a supernet phase after an epoch.
type dartsCheckpoint struct {
	State         algorithms.DartsState `json:"state"`
	Probabilities [][]float64           `json:"probabilities"`
	Weights       map[string][]float32  `json:"weights"`
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
