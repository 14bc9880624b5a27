// Package browser starts headless Chromium for the browser tests, with the
// flags this machine needs. Where Chromium is missing the test is skipped
// with a message, unless FACTDESK_TEST_STRICT=1, which makes it a failure.
package browser

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ExecPath finds Chromium: $FACTDESK_CHROMIUM, or chromium / chromium-browser /
// google-chrome on the PATH.
func ExecPath() string {
	if p := os.Getenv("FACTDESK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New returns a browser context (one tab) that lives until the test ends.
// Each call starts a browser of its own, so two calls are two people with
// separate cookies.
func New(t testing.TB) context.Context {
	t.Helper()
	path := ExecPath()
	if path == "" {
		if os.Getenv("FACTDESK_TEST_STRICT") == "1" {
			t.Fatal("Chromium is required (FACTDESK_TEST_STRICT=1): install it with apt-get install -y chromium")
		}
		t.Skip("SKIP browser test: Chromium not found (apt-get install -y chromium, or set FACTDESK_CHROMIUM)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	if err := chromedp.Run(ctx); err != nil {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		t.Fatalf("start Chromium: %v", err)
	}
	t.Cleanup(func() {
		// Close the browser and wait for it to exit before its profile
		// directory is removed (TempDir's cleanup runs after this one).
		if ctx.Err() == nil {
			_ = chromedp.Cancel(ctx)
		}
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}
