package experiments_test

import (
	"strings"
	"testing"

	"github.com/c2602f9e/goglove/experiments"
)

// row is a hand-made result.
func row(mode experiments.BitNetMode, width int, lr, wd, acc, zeros float64) experiments.BitNetRow {
	return experiments.BitNetRow{Mode: mode, Width: width, LR: lr, WeightDecay: wd, Epochs: 5, TestAccuracy: acc, Zeros: zeros}
}

const (
	fp32      = experiments.BitNetFP32
	absmean   = experiments.BitNetAbsMean
	absmedian = experiments.BitNetAbsMedian
)

// supporting are rows that bear every claim out: ternary at 2H is within
// half a point of fp32 at H (at its best learning rate), the median
// leaves fewer zeros in every run and matches the mean.
var supporting = []experiments.BitNetRow{
	row(fp32, 64, 1e-3, 0, 0.8800, 0),
	row(fp32, 64, 3e-3, 0, 0.8700, 0),
	row(fp32, 128, 1e-3, 0, 0.8900, 0),
	row(absmean, 64, 1e-3, 0, 0.8500, 0.34),
	row(absmedian, 64, 1e-3, 0, 0.8510, 0.27),
	row(absmean, 128, 1e-3, 0, 0.8700, 0.33),
	row(absmean, 128, 3e-3, 0, 0.8760, 0.35), // the best lr: 0.40 points below fp32 at 64
	row(absmedian, 128, 1e-3, 0, 0.8790, 0.26),
	row(absmedian, 128, 3e-3, 0, 0.8600, 0.25),
}

// against are rows that bear no claim out: ternary at 2H is far below,
// the median leaves more zeros and loses to the mean.
var against = []experiments.BitNetRow{
	row(fp32, 64, 1e-3, 0, 0.8800, 0),
	row(absmean, 128, 1e-3, 0, 0.8600, 0.30),
	row(absmedian, 128, 1e-3, 0, 0.8400, 0.31),
	row(absmean, 64, 1e-3, 0, 0.8500, 0.30),
	row(absmedian, 64, 1e-3, 0, 0.8300, 0.32),
}

func checks(t *testing.T, rows []experiments.BitNetRow) []experiments.Check {
	t.Helper()
	c := experiments.CheckBitNet(rows)
	if len(c) != 4 {
		t.Fatalf("%d checks, want 4", len(c))
	}
	return c
}

func TestCheckBitNetSupporting(t *testing.T) {
	c := checks(t, supporting)
	want := []experiments.Verdict{experiments.VerdictYes, experiments.VerdictYes, experiments.VerdictYes, experiments.VerdictUntested}
	for i, w := range want {
		if c[i].Verdict != w {
			t.Errorf("check %d (%s): %s, want %s: %s %q", i+1, c[i].Question, c[i].Verdict, w, c[i].Answer, c[i].Cases)
		}
	}
	// fp32 at 64 against absmean and absmedian at 128 (fp32 at 128 has no
	// 256 to meet).
	if len(c[0].Cases) != 2 || !strings.Contains(c[0].Cases[0], "absmean at 2H=128 (lr 0.003) 87.60% vs fp32 at H=64 (lr 0.001) 88.00%, wd 0: -0.40 points, at most 0.5 below: yes") {
		t.Errorf("double-width cases %q", c[0].Cases)
	}
	if !strings.Contains(c[0].Answer, "in all 2 comparisons") || !strings.Contains(c[0].Answer, "-0.40 points") {
		t.Errorf("double-width answer %q", c[0].Answer)
	}
	// Four pairs of runs of the same width, lr and weight decay.
	if len(c[1].Cases) != 3 || !strings.Contains(c[1].Answer, "in all 3 runs") {
		t.Errorf("zeros: %q %q", c[1].Answer, c[1].Cases)
	}
	if len(c[2].Cases) != 2 || !strings.Contains(c[2].Cases[1], "H=128 wd 0: absmedian (lr 0.001) 87.90% vs absmean (lr 0.003) 87.60%: +0.30 points") {
		t.Errorf("median cases %q", c[2].Cases)
	}
}

func TestCheckBitNetAgainst(t *testing.T) {
	c := checks(t, against)
	for i := range 3 {
		if c[i].Verdict != experiments.VerdictNo {
			t.Errorf("check %d (%s): %s, want no: %s %q", i+1, c[i].Question, c[i].Verdict, c[i].Answer, c[i].Cases)
		}
	}
	if c[0].Answer != "No: ternary at 2H falls more than 0.5 points short of fp32 at H in all 2 comparisons (the smallest shortfall -2.00 points, absmean at 128 vs fp32 at 64, wd 0)." {
		t.Errorf("double-width answer %q", c[0].Answer)
	}
	if c[1].Answer != "No: absmedian leaves at least as many zero weights as absmean in all 2 runs (on average 31.50% against 30.00%)." {
		t.Errorf("zeros answer %q", c[1].Answer)
	}
}

