package trainer

import (
	"context"
	"fmt"

	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

// Checkpoint is a trained model read from a safetensors file that
// goglove train --save (or NewCheckpoint and checkpoint.WriteFile) wrote:
// a ModelProgram that trains nothing. Path is taken as given, relative to
// the working directory. As a stage's input it stands where a
// Classifier would:
//
//	model: {_type: trainer.Checkpoint, path: model.safetensors}
type Checkpoint struct {
	Path string `sym:",required" doc:"the safetensors file of a trained model (goglove train --save), relative to the working directory"`
}

// Run evaluates the saved model on its own program's test set, as
// Evaluate does: the figures equal those of the run that trained it.
func (c Checkpoint) Run(ctx context.Context, _ *Env) (map[string]float64, error) {
	ckpt, err := c.read()
	if err != nil {
		return nil, err
	}
	return Evaluate(ctx, ckpt)
}

// TrainedModel reads the file and rebuilds the trained network from the program
// in its metadata (ProgramOf, LoadNetwork); its Metrics are those the
// file records.
func (c Checkpoint) TrainedModel(ctx context.Context, _ *Env) (*Trained, error) {
	ckpt, err := c.read()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return trainedFrom(ckpt)
}

// read reads the file; its errors name the path.
func (c Checkpoint) read() (*checkpoint.Checkpoint, error) {
	if c.Path == "" {
		return nil, fmt.Errorf("%w: path: want a safetensors file, got an empty path", ErrProgram)
	}
	ckpt, err := checkpoint.ReadFile(c.Path)
	if err != nil {
		return nil, fmt.Errorf("trainer: %w", err) // names the file
	}
	return ckpt, nil
}

// trainedFrom rebuilds the network of ckpt and returns it with the
// metrics ckpt records.
func trainedFrom(ckpt *checkpoint.Checkpoint) (*Trained, error) {
	c, err := ProgramOf(ckpt)
	if err != nil {
		return nil, err
	}
	t, _, err := loadTrained(c, ckpt)
	if err != nil {
		return nil, err
	}
	if t.Metrics, err = MetricsOf(ckpt); err != nil {
		return nil, err
	}
	return t, nil
}
