package trainer_test

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/symbolic"
	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/checkpoint"
	"github.com/c2602f9e/goglove/trainer/nn"
)

// quantSaveProgram is a quantized model with a residual block, a layer
// kept in fp32 and an output layer of another format.
func quantSaveProgram(quant string) string {
	return `
_type: trainer.Classifier
data: {_type: trainer.Synthetic, train: 3000, validation: 500, test: 1000}
model:
  _type: trainer.Sequential
  quant: ` + quant + `
  layers:
  - {_type: trainer.Dense, units: 48}
  - {_type: trainer.ReLU}
  - {_type: trainer.Residual, body: [{_type: trainer.Dense, units: 48}, {_type: trainer.ReLU}]}
  - {_type: trainer.Dense, units: 24, quant: {_type: trainer.FP32}}
  - {_type: trainer.ReLU}
  - {_type: trainer.Dense, units: 10, bias: false}
optimizer: {_type: trainer.AdamW, lr: 0.01}
epochs: 4
batch: 64
seed: 2
`
}

// trainQuantSaved trains the program src and returns its metrics, the
// network and its checkpoint after a round trip through a file.
func trainQuantSaved(t *testing.T, src string, o trainer.CheckpointOptions) (map[string]float64, *nn.Sequential, *checkpoint.Checkpoint) {
	t.Helper()
	tree, err := newRegistry(t).DecodeYAML([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := symbolic.To[*trainer.Classifier](tree)
	if err != nil {
		t.Fatal(err)
	}
	m, net, err := trainer.TrainNetwork(context.Background(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	ckpt, err := trainer.NewCheckpointWith(tree, net, m, "v-test", o)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "model.safetensors")
	if err := checkpoint.WriteFile(path, ckpt); err != nil {
		t.Fatal(err)
	}
	back, err := checkpoint.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return m, net, back
}

// storedBits returns the bits of ckpt's tensors: 8 a U8 or I8 value, 32
// an F32 value.
func storedBits(ckpt *checkpoint.Checkpoint) int64 {
	var bits int64
	for _, tn := range ckpt.Tensors {
		if tn.Dtype == checkpoint.DtypeU8 || tn.Dtype == checkpoint.DtypeI8 {
			bits += 8 * int64(len(tn.Bytes))
		} else {
			bits += 32 * int64(len(tn.Data))
		}
	}
	return bits
}

// TestQuantCheckpointRoundTrip trains quantized models, saves them, and
// checks that the file stores codes and scales whose bits are size_bits,
// and that Evaluate on the file gives the training run's test figures bit
// for bit.
func TestQuantCheckpointRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		quant, codes string
		scales       int
	}{
		{"{_type: trainer.Ternary}", "U8", 1},
		{"{_type: trainer.Ternary, scale: absmedian}", "U8", 1},
		{"{_type: trainer.Int8}", "I8", 1},
		{"{_type: trainer.Int8, per: row, norm: true}", "I8", 48},
	} {
		t.Run(tc.quant, func(t *testing.T) {
			m, net, ckpt := trainQuantSaved(t, quantSaveProgram(tc.quant), trainer.CheckpointOptions{})
			t.Logf("test_accuracy %v size_bits %v bits_per_weight %v zeros %v", m["test_accuracy"], m["size_bits"], m["bits_per_weight"], m["zeros"])
			if m["test_accuracy"] < 0.85 {
				t.Errorf("test_accuracy %v, want ≥ 0.85", m["test_accuracy"])
			}
			shapes := map[string]string{}
			for _, tn := range ckpt.Tensors {
				dt := string(tn.Dtype)
				if dt == "" {
					dt = "F32"
				}
				shapes[tn.Name] = dt + shapeText(tn.Shape)
			}
			codesShape := func(in, out int) string {
				if tc.codes == "U8" {
					return "U8" + strconv.Itoa((in*out+4)/5)
				}
				return "I8" + strconv.Itoa(in) + "x" + strconv.Itoa(out)
			}
			want := map[string]string{
				"layers[0].w.codes": codesShape(64, 48), "layers[0].w.scales": "F32" + strconv.Itoa(min(tc.scales, 48)), "layers[0].b": "F32" + "48",
				"layers[2].body.layers[0].w.codes": codesShape(48, 48), "layers[2].body.layers[0].w.scales": "F32" + strconv.Itoa(min(tc.scales, 48)), "layers[2].body.layers[0].b": "F3248",
				"layers[3].w": "F3248x24", "layers[3].b": "F3224",
				"layers[5].w.codes": codesShape(24, 10), "layers[5].w.scales": "F32" + strconv.Itoa(min(tc.scales, 10)),
			}
			if len(shapes) != len(want) {
				t.Errorf("tensors %v, want %v", shapes, want)
			}
			for k, v := range want {
				if shapes[k] != v {
					t.Errorf("tensor %s: %q, want %q", k, shapes[k], v)
				}
			}
			if got := storedBits(ckpt); float64(got) != m["size_bits"] {
				t.Errorf("the checkpoint stores %d bits, size_bits is %v", got, m["size_bits"])
			}
			if tc.codes == "U8" {
				for _, tn := range ckpt.Tensors {
					if tn.Dtype != checkpoint.DtypeU8 {
						continue
					}
					n := map[string]int{"layers[0].w.codes": 64 * 48, "layers[2].body.layers[0].w.codes": 48 * 48, "layers[5].w.codes": 240}[tn.Name]
					codes := make([]int8, n)
					if err := nn.UnpackTernary(codes, tn.Bytes); err != nil {
						t.Fatal(err)
					}
					for _, c := range codes {
						if c < -1 || c > 1 {
							t.Fatalf("%s: code %d", tn.Name, c)
						}
					}
				}
			}
			ev, err := trainer.Evaluate(context.Background(), ckpt)
			if err != nil {
				t.Fatal(err)
			}
			if ev["test_accuracy"] != m["test_accuracy"] || ev["test_loss"] != m["test_loss"] {
				t.Errorf("evaluated from the file: accuracy %v loss %v; the training run: %v %v", ev["test_accuracy"], ev["test_loss"], m["test_accuracy"], m["test_loss"])
			}
			c, err := trainer.ProgramOf(ckpt)
			if err != nil {
				t.Fatal(err)
			}
			loaded, err := trainer.LoadNetwork(c, 64, 10, ckpt)
			if err != nil {
				t.Fatal(err)
			}
			a, b := nn.QuantLayers(net), nn.QuantLayers(loaded)
			for i := range a {
				if !slices.Equal(a[i].Codes(), b[i].Codes()) || !slices.Equal(a[i].Scales(), b[i].Scales()) || !slices.Equal(a[i].Weights(), b[i].Weights()) {
					t.Errorf("quantized layer %d: the loaded codes, scales or Ŵ differ from the trained ones", i)
				}
			}
		})
	}
}

func TestQuantCheckpointShadow(t *testing.T) {
	m, net, ckpt := trainQuantSaved(t, quantSaveProgram("{_type: trainer.Ternary}"), trainer.CheckpointOptions{Shadow: true})
	w := net.Param("layers[0].w").Value.Data
	var shadow *checkpoint.Tensor
	for i := range ckpt.Tensors {
		if ckpt.Tensors[i].Name == "layers[0].w" {
			shadow = &ckpt.Tensors[i]
		}
	}
	if shadow == nil || !slices.Equal(shadow.Data, w) {
		t.Fatal("the shadow weights layers[0].w are not stored")
	}
	if got := storedBits(ckpt); float64(got) <= m["size_bits"] {
		t.Errorf("with shadow weights the file stores %d bits, size_bits %v", got, m["size_bits"])
	}
	ev, err := trainer.Evaluate(context.Background(), ckpt)
	if err != nil {
		t.Fatal(err)
	}
	if ev["test_accuracy"] != m["test_accuracy"] || ev["test_loss"] != m["test_loss"] {
		t.Errorf("evaluated from the file with shadow weights: %v, the training run: %v", ev, m)
	}
	c, err := trainer.ProgramOf(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := trainer.LoadNetwork(c, 64, 10, ckpt)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(loaded.Param("layers[0].w").Value.Data, w) {
		t.Error("the loaded shadow weights differ")
	}
	// Shadow weights that do not give the stored codes are rejected.
	shadow.Data[0] += 10
	if _, err := trainer.LoadNetwork(c, 64, 10, ckpt); err == nil || !strings.Contains(err.Error(), `the shadow weights "layers[0].w" do not quantize to the stored codes`) {
		t.Errorf("tampered shadow weights: %v", err)
	}
}

func TestQuantCheckpointRejects(t *testing.T) {
	_, _, ckpt := trainQuantSaved(t, quantSaveProgram("{_type: trainer.Ternary}"), trainer.CheckpointOptions{})
	c, err := trainer.ProgramOf(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func(*checkpoint.Checkpoint)
		want   string
	}{
		{"codes missing", func(k *checkpoint.Checkpoint) {
			k.Tensors = slices.DeleteFunc(k.Tensors, func(tn checkpoint.Tensor) bool { return tn.Name == "layers[0].w.codes" })
		},
			`the codes "layers[0].w.codes" of the quantized parameter "layers[0].w" are missing`},
		{"scales missing", func(k *checkpoint.Checkpoint) {
			k.Tensors = slices.DeleteFunc(k.Tensors, func(tn checkpoint.Tensor) bool { return tn.Name == "layers[5].w.scales" })
		},
			`the scales "layers[5].w.scales" of the quantized parameter "layers[5].w" are missing`},
		{"codes of another size", func(k *checkpoint.Checkpoint) { tensorNamed(k, "layers[0].w.codes").Shape = []int{3} },
			`tensor "layers[0].w.codes" is U8 [3], want U8 [615]`},
		{"a byte beyond 3^5", func(k *checkpoint.Checkpoint) { tensorNamed(k, "layers[0].w.codes").Bytes[7] = 250 },
			`tensor "layers[0].w.codes": packed byte 7 is 250, want at most 242`},
		{"zero scale", func(k *checkpoint.Checkpoint) { tensorNamed(k, "layers[0].w.scales").Data[0] = 0 },
			`scale 0 is 0, want a positive finite value`},
		{"codes of an fp32 layer", func(k *checkpoint.Checkpoint) {
			k.Tensors = append(k.Tensors, checkpoint.Tensor{Name: "layers[3].w.codes", Shape: []int{1}, Dtype: checkpoint.DtypeU8, Bytes: []byte{0}})
		}, `tensor "layers[3].w.codes" is not a parameter of the model`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := cloneCheckpoint(ckpt)
			tc.change(k)
			_, err := trainer.LoadNetwork(c, 64, 10, k)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), trainer.ErrCheckpoint.Error()) {
				t.Errorf("err = %v, want ErrCheckpoint with %q", err, tc.want)
			}
		})
	}
}

func tensorNamed(k *checkpoint.Checkpoint, name string) *checkpoint.Tensor {
	for i := range k.Tensors {
		if k.Tensors[i].Name == name {
			return &k.Tensors[i]
		}
	}
	panic("no tensor " + name)
}

func cloneCheckpoint(k *checkpoint.Checkpoint) *checkpoint.Checkpoint {
	out := &checkpoint.Checkpoint{Metadata: k.Metadata}
	for _, tn := range k.Tensors {
		tn.Shape, tn.Data, tn.Bytes = slices.Clone(tn.Shape), slices.Clone(tn.Data), slices.Clone(tn.Bytes)
		out.Tensors = append(out.Tensors, tn)
	}
	return out
}

// shapeText writes a shape as 48x24.
func shapeText(shape []int) string {
	var parts []string
	for _, d := range shape {
		parts = append(parts, strconv.Itoa(d))
	}
	return strings.Join(parts, "x")
}
