package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// startDashboard runs goglove dashboard with args on a free loopback
// port and returns its base URL and the line it printed; the server is
// stopped (and its exit checked) when the test ends.
func startDashboard(t *testing.T, args ...string) (base, line string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var stderr strings.Builder
	go func() {
		code := run(ctx, append([]string{"dashboard", "--addr", "127.0.0.1:0"}, args...), pw, &stderr)
		pw.Close()
		done <- code
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("dashboard: exit %d, stderr %q", code, stderr.String())
			}
		case <-time.After(10 * time.Second):
			t.Error("dashboard did not stop within 10s of its context's end")
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("dashboard printed no line: %v; stderr %q", err, stderr.String())
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`on (http://127\.0\.0\.1:[0-9]+)/`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("dashboard: %q names no address", line)
	}
	return m[1], line
}

// fetch GETs base+path and returns the status and the body (the first
// event of an event stream).
func fetch(t *testing.T, base, path string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		r := bufio.NewReader(resp.Body)
		var b strings.Builder
		for {
			l, err := r.ReadString('\n')
			b.WriteString(l)
			if err != nil || l == "\n" {
				return resp.StatusCode, b.String()
			}
		}
	}
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestDashboard serves the view study and checks the studies list
// against it; the page and its assets are served from the binary.
func TestDashboard(t *testing.T) {
	store, _ := viewStudy(t)
	base, line := startDashboard(t, "--store", store)
	if !strings.Contains(line, "the SQLite file") {
		t.Errorf("line %q: want the store's description", line)
	}
	code, body := fetch(t, base, "/api/studies")
	var out struct {
		Studies []struct {
			Name   string
			Total  int
			Counts map[string]int
		}
	}
	if code != 200 || json.Unmarshal([]byte(body), &out) != nil || len(out.Studies) != 1 || out.Studies[0].Name != "view" ||
		out.Studies[0].Total != 8 || out.Studies[0].Counts["completed"] != 8 {
		t.Errorf("/api/studies: %d %s; want the view study's 8 completed trials", code, body)
	}
	for path, want := range map[string]string{"/": "<script src=\"/assets/app.js\"", "/assets/app.js": "EventSource", "/assets/style.css": "figure.plot"} {
		if code, body := fetch(t, base, path); code != 200 || !strings.Contains(body, want) {
			t.Errorf("%s: %d, want %q in %.200s", path, code, want, body)
		}
	}
}

// TestDashboardAddress: an address that is not loopback needs a token.
func TestDashboardAddress(t *testing.T) {
	store, _ := viewStudy(t)
	for _, addr := range []string{"0.0.0.0:0", ":0", "example.com:80"} {
		code, _, stderr := runCLI(t, t.Context(), "dashboard", "--store", store, "--addr", addr)
		if code != 2 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "give --token") {
			t.Errorf("--addr %s without a token: exit %d, stderr %q; want 2 and one line", addr, code, stderr)
		}
	}
	t.Setenv(dashboardTokenEnv, "")
	if code, _, stderr := runCLI(t, t.Context(), "dashboard", "--store", store, "--addr", "nonsense"); code != 2 || !strings.Contains(stderr, "want host:port") {
		t.Errorf("--addr nonsense: exit %d, stderr %q", code, stderr)
	}
	// With a token the server needs it on every request.
	base, line := startDashboard(t, "--store", store, "--token", "tok3n")
	if strings.Contains(line, "tok3n") {
		t.Errorf("the line printed shows the token: %q", line)
	}
	if code, _ := fetch(t, base, "/api/studies"); code != 401 {
		t.Errorf("without the token: %d, want 401", code)
	}
	if code, _ := fetch(t, base, "/api/studies?token=tok3n"); code != 200 {
		t.Errorf("with the token: %d, want 200", code)
	}
}

// TestDashboardHidesCredentials serves a PostgreSQL study through a URL
// with a password and checks that no page, asset, answer or event of the
// dashboard, nor its line on standard output, holds the password
// (GOGLOVE_TEST_POSTGRES; without it the test skips).
func TestDashboardHidesCredentials(t *testing.T) {
	base := os.Getenv("GOGLOVE_TEST_POSTGRES")
	if base == "" {
		t.Skip("GOGLOVE_TEST_POSTGRES is not set; to run the PostgreSQL tests set it to a database URL, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable (see README, Tests)")
	}
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" {
		t.Skipf("GOGLOVE_TEST_POSTGRES is not a URL: %v", err)
	}
	schema := "goglove_dash_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	conn, err := pgx.Connect(t.Context(), base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	sch := pgx.Identifier{schema}.Sanitize()
	if _, err := conn.Exec(t.Context(), "CREATE SCHEMA "+sch); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := conn.Exec(context.Background(), "DROP SCHEMA "+sch+" CASCADE"); err != nil {
			t.Error(err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	const secret = "hunter2-not-shown"
	if u.User == nil {
		u.User = url.User("postgres")
	}
	u.User = url.UserPassword(u.User.Username(), secret)
	withPassword := u.String()
	cfg := writeTestFile(t, t.TempDir(), "br.yaml", "study: br\nobjective: {builtin: branin}\nbudget: {trials: 3}\n")
	if code, stdout, stderr := runCLI(t, t.Context(), "search", cfg, "--store", withPassword); code != 0 {
		t.Skipf("search with a password in the URL: exit %d (the server checks passwords; this test needs trust authentication): %s %s", code, stdout, stderr)
	}
	addr, line := startDashboard(t, "--store", withPassword)
	if strings.Contains(line, secret) {
		t.Errorf("the line printed holds the password: %q", line)
	}
	for _, path := range []string{"/", "/study?name=br", "/assets/app.js", "/api/studies", "/api/study?study=br", "/api/trials?study=br",
		"/api/trial?study=br&number=0", "/api/events?study=br", "/api/trial?study=nope&number=0", "/api/plot?study=br&kind=pareto"} {
		_, body := fetch(t, addr, path)
		if strings.Contains(body, secret) {
			t.Errorf("%s holds the store URL's password: %.300s", path, body)
		}
	}
}
