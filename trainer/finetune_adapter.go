package trainer

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// KeyAdapter is the metadata key of an adapter file: a JSON object with
// the method ("lora"), rank, alpha, rslora, gamma, the targets' key
// paths and the head's.
const KeyAdapter = "goglove.adapter"

// Adapter is what a LoRA fine-tune trained, apart from its base: each
// target's factors A ("layers[i].lora_a", Rank×in) and B
// ("layers[i].lora_b", out×Rank) and, when they trained, its bias
// ("layers[i].b"), and the head's weights ("layers[h].w", in×out as
// nn.Dense stores them, and "layers[h].b"). Applied to the base it gives
// the fine-tuned network. It is small: a rank-r adapter of a 784-256-256
// trunk holds r·(784+256+256+256) values besides the biases and head.
type Adapter struct {
	Rank    int
	Alpha   float64
	RSLoRA  bool
	Gamma   float64
	Targets []string // the targets' key paths, "layers[0]"
	Head    string   // the head's key path
	// Tensors are the adapter's values, named as above.
	Tensors []checkpoint.Tensor
}

// adapterMeta is the JSON of KeyAdapter.
type adapterMeta struct {
	Method  string   `json:"method"`
	Rank    int      `json:"rank"`
	Alpha   float64  `json:"alpha"`
	RSLoRA  bool     `json:"rslora"`
	Gamma   float64  `json:"gamma"`
	Targets []string `json:"targets"`
	Head    string   `json:"head"`
}

// newAdapter copies the trained adapter of s (the method l) out of its
// network.
func newAdapter(l LoRA, s *setup) *Adapter {
	a := &Adapter{Rank: l.Rank, Alpha: l.Alpha, RSLoRA: l.RSLoRA, Gamma: l.Gamma(), Head: layerPath(len(s.net.Layers) - 1)}
	add := func(name string, p *nn.Param) {
		a.Tensors = append(a.Tensors, checkpoint.Tensor{Name: name, Shape: slices.Clone(p.Value.Shape), Data: slices.Clone(p.Value.Data)})
	}
	for _, i := range s.targets {
		path := layerPath(i)
		a.Targets = append(a.Targets, path)
		for _, p := range s.net.Layers[i].Params() {
			add(path+"."+p.Name, p)
		}
	}
	for _, p := range s.net.Layers[len(s.net.Layers)-1].Params() {
		add(a.Head+"."+p.Name, p)
	}
	return a
}

// Checkpoint returns the adapter as a checkpoint: its tensors and the
// KeyAdapter metadata.
func (a *Adapter) Checkpoint() (*checkpoint.Checkpoint, error) {
	meta, err := json.Marshal(adapterMeta{Method: "lora", Rank: a.Rank, Alpha: a.Alpha, RSLoRA: a.RSLoRA, Gamma: a.Gamma, Targets: a.Targets, Head: a.Head})
	if err != nil {
		return nil, fmt.Errorf("trainer: adapter: %w", err)
	}
	return &checkpoint.Checkpoint{Tensors: a.Tensors, Metadata: map[string]string{KeyAdapter: string(meta)}}, nil
}

// WriteFile writes the adapter to a safetensors file at path.
func (a *Adapter) WriteFile(path string) error {
	ckpt, err := a.Checkpoint()
	if err != nil {
		return err
	}
	if err := checkpoint.WriteFile(path, ckpt); err != nil {
		return fmt.Errorf("trainer: adapter: %w", err)
	}
	return nil
}

// ReadAdapter reads an adapter file WriteFile wrote. Errors name the
// file and, for a file that is not an adapter, what is missing.
func ReadAdapter(path string) (*Adapter, error) {
	ckpt, err := checkpoint.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("trainer: adapter: %w", err)
	}
	a, err := AdapterOf(ckpt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

// AdapterOf returns the adapter a checkpoint holds. Errors wrap
// ErrCheckpoint.
func AdapterOf(ckpt *checkpoint.Checkpoint) (*Adapter, error) {
	text, ok := ckpt.Metadata[KeyAdapter]
	if !ok {
		return nil, fmt.Errorf("%w: no %s metadata: not an adapter", ErrCheckpoint, KeyAdapter)
	}
	var m adapterMeta
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCheckpoint, KeyAdapter, err)
	}
	if m.Method != "lora" || m.Rank < 1 {
		return nil, fmt.Errorf("%w: %s: want method lora and a rank ≥ 1, got %q and %d", ErrCheckpoint, KeyAdapter, m.Method, m.Rank)
	}
	if math.IsNaN(m.Gamma) || math.IsInf(m.Gamma, 0) {
		return nil, fmt.Errorf("%w: %s: gamma: want a finite number, got %v", ErrCheckpoint, KeyAdapter, m.Gamma)
	}
	return &Adapter{Rank: m.Rank, Alpha: m.Alpha, RSLoRA: m.RSLoRA, Gamma: m.Gamma, Targets: m.Targets, Head: m.Head, Tensors: ckpt.Tensors}, nil
}

