package experiments_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/c2602f9e/goglove/experiments"
	"github.com/c2602f9e/goglove/trainer/merge"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/")

// figureResults are small results of each experiment, made by hand: rows
// out of order, learning rates to choose among, a front, spectra.
func figureResults() (bitnet []experiments.BitNetRow, lmc *experiments.LMCResult, lora *experiments.LoRAResult, hw *experiments.HardwareResult) {
	bitnet = []experiments.BitNetRow{
		{Mode: "absmean", Width: 128, LR: 1e-3, TestAccuracy: 0.85, SizeBits: 2e5},
		{Mode: "fp32", Width: 128, LR: 1e-3, TestAccuracy: 0.88, SizeBits: 4e6},
		{Mode: "fp32", Width: 64, LR: 3e-3, TestAccuracy: 0.87, SizeBits: 2e6},
		{Mode: "fp32", Width: 64, LR: 1e-3, TestAccuracy: 0.86, SizeBits: 2e6},
		{Mode: "absmean", Width: 64, LR: 1e-3, TestAccuracy: 0.80, SizeBits: 1e5},
		{Mode: "absmean", Width: 64, LR: 3e-3, TestAccuracy: 0.83, SizeBits: 1e5},
	}
	path := func(mid float64) []merge.PathPoint {
		return []merge.PathPoint{{Lambda: 0, Loss: 0.3, Accuracy: 0.89}, {Lambda: 0.5, Loss: mid, Accuracy: 0.9 - mid/4}, {Lambda: 1, Loss: 0.31, Accuracy: 0.88}}
	}
	lmc = &experiments.LMCResult{Paths: experiments.LMCPaths{Naive: path(1.2), WM: path(0.4), STE: path(0.35), AM: path(0.45)}}
	lora = &experiments.LoRAResult{
		Runs: []experiments.LoRARow{
			{Method: "null", Intruders: 0, Layers: []experiments.LoRALayerRow{{Layer: "layers[0]", BaseSpectrum: []float64{3, 2, 1}, TunedSpectrum: []float64{3, 2, 1}}}},
			{Method: "full", Intruders: 1, Layers: []experiments.LoRALayerRow{{Layer: "layers[0]", BaseSpectrum: []float64{3, 2, 1}, TunedSpectrum: []float64{3.1, 2.2, 1.5}}}},
			{Method: "lora", Rank: 8, Alpha: 16, Intruders: 4},
			{Method: "lora", Rank: 1, Alpha: 2, Intruders: 2},
			{Method: "lora", Rank: 8, Alpha: 8, RSLoRA: true, Intruders: 1},
			{Method: "lora", Rank: 1, Alpha: 8, RSLoRA: true, Intruders: 3},
		},
		Stages: []experiments.LoRAStageRow{
			{Sequence: "full", Stage: 1, Task: "rot90", OrigAccuracy: 0.5, FirstAccuracy: 0.8},
			{Sequence: "full", Stage: 2, Task: "flip", OrigAccuracy: 0.4, FirstAccuracy: 0.6},
			{Sequence: "lora r=1 α=2", Stage: 1, Task: "rot90", OrigAccuracy: 0.7, FirstAccuracy: 0.7},
			{Sequence: "lora r=1 α=2", Stage: 2, Task: "flip", OrigAccuracy: 0.65, FirstAccuracy: 0.66},
		},
	}
	hw = &experiments.HardwareResult{Front: []experiments.HardwarePoint{
		{Kernel: "ternary", LatencyUS: 0.8, ValAccuracy: 0.80, TestAccuracy: 0.79},
		{Kernel: "int8", LatencyUS: 1.5, ValAccuracy: 0.84, TestAccuracy: 0.83},
		{Kernel: "fp32", LatencyUS: 6, ValAccuracy: 0.86, TestAccuracy: 0.85},
	}}
	return
}

// TestFigureSeries compares the series each experiment plots with
// testdata/figures.golden.json (go test -run TestFigureSeries -update
// rewrites it).
func TestFigureSeries(t *testing.T) {
	bitnet, lmc, lora, hw := figureResults()
	orig, first := experiments.LoRAForgettingSeries(lora.Stages)
	got := map[string]any{
		"bitnet_size":       experiments.BitNetSizeSeries(bitnet),
		"bitnet_width":      experiments.BitNetWidthSeries(bitnet),
		"lmc_loss":          experiments.LMCLossSeries(lmc.Paths),
		"lmc_accuracy":      experiments.LMCAccuracySeries(lmc.Paths),
		"lora_spectrum":     experiments.LoRASpectrumSeries(lora.Runs[1]),
		"lora_intruders":    experiments.LoRAIntruderSeries(lora.Runs),
		"lora_forget_orig":  orig,
		"lora_forget_first": first,
		"hardware_front":    experiments.HardwareFrontSeries(hw),
	}
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	golden := filepath.Join("testdata", "figures.golden.json")
	if *update {
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("the series differ from %s (go test -run TestFigureSeries -update rewrites it):\n%s", golden, b)
	}
}

// TestFigureProperties checks what the golden file shows in rules: the
// best run per width, sorted by x; full fine-tuning spans the ranks.
func TestFigureProperties(t *testing.T) {
	bitnet, _, lora, _ := figureResults()
	for _, s := range experiments.BitNetSizeSeries(bitnet) {
		for i := 1; i < len(s.Points); i++ {
			if s.Points[i].X < s.Points[i-1].X {
				t.Errorf("%s: points not sorted by size: %v", s.Name, s.Points)
			}
		}
		if s.Name == "absmean" && s.Points[0].Y != 0.83 {
			t.Errorf("absmean at H=64: %v, want the best learning rate's 0.83", s.Points[0].Y)
		}
	}
	in := experiments.LoRAIntruderSeries(lora.Runs)
	if n := len(in); n != 3 || in[2].Name != "full" || in[2].Points[0].X != 1 || in[2].Points[1].X != 8 {
		t.Errorf("intruder series %+v: want LoRA, rsLoRA and full from rank 1 to 8", in)
	}
	if got := experiments.LoRAIntruderSeries(nil); len(got) != 0 {
		t.Errorf("no runs: %v, want no series", got)
	}
}

// TestSaveFigures writes every experiment's figures and checks that each
// file is a well-formed SVG document.
func TestSaveFigures(t *testing.T) {
	bitnet, lmc, lora, hw := figureResults()
	dir := t.TempDir()
	for name, figs := range map[string][]experiments.Figure{
		"bitnet":   experiments.BitNetFigures(bitnet),
		"lmc":      experiments.LMCFigures(lmc),
		"lora":     experiments.LoRAFigures(lora),
		"hardware": experiments.HardwareFigures(hw),
		"empty":    experiments.HardwareFigures(&experiments.HardwareResult{}),
	} {
		t.Run(name, func(t *testing.T) {
			sub := filepath.Join(dir, name)
			if err := os.Mkdir(sub, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := experiments.SaveFigures(sub, figs); err != nil {
				t.Fatal(err)
			}
			for _, f := range figs {
				checkSVGFile(t, filepath.Join(sub, f.File))
			}
		})
	}
}

// checkSVGFile fails unless the file is well-formed XML whose root
// element is svg.
func checkSVGFile(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: not well-formed XML: %v", path, err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Fatalf("%s: root element %q, want svg", path, root)
	}
}