func TestCheckBitNetPartly(t *testing.T) {
	rows := append([]experiments.BitNetRow(nil), supporting...)
	rows = append(rows,
		row(fp32, 32, 1e-3, 0, 0.8700, 0),
		row(absmean, 32, 1e-3, 0, 0.8200, 0.35),   // absmean at 64 (85.00%) vs fp32 at 32: −2 points
		row(absmedian, 32, 1e-3, 0, 0.8200, 0.40), // more zeros than absmean here
	)
	c := checks(t, rows)
	if c[0].Verdict != experiments.VerdictPartly || !strings.Contains(c[0].Answer, "in 2 of 4 comparisons") {
		t.Errorf("double width: %s %q", c[0].Verdict, c[0].Answer)
	}
	if c[1].Verdict != experiments.VerdictPartly || !strings.Contains(c[1].Answer, "in 3 of 4 runs") {
		t.Errorf("zeros: %s %q", c[1].Verdict, c[1].Answer)
	}
}

// Half a point below is reaching; a little more is not.
func TestCheckBitNetTolerance(t *testing.T) {
	for _, tt := range []struct {
		acc  float64
		want experiments.Verdict
	}{
		{0.8750, experiments.VerdictYes},
		{0.8749, experiments.VerdictNo},
	} {
		c := checks(t, []experiments.BitNetRow{row(fp32, 64, 1e-3, 0, 0.8800, 0), row(absmean, 128, 1e-3, 0, tt.acc, 0.3)})
		if c[0].Verdict != tt.want {
			t.Errorf("ternary %.4f vs fp32 0.8800: %s, want %s", tt.acc, c[0].Verdict, tt.want)
		}
	}
}

func TestCheckBitNetUntested(t *testing.T) {
	// One mode, widths without a pair H, 2H, one weight decay.
	c := checks(t, []experiments.BitNetRow{row(fp32, 64, 1e-3, 0, 0.88, 0), row(absmean, 96, 1e-3, 0, 0.87, 0.3)})
	for i, ch := range c {
		if ch.Verdict != experiments.VerdictUntested || !strings.HasPrefix(ch.Answer, "Untested: ") || len(ch.Cases) != 0 {
			t.Errorf("check %d: %s %q %q, want untested", i+1, ch.Verdict, ch.Answer, ch.Cases)
		}
	}
	if c := experiments.CheckBitNet(nil); len(c) != 4 || c[0].Verdict != experiments.VerdictUntested {
		t.Errorf("no rows: %+v", c)
	}
	// Rows of different epochs are never compared.
	other := row(absmean, 128, 1e-3, 0, 0.88, 0.3)
	other.Epochs = 1
	if c := experiments.CheckBitNet([]experiments.BitNetRow{row(fp32, 64, 1e-3, 0, 0.88, 0), other}); c[0].Verdict != experiments.VerdictUntested {
		t.Errorf("rows of 5 and 1 epochs compared: %+v", c[0])
	}
}

func TestCheckBitNetWeightDecay(t *testing.T) {
	rows := []experiments.BitNetRow{
		row(fp32, 64, 1e-3, 0, 0.8800, 0),
		row(fp32, 64, 1e-3, 0.1, 0.8600, 0),
		row(fp32, 64, 3e-3, 0.1, 0.8650, 0), // the best lr at wd 0.1
		row(absmean, 64, 1e-3, 0, 0.8500, 0.3),
		row(absmean, 64, 1e-3, 0.1, 0.8520, 0.3),
	}
	c := checks(t, rows)[3]
	if c.Verdict != experiments.VerdictMeasured {
		t.Fatalf("verdict %s, want measured: %q", c.Verdict, c.Answer)
	}
	want := []string{
		"fp32 H=64: wd 0 88.00%, wd 0.1 86.50%; spread 1.50 points (best at wd 0)",
		"absmean H=64: wd 0 85.00%, wd 0.1 85.20%; spread 0.20 points (best at wd 0.1)",
	}
	if len(c.Cases) != 2 || c.Cases[0] != want[0] || c.Cases[1] != want[1] {
		t.Errorf("cases %q, want %q", c.Cases, want)
	}
	if c.Answer != "The largest spread of the best accuracy over the weight decays, in points: fp32 1.50, absmean 0.20." {
		t.Errorf("answer %q", c.Answer)
	}
}