// Apply returns base's network with the adapter merged into its targets
// (W = W0 + γ·B·A) and the adapter's biases and head in place; base is
// not modified. The tensors must fit base's layers: an error, wrapping
// ErrCheckpoint, names the first that does not.
func (a *Adapter) Apply(base *Trained) (*nn.Sequential, error) {
	net, err := cloneNetwork(base)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*checkpoint.Tensor, len(a.Tensors))
	for i := range a.Tensors {
		byName[a.Tensors[i].Name] = &a.Tensors[i]
	}
	get := func(name string, shape ...int) ([]float32, error) {
		t, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("%w: adapter: tensor %q is missing", ErrCheckpoint, name)
		}
		if !slices.Equal(t.Shape, shape) || t.Dtype != "" || len(t.Data) != t.Len() {
			return nil, fmt.Errorf("%w: adapter: tensor %q has shape %v, want %v of F32", ErrCheckpoint, name, t.Shape, shape)
		}
		delete(byName, name)
		return t.Data, nil
	}
	layers := slices.Clone(net.Layers)
	for _, path := range a.Targets {
		i, d, err := denseAt(layers, path)
		if err != nil {
			return nil, err
		}
		if a.Rank > min(d.In, d.Out) {
			return nil, fmt.Errorf("%w: adapter: rank %d does not fit %s, a %d→%d layer", ErrCheckpoint, a.Rank, path, d.In, d.Out)
		}
		l := nn.NewLoRA(d, a.Rank, a.Gamma, false, nn.NewRand(0, 0))
		A, err := get(path+".lora_a", a.Rank, d.In)
		if err != nil {
			return nil, err
		}
		B, err := get(path+".lora_b", d.Out, a.Rank)
		if err != nil {
			return nil, err
		}
		copy(l.A.Value.Data, A)
		copy(l.B.Value.Data, B)
		m := l.Merged()
		if _, ok := byName[path+".b"]; ok {
			b, err := get(path+".b", d.Out)
			if err != nil {
				return nil, err
			}
			copy(m.B.Value.Data, b)
		}
		layers[i] = m
	}
	i, d, err := denseAt(layers, a.Head)
	if err != nil {
		return nil, err
	}
	w, ok := byName[a.Head+".w"]
	if !ok || len(w.Shape) != 2 || w.Shape[0] != d.In || w.Shape[1] < 1 {
		return nil, fmt.Errorf("%w: adapter: head %s.w missing or not %d×classes", ErrCheckpoint, a.Head, d.In)
	}
	head := nn.NewDense(d.In, w.Shape[1], nn.GlorotUniform, nn.NewRand(0, 0))
	hw, err := get(a.Head+".w", d.In, head.Out)
	if err != nil {
		return nil, err
	}
	hb, err := get(a.Head+".b", head.Out)
	if err != nil {
		return nil, err
	}
	copy(head.W.Value.Data, hw)
	copy(head.B.Value.Data, hb)
	layers[i] = head
	for name := range byName {
		return nil, fmt.Errorf("%w: adapter: tensor %q belongs to no target", ErrCheckpoint, name)
	}
	return nn.NewSequential(layers...), nil
}

// denseAt returns the dense layer at the key path "layers[i]".
func denseAt(layers []nn.Layer, path string) (int, *nn.Dense, error) {
	var i int
	if _, err := fmt.Sscanf(path, "layers[%d]", &i); err != nil || path != layerPath(i) || i < 0 || i >= len(layers) {
		return 0, nil, fmt.Errorf("%w: adapter: %q is not a layer of the base (layers[0] to layers[%d])", ErrCheckpoint, path, len(layers)-1)
	}
	d, ok := layers[i].(*nn.Dense)
	if !ok {
		return 0, nil, fmt.Errorf("%w: adapter: %s is a %T, want a dense layer", ErrCheckpoint, path, layers[i])
	}
	return i, d, nil
}
