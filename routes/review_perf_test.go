package routes_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"factdesk/auth"
	"factdesk/ingest"
	"factdesk/internal/newsgen"
	"factdesk/internal/testdb"
	"factdesk/models"
	"factdesk/reviewers"
	"factdesk/routes"
	"factdesk/web"
)

// longArticle imports a generated article of about n sentences and
// returns its id and its number of sentences.
func longArticle(t *testing.T, e *env, n int) (int64, int) {
	t.Helper()
	title, body := newsgen.Article(rand.New(rand.NewPCG(4, 5000)), n)
	r := e.api(models.RoleChecker, "POST", "/api/v1/articles", map[string]any{"title": title, "body": body})
	if r.Status != http.StatusCreated {
		t.Fatalf("import a long article: %d %s", r.Status, r.Body)
	}
	var a articleJSON
	r.decode(t, &a)
	return a.ID, len(a.Sentences)
}

// labelTime presses a label key on the selected sentence and returns, as
// the page measured them, the time its key handler took and the time until
// the saved sentence came back from the server and was applied.
func labelTime(t *testing.T, ctx context.Context, key string) (handler, saved time.Duration) {
	t.Helper()
	setup := `(() => {
		const el = document.querySelector(".sentence.is-selected");
		const v = el.dataset.version;
		window.__t = {};
		document.addEventListener("keydown", () => { window.__t.down = performance.now(); }, { capture: true, once: true });
		window.addEventListener("keydown", () => { window.__t.handled = performance.now(); }, { once: true });
		window.__saved = new Promise((resolve) => {
			const obs = new MutationObserver(() => {
				if (el.dataset.version !== v && !el.classList.contains("is-saving")) { obs.disconnect(); resolve(performance.now()); }
			});
			obs.observe(el, { attributes: true });
		});
		return true;
	})()`
	var res struct {
		Down, Handled, Saved float64
	}
	err := chromedp.Run(ctx,
		chromedp.Evaluate(setup, nil),
		chromedp.KeyEvent(key),
		awaitJS(`window.__saved.then((s) => ({down: window.__t.down, handled: window.__t.handled, saved: s}))`, &res),
	)
	if err != nil {
		t.Fatal(err)
	}
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	return ms(res.Handled - res.Down), ms(res.Saved - res.Down)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// TestBrowserLongArticle opens a 5,000-sentence article: the page must be
// ready for the keyboard within 2 s of the navigation's start (the one
// absolute time the issue asks for), and labeling its last sentences must
// take about as long as labeling its first ones (compared in this run).
func TestBrowserLongArticle(t *testing.T) {
	if raceDetector {
		t.Skip("SKIP under -race: the 2 s target is checked by the run without the race detector (make perf)")
	}
	ctx := newBrowser(t)
	e := newEnv(t, testdb.Open(t, testdb.SQLite))
	jsErrors(t, ctx, "checker")
	id, n := longArticle(t, e, 5000)
	if n < 4900 {
		t.Fatalf("the generated article has %d sentences, want about 5000", n)
	}
	signInAt(t, ctx, e, models.RoleChecker)
	page := fmt.Sprintf("%s/articles/%d", e.srv.URL, id)

	// Warm the browser's cache of the script and stylesheet, as a
	// checker's browser is, then measure fresh loads of the page and keep
	// the best (the machine is shared; the best load is the page's own
	// cost).
	openReview(t, ctx, page+"?s=1")
	var best float64
	for i := 0; i < 3; i++ {
		openReview(t, ctx, page+"?s=1")
		var ready float64
		if err := chromedp.Run(ctx, chromedp.Evaluate(`Number(document.querySelector("[data-review]").dataset.ready)`, &ready)); err != nil {
			t.Fatal(err)
		}
		t.Logf("load %d: ready for the keyboard %.0f ms after the navigation started", i+1, ready)
		if i == 0 || ready < best {
			best = ready
		}
	}
	var count int
	chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll(".sentence").length`, &count))
	if count != n {
		t.Fatalf("the page shows %d sentences, want %d", count, n)
	}
	if best >= 2000 {
		t.Errorf("a %d-sentence article was ready for the keyboard after %.0f ms; want under 2000 ms", n, best)
	}

	const tries = 5
	var firstH, firstS, lastH, lastS []time.Duration
	for i := 0; i < tries; i++ {
		h, s := labelTime(t, ctx, "f")
		firstH, firstS = append(firstH, h), append(firstS, s)
	}
	// The last open sentences (the import excludes repeated sentences,
	// so the very last ones may not be open).
	var last []int
	if err := chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf(`Array.from(document.querySelectorAll('.sentence[data-status="unreviewed"]')).slice(-%d).map((e) => Number(e.id.slice(2)))`, tries), &last)); err != nil {
		t.Fatal(err)
	}
	if len(last) != tries || last[0] < n-100 {
		t.Fatalf("the last open sentences: %v", last)
	}
	if err := chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf(`document.getElementById("s-%d").click(); true`, last[0]), nil)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < tries; i++ {
		if sel, _ := selectedNumber(ctx); sel != last[i] {
			t.Fatalf("label %d of the last ones: sentence %d is selected, want %d", i+1, sel, last[i])
		}
		h, s := labelTime(t, ctx, "a")
		lastH, lastS = append(lastH, h), append(lastS, s)
	}
	t.Logf("first sentences: key handler %v, saved and shown %v (medians of %d)", median(firstH), median(firstS), tries)
	t.Logf("last sentences:  key handler %v, saved and shown %v", median(lastH), median(lastS))
	// Within 3x, with 30 ms of slack for a busy shared machine; an O(n)
	// step per keystroke over 5,000 sentences costs far more.
	if l, f := median(lastS), median(firstS); l > 3*f+30*time.Millisecond {
		t.Errorf("labeling the last sentences took %v, the first %v: the end of a long article is slower", l, f)
	}
	if l, f := median(lastH), median(firstH); l > 3*f+10*time.Millisecond {
		t.Errorf("the key handler took %v on the last sentences, %v on the first", l, f)
	}
	var labeled string
	chromedp.Run(ctx, chromedp.Evaluate(fmt.Sprintf(`document.getElementById("s-%d").dataset.label`, last[tries-1]), &labeled))
	if labeled != "allegation" {
		t.Errorf("the last open sentence's label: %q, want allegation", labeled)
	}
}

// BenchmarkReviewPage5000 measures the server's side of the review page
// of a 5,000-sentence article (its queries and its template), with the
// article's JSON from the API as a baseline in the same run: both load
// the same sentences, so the difference is the page's own work.
func BenchmarkReviewPage5000(b *testing.B) {
	db := testdb.Open(b, testdb.SQLite)
	svc := reviewers.New(models.NewStore(db), reviewers.Config{}, nil, nil).WithPasswordParams(auth.TestParams)
	engine, err := web.New()
	if err != nil {
		b.Fatal(err)
	}
	h := routes.New(routes.Config{Service: svc, Web: engine, Version: "bench"})
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	ctx := context.Background()
	u, _, err := svc.CreateUser(ctx, models.System, reviewers.NewUserInput{Email: "c@bench.example", Name: "Checker", Role: models.RoleChecker, Password: testPassword})
	if err != nil {
		b.Fatal(err)
	}
	title, body := newsgen.Article(rand.New(rand.NewPCG(4, 5000)), 5000)
	res, err := svc.Import(ctx, u.Actor(), ingest.ArticleInput{Title: title, Body: body})
	if err != nil {
		b.Fatal(err)
	}
	cookie := signInCookie(b, srv.URL, u.Email)
	page := fmt.Sprintf("/articles/%d", res.Article.ID)
	for _, bc := range []struct{ name, path string }{
		{"api-json", "/api/v1" + page},
		{"page", page + "?s=2500"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var size int
			for b.Loop() {
				req := httptest.NewRequest("GET", bc.path, nil)
				req.AddCookie(cookie)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", bc.path, w.Code)
				}
				size = w.Body.Len()
			}
			b.ReportMetric(float64(size), "bytes/page")
		})
	}
}

// signInCookie signs in through the form and returns the session cookie.
func signInCookie(tb testing.TB, base, email string) *http.Cookie {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/login")
	if err != nil {
		tb.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfInput.FindSubmatch(page)
	if m == nil {
		tb.Fatal("no CSRF token on the sign-in form")
	}
	resp, err = c.PostForm(base+"/login", url.Values{"email": {email}, "password": {testPassword}, "csrf_token": {string(m[1])}})
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	u, _ := url.Parse(base)
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "factdesk_session" {
			return ck
		}
	}
	tb.Fatalf("signing in set no session cookie (status %d)", resp.StatusCode)
	return nil
}
