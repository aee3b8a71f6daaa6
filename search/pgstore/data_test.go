package pgstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// TestDataErrorsArePermanent: what PostgreSQL refuses for its content (a
// NUL byte in text: SQLSTATE 22021) is search.ErrBadData at once, which
// a worker does not retry, and nothing is stored; a study name with a
// NUL is refused before it reaches the database.
func TestDataErrorsArePermanent(t *testing.T) {
	_, u := freshSchema(t)
	st := open(t, u)
	defer st.Close()
	ctx := t.Context()
	start := time.Now()
	if err := st.CreateStudy(ctx, search.StudyInfo{Name: "a\x00b"}); !errors.Is(err, search.ErrInvalidName) {
		t.Errorf("CreateStudy with a NUL in its name: %v, want ErrInvalidName", err)
	}
	if err := st.CreateStudy(ctx, search.StudyInfo{Name: "s", Created: time.Now()}); err != nil {
		t.Fatal(err)
	}
	n, err := st.AddTrial(ctx, "s", search.TrialRecord{DNAText: "[0]", Attempt: 1, Worker: "w", Created: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	bad := search.TrialRecord{Number: n, DNAText: "[0]", Attempt: 1, Worker: "w", State: search.Failed, Error: "a\x00b"}
	if err := st.UpdateTrial(ctx, "s", bad); !errors.Is(err, search.ErrBadData) {
		t.Errorf("UpdateTrial with a NUL in its error: %v, want ErrBadData", err)
	}
	if _, err := st.Study(ctx, "x\x00y"); !errors.Is(err, search.ErrBadData) {
		t.Errorf("Study of a name with a NUL: %v, want ErrBadData", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("refusals took %s", d)
	}
	trials, err := st.Trials(ctx, "s")
	if err != nil || len(trials) != 1 || trials[0].State != search.Running {
		t.Errorf("Trials after the refused update: %v, %v", trials, err)
	}
}

// TestRunRefusesBadStudyName: a search of a study no store can name ends
// at once with ErrInvalidName, not after two minutes of retries.
func TestRunRefusesBadStudyName(t *testing.T) {
	_, u := freshSchema(t)
	st := open(t, u)
	defer st.Close()
	tree := symbolic.NewDict(1)
	tree.Set("x", space.Float(0, 1))
	start := time.Now()
	_, err := search.Run(t.Context(), search.Searchable[symbolic.Value](space.MustNew(tree)), &algorithms.Random{},
		func(context.Context, *search.Trial[symbolic.Value]) (search.Metrics, error) {
			return search.Metrics{"reward": 1}, nil
		},
		&search.Options{Store: st, Study: "a\x00b", Trials: 1})
	if !errors.Is(err, search.ErrInvalidName) || time.Since(start) > 5*time.Second {
		t.Errorf("Run of study \"a\\x00b\": %v after %s, want ErrInvalidName at once", err, time.Since(start))
	}
	if studies, err := st.Studies(t.Context()); err != nil || len(studies) != 0 {
		t.Errorf("Studies: %v, %v; want none", studies, err)
	}
}
