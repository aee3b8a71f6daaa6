package storecodec

import (
	"bytes"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// The fuzz targets' seed corpora are in testdata/fuzz/FuzzNAME; run one
// with, for example,
//
//	go test ./search/internal/storecodec -run '^$' -fuzz '^FuzzDecodeTrial$' -fuzztime 60s

func fuzzRegistry(f *testing.F) *symbolic.Registry {
	reg := symbolic.NewRegistry()
	if err := space.Register(reg); err != nil {
		f.Fatal(err)
	}
	return reg
}

// nilIfEmpty maps an empty column to NULL, as the fuzzer cannot give nil.
func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// FuzzDecodeTrial decodes the columns of a stored trial, bytes a damaged
// or hostile database may hold: DecodeTrial must not panic, a trial it
// returns has metrics a store could record again (no null, nothing
// JSON cannot hold), and encoding it and decoding the result gives the
// same columns (a fixed point).
func FuzzDecodeTrial(f *testing.F) {
	f.Add([]byte(`{"value":0,"children":[{"value":1},{"value":0.5}]}`), []byte(`{"a":1,"b":[0.5,"x"]}`),
		[]byte(`{"loss":0.25,"acc":0.9}`), []byte(`[{"step":1,"metrics":{"loss":0.5}}]`), "[1, 0.5]", "completed", "", "w:1")
	f.Add([]byte(`{}`), []byte(`null`), []byte(`{"loss":null}`), []byte(`[{"step":1,"metrics":{"loss":null}}]`), "", "failed", "boom\x1b[2J", "")
	f.Add([]byte(`{"value":1e400}`), []byte(`{"_type":"nope"}`), []byte(`{"a":1e400}`), []byte(`[]`), "\xff", "bogus", "\x00", "\xff")
	reg := fuzzRegistry(f)
	f.Fuzz(func(t *testing.T, dna, program, metrics, steps []byte, dnaText, state, errText, worker string) {
		r := Trial{DNA: dna, Program: nilIfEmpty(program), Metrics: nilIfEmpty(metrics), Steps: nilIfEmpty(steps),
			DNAText: dnaText, State: state, Error: errText, Worker: worker, Attempt: 1,
			Created: time.Unix(1, 0).UTC()}
		tr, err := DecodeTrial(3, r, reg)
		if err != nil {
			return
		}
		if err := search.CheckMetrics(tr.Metrics); err != nil && !hasBadName(tr.Metrics) {
			t.Fatalf("decoded metrics %v: %v", tr.Metrics, err)
		}
		enc, err := EncodeTrial(tr)
		if err != nil {
			t.Fatalf("EncodeTrial of a decoded trial: %v", err)
		}
		again, err := DecodeTrial(3, enc, reg)
		if err != nil {
			t.Fatalf("DecodeTrial of an encoded trial: %v\ncolumns %+v", err, enc)
		}
		enc2, err := EncodeTrial(again)
		if err != nil {
			t.Fatalf("EncodeTrial again: %v", err)
		}
		if !sameColumns(enc, enc2) {
			t.Fatalf("not a fixed point:\n%+v\n%+v", enc, enc2)
		}
	})
}

// hasBadName reports whether a metric name is one CheckMetricName refuses
// (stored names are not checked on decoding: old rows stay readable).
func hasBadName(m search.Metrics) bool {
	for k := range m {
		if search.CheckMetricName(k) != nil {
			return true
		}
	}
	return false
}

func sameColumns(a, b Trial) bool {
	return bytes.Equal(a.DNA, b.DNA) && bytes.Equal(a.Program, b.Program) && bytes.Equal(a.Metrics, b.Metrics) &&
		bytes.Equal(a.Steps, b.Steps) && a.DNAText == b.DNAText && a.State == b.State && a.Error == b.Error &&
		a.Worker == b.Worker && a.Attempt == b.Attempt && a.Created.Equal(b.Created) && a.Finished.Equal(b.Finished)
}

// FuzzDecodeStudy decodes a stored study's objectives and config: no
// panic, and a study it returns encodes to columns that decode to the
// same study.
func FuzzDecodeStudy(f *testing.F) {
	f.Add([]byte(`[{"Name":"loss","Direction":1}]`), []byte(`{"study":"s","space":{"a":{"_tag":"!oneof","candidates":[1,2]}}}`))
	f.Add([]byte(`null`), []byte(`null`))
	f.Add([]byte(`[{"Name":"\u0000","Direction":200}]`), []byte(`{"a":"\u0000\u001b"}`))
	reg := fuzzRegistry(f)
	f.Fuzz(func(t *testing.T, objectives, config []byte) {
		st, err := DecodeStudy("s", objectives, nilIfEmpty(config), time.Unix(1, 0).UTC(), reg)
		if err != nil {
			return
		}
		o, c, err := EncodeStudy(st)
		if err != nil {
			t.Fatalf("EncodeStudy of a decoded study: %v", err)
		}
		again, err := DecodeStudy("s", o, c, st.Created, reg)
		if err != nil {
			t.Fatalf("DecodeStudy of an encoded study: %v\n%s\n%s", err, o, c)
		}
		o2, c2, err := EncodeStudy(again)
		if err != nil || !bytes.Equal(o, o2) || !bytes.Equal(c, c2) {
			t.Fatalf("not a fixed point (%v):\n%s %s\n%s %s", err, o, c, o2, c2)
		}
	})
}
