package trainer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"

	"github.com/c2602f9e/goglove/trainer/nn"
)

// FineTuneMethod is how a FineTune changes its base's target layers:
// trainer.Full trains their weights directly, trainer.LoRA trains a
// low-rank adapter over each. Implementations are registered program
// types.
type FineTuneMethod interface {
	// TargetPatterns returns the method's targets: key paths of the
	// network's layers ("layers[2]") or patterns ("layers[*]"); none
	// means every hidden dense layer.
	TargetPatterns() []string
	// Adapt returns the layer that trains in place of the target d (at
	// the key path path), drawing any initialization from rng: d itself
	// to train it directly, an adapter over it otherwise. The layer's
	// parameters are those that train.
	Adapt(d *nn.Dense, path string, rng *rand.Rand) (nn.Layer, error)
}

// Full is full fine-tuning: every weight and bias of the target layers
// trains (and the head), the other layers stay frozen.
type Full struct {
	Targets []string `doc:"the layers that train: key paths (layers[2]) or patterns (layers[*]); empty: every hidden dense layer"`
}

// TargetPatterns returns f.Targets.
func (f Full) TargetPatterns() []string { return f.Targets }

// Adapt returns d: its weights train as they are.
func (Full) Adapt(d *nn.Dense, _ string, _ *rand.Rand) (nn.Layer, error) { return d, nil }

// LoRA is low-rank adaptation (Hu et al. 2021): each target's weights
// W0 stay frozen and W = W0 + γ·B·A trains, A (Rank×in) uniform in
// ±1/√in and B (out×Rank) zero at the start, γ = Alpha/Rank, or
// Alpha/√Rank with RSLoRA (rank-stabilized, Kalajdzievski 2023). Bias
// makes the targets' biases train too. After training the update is
// merged into the weights (nn.LoRA.Merged); the adapter itself is kept
// apart as well (FineTuned.Adapter).
type LoRA struct {
	Rank    int      `min:"1" max:"65536" default:"8" doc:"the adapter's rank r"`
	Alpha   float64  `min:"1e-9" max:"1e9" default:"16" doc:"the scale's numerator α: γ = α/r, or α/√r with rslora"`
	RSLoRA  bool     `sym:"rslora" doc:"rank-stabilized scaling, γ = α/√r"`
	Bias    bool     `default:"true" doc:"train the target layers' biases as well"`
	Targets []string `doc:"the adapted layers: key paths (layers[2]) or patterns (layers[*]); empty: every hidden dense layer"`
}

// TargetPatterns returns l.Targets.
func (l LoRA) TargetPatterns() []string { return l.Targets }

// Gamma returns the adapter's scale γ.
func (l LoRA) Gamma() float64 { return nn.LoRAScale(l.Alpha, l.Rank, l.RSLoRA) }

// Adapt returns a rank-Rank adapter over d. A rank above min(in, out) of
// d, or a scale that is not a positive number, is an ErrProgram error at
// method.rank or method.alpha.
func (l LoRA) Adapt(d *nn.Dense, path string, rng *rand.Rand) (nn.Layer, error) {
	if l.Rank < 1 || l.Rank > min(d.In, d.Out) {
		return nil, fmt.Errorf("%w: method.rank: %d does not fit %s, a %d→%d layer; want 1 to %d", ErrProgram, l.Rank, path, d.In, d.Out, min(d.In, d.Out))
	}
	if g := l.Gamma(); !(g > 0) || math.IsInf(g, 0) {
		return nil, fmt.Errorf("%w: method.alpha: want a positive number, got %v", ErrProgram, l.Alpha)
	}
	return nn.NewLoRA(d, l.Rank, l.Gamma(), l.Bias, rng), nil
}

// hiddenDense returns the indices of net's top-level dense layers but
// the last layer (the head): the layers a fine-tune may target.
func hiddenDense(net *nn.Sequential) []int {
	var out []int
	for i, l := range net.Layers[:max(len(net.Layers)-1, 0)] {
		if _, ok := l.(*nn.Dense); ok {
			out = append(out, i)
		}
	}
	return out
}

// layerPath is the key path of the i-th layer of a network.
func layerPath(i int) string { return "layers[" + strconv.Itoa(i) + "]" }

// resolveTargets returns the indices, ascending, of the layers of net
// that patterns select among its hidden dense layers (all of them when
// patterns is empty). A pattern is a key path, "layers[2]", in which
// "[*]" stands for any index ("layers[*]"), or "*" alone for every
// hidden dense layer. A pattern that selects nothing is an ErrProgram
// error naming it at method.targets[i], the head and layers that are not
// dense included.
func resolveTargets(net *nn.Sequential, patterns []string) ([]int, error) {
	hidden := hiddenDense(net)
	if len(patterns) == 0 {
		if len(hidden) == 0 {
			return nil, fmt.Errorf("%w: method.targets: the base network has no fp32 hidden dense layer to fine-tune (quantized layers stay frozen; keep one in fp32, e.g. with the model's fp32_first)", ErrProgram)
		}
		return hidden, nil
	}
	chosen := make(map[int]bool)
	for i, p := range patterns {
		re, err := targetPattern(p)
		if err != nil {
			return nil, fmt.Errorf("%w: method.targets[%d]: %v", ErrProgram, i, err)
		}
		n := 0
		for _, j := range hidden {
			if re.MatchString(layerPath(j)) {
				chosen[j] = true
				n++
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("%w: method.targets[%d]: %q selects no hidden dense layer; want one of %s (the head, %s, and quantized layers are never targets)",
				ErrProgram, i, p, pathList(hidden), layerPath(len(net.Layers)-1))
		}
	}
	var out []int
	for _, j := range hidden {
		if chosen[j] {
			out = append(out, j)
		}
	}
	return out, nil
}

var targetSyntax = regexp.MustCompile(`^(\*|layers\[(\d+|\*)\])$`)

// targetPattern compiles a target pattern.
func targetPattern(p string) (*regexp.Regexp, error) {
	if !targetSyntax.MatchString(p) {
		return nil, fmt.Errorf("%q is not a layer's key path; want layers[N], layers[*] or *", p)
	}
	if p == "*" {
		return regexp.MustCompile(`.`), nil
	}
	return regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(p), `\[\*\]`, `\[\d+\]`) + "$"), nil
}

// pathList is "layers[0], layers[2]".
func pathList(idx []int) string {
	s := make([]string, len(idx))
	for i, j := range idx {
		s[i] = layerPath(j)
	}
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
