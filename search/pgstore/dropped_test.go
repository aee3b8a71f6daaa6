package pgstore_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/c2602f9e/goglove/algorithms"
	"github.com/c2602f9e/goglove/search"
	"github.com/c2602f9e/goglove/search/pgstore"
	"github.com/c2602f9e/goglove/space"
	"github.com/c2602f9e/goglove/symbolic"
)

// terminate ends the server's connections of application app, as an
// administrator or a restart would, and returns how many it ended.
func terminate(admin *pgx.Conn, app string) (int64, error) {
	var n int64
	err := admin.QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = $1`, app).Scan(&n)
	return n, err
}

// TestRunSurvivesDroppedConnections runs a search while the server
// terminates the store's connections again and again (as a restart or a
// network cut would): the workers retry with backoff, and the study ends
// with exactly its budget, every trial ended once.
//
// Connections are terminated every 150 ms, and also by every fifth call
// of the objective just before it returns, so that the worker's next
// statement, the write of the trial's result, goes out on a dead
// connection: the store retries only reads by itself, so a write is what
// reaches the search loop's retry and its log. Ending connections only
// on a timer is not enough for that: on an idle machine the whole search
// can take half a second and every termination land on a read, which the
// store repeats silently.
func TestRunSurvivesDroppedConnections(t *testing.T) {
	_, u := freshSchema(t)
	const app = "goglove-dropped-test"
	st := open(t, withParam(u, "application_name", app))
	defer st.Close()
	tree := symbolic.NewDict(1)
	tree.Set("x", space.Float(0, 1))
	s := space.MustNew(tree)

	admin, err := pgx.Connect(t.Context(), serverURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	var killed atomic.Int64
	var adminMu sync.Mutex // a pgx.Conn serves one statement at a time
	kill := func() error {
		adminMu.Lock()
		defer adminMu.Unlock()
		n, err := terminate(admin, app)
		if err != nil {
			return fmt.Errorf("terminating the store's connections: %w", err)
		}
		killed.Add(n)
		return nil
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(150 * time.Millisecond):
			}
			if err := kill(); err != nil {
				t.Error(err)
				return
			}
		}
	})
	var retries, calls atomic.Int64
	res, err := search.Run(t.Context(), search.Searchable[symbolic.Value](s), &algorithms.Random{Seed: 1},
		func(ctx context.Context, tr *search.Trial[symbolic.Value]) (search.Metrics, error) {
			time.Sleep(10 * time.Millisecond)
			if calls.Add(1)%5 == 0 {
				if err := kill(); err != nil {
					return nil, err
				}
			}
			return search.Metrics{"reward": 1}, nil
		}, &search.Options{Store: st, Study: "s", Trials: 60, Workers: 2,
			Logf: func(string, ...any) { retries.Add(1) }})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	trials, err := st.Trials(t.Context(), "s")
	if err != nil {
		t.Fatal(err)
	}
	completed := 0
	for _, tr := range trials {
		switch tr.State {
		case search.Completed:
			completed++
		case search.Running:
			t.Errorf("trial %d left running", tr.Number)
		}
	}
	if res.Completed != 60 || completed != 60 {
		t.Errorf("completed %d (store: %d), want 60", res.Completed, completed)
	}
	if killed.Load() == 0 || retries.Load() == 0 {
		t.Errorf("%d connections terminated, %d retries logged: the test did not test", killed.Load(), retries.Load())
	}
	t.Logf("%d connections terminated, %d notes logged, %d trials for a budget of 60", killed.Load(), retries.Load(), len(trials))
}

// TestOpenSurvivesDroppedConnections opens stores while the server
// terminates every connection they make, for half a second, as a restart
// would: Open retries a connection the server ended under it, so each
// open succeeds once the burst is over.
func TestOpenSurvivesDroppedConnections(t *testing.T) {
	_, u := freshSchema(t)
	const app = "goglove-open-dropped-test"
	u = withParam(u, "application_name", app)
	admin, err := pgx.Connect(t.Context(), serverURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	for i := range 3 {
		var killed atomic.Int64
		var wg sync.WaitGroup
		burst := time.Now().Add(500 * time.Millisecond)
		wg.Go(func() {
			for time.Now().Before(burst) {
				n, err := terminate(admin, app)
				if err != nil {
					t.Errorf("terminating the store's connections: %v", err)
					return
				}
				killed.Add(n)
				time.Sleep(time.Millisecond)
			}
		})
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		st, err := pgstore.Open(ctx, u, nil)
		cancel()
		wg.Wait()
		if err != nil {
			t.Errorf("open %d: %v", i, err)
			continue
		}
		st.Close()
		if killed.Load() == 0 {
			t.Errorf("open %d: no connection was terminated: the test did not test", i)
		}
	}
}

// TestReadsAfterRestart: reads on a store whose pooled connections the
// server has ended (a restart, an administrator) go out again on fresh
// connections instead of failing once per dead connection.
func TestReadsAfterRestart(t *testing.T) {
	_, u := freshSchema(t)
	const app = "goglove-reads-test"
	st := open(t, withParam(u, "application_name", app))
	defer st.Close()
	if err := st.CreateStudy(t.Context(), search.StudyInfo{Name: "s"}); err != nil {
		t.Fatal(err)
	}
	reads := map[string]func() error{
		"Study":   func() error { _, err := st.Study(t.Context(), "s"); return err },
		"Studies": func() error { _, err := st.Studies(t.Context()); return err },
		"Trials":  func() error { _, err := st.Trials(t.Context(), "s"); return err },
	}
	for name, read := range reads {
		if err := read(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		exec(t, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, app)
		if err := read(); err != nil {
			t.Errorf("%s after the store's connections were ended: %v", name, err)
		}
	}
}
