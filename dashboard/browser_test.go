package dashboard_test

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var screenshots = flag.String("screenshots", "", "write screenshots of the pages the browser tests load to this directory (docs/)")

// chromiumPath returns the path of a Chromium the tests can drive. Without
// one they skip, unless CI=true: the CI installs chromium (.ci/run), so a
// missing one there is a failure.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("dashboard: no chromium on $PATH, and CI=true: .ci/run installs it (apt-get install chromium); the browser tests must run in CI")
	}
	t.Skip("dashboard: chromium is not installed (apt-get install chromium): the browser tests skip")
	return ""
}

var (
	browserOnce sync.Once
	browserCtx  context.Context
	browserErr  error
)

// tab returns a new tab of a headless Chromium shared by the tests of the
// package, closed when the test ends.
func tab(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	browserOnce.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
			chromedp.DisableGPU, chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 900))
		actx, _ := chromedp.NewExecAllocator(context.Background(), opts...)
		browserCtx, _ = chromedp.NewContext(actx)
		browserErr = chromedp.Do(browserCtx) // starts the browser
	})
	if browserErr != nil {
		t.Fatalf("dashboard: starting %s: %v", path, browserErr)
	}
	ctx, cancel := chromedp.NewContext(browserCtx)
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelT(); cancel() })
	return ctx
}

// shoot writes a screenshot of the tab to the -screenshots directory, if
// one is given.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if *screenshots == "" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*screenshots, name), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestMain closes the shared browser.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if browserCtx != nil {
		_ = chromedp.Cancel(browserCtx)
	}
	os.Exit(code)
}
