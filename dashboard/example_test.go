package dashboard_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/c2602f9e/goglove/dashboard"
	"github.com/c2602f9e/goglove/search"
)

// A dashboard over a store, here a memory store with one trial; its JSON
// API answers what the page shows.
func ExampleNew() {
	st := search.NewMemStore()
	ctx := context.Background()
	_ = st.CreateStudy(ctx, search.StudyInfo{Name: "demo", Objectives: []search.Metric{{Name: "loss"}}})
	_, _ = st.AddTrial(ctx, "demo", search.TrialRecord{State: search.Completed, Metrics: search.Metrics{"loss": 0.25}, Attempt: 1})
	srv, err := dashboard.New(st, &dashboard.Options{StoreName: "memory"})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(srv) // a loopback address: no token needed
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/api/studies")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var out struct {
		Studies []struct {
			Name  string
			State string
			Best  struct{ Value float64 }
		}
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	fmt.Println(out.Studies[0].Name, out.Studies[0].State, out.Studies[0].Best.Value)
	// Output: demo done 0.25
}
