package routes_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"factdesk/internal/seedrev"
	"factdesk/models"
)

// TestEveryPagePassesAxe runs axe-core on every page a person can reach —
// signed out, and as an admin, who may open them all — in light and dark
// mode, on a desktop and on a 390×844 phone.
func TestEveryPagePassesAxe(t *testing.T) {
	script := axeScript(t)
	e := liveEnv(t)
	a := importSeed(t, e)
	id := itoa(a.ID)
	for i, s := range a.Sentences {
		if s.Status != "excluded" && i < 8 {
			if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": scriptLabel(i, s), "version": s.Version}); r.Status != 200 {
				t.Fatalf("label: %d %s", r.Status, r.Body)
			}
		}
	}
	e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/comments", a.ID), map[string]any{"body": "Source?", "sentence_id": a.Sentences[2].ID})
	src := e.createSource(t, map[string]any{"kind": "official_record", "title": "H.R.3364", "url": "https://congress.example/bill/3364", "publisher": "US Congress", "reliability": "A", "credibility": 2})
	e.citeOverAPI(t, a.Sentences[3].ID, src.ID, "supports")
	r := e.api(models.RoleEditor, "POST", fmt.Sprintf("/api/v1/articles/%d/opinions", a.ID), map[string]any{"assignee_id": e.users[models.RoleChecker].ID})
	var o models.SecondOpinion
	r.decode(t, &o)
	revised, err := seedrev.Revise(seedArticle(t))
	if err != nil {
		t.Fatal(err)
	}
	if r := e.api(models.RoleChecker, "POST", "/api/v1/articles/"+id+"/revisions", map[string]any{"body": revised}); r.Status != 201 {
		t.Fatalf("revision: %d %s", r.Status, r.Body)
	}
	var hook models.Webhook // its delivery log gets the import below
	e.api(models.RoleAdmin, "POST", "/api/v1/webhooks", map[string]any{"url": "https://cms.example/hook", "events": []string{"*"}}).decode(t, &hook)
	again := e.importSmall(t, "Intelligence claims", a.Sentences[3].Text+" Short one.")
	// The desk: the admin has work, an overdue article and notifications.
	admin := e.users[models.RoleAdmin]
	if r := e.api(models.RoleEditor, "POST", "/api/v1/articles/"+id+"/assignees", map[string]any{"user_id": admin.ID, "due_at": "2020-01-02T15:04:05Z", "priority": "urgent"}); r.Status != 201 {
		t.Fatalf("assign: %d %s", r.Status, r.Body)
	}
	if r := e.api(models.RoleChecker, "POST", "/api/v1/articles/"+id+"/comments", map[string]any{"body": "@" + admin.Name + " can you look?"}); r.Status != 201 {
		t.Fatalf("mention: %d %s", r.Status, r.Body)
	}

	pages := []string{"/", "/?q=nothing+matches", "/import", "/users", "/sources", "/sources/new", "/sources/" + itoa(src.ID), "/queue",
		"/articles/" + id + "?s=4", "/articles/" + id + "/report", "/articles/" + id + "/opinions", "/opinions/" + itoa(o.ID),
		"/articles/" + id + "/revise", "/articles/" + id + "/revisions/2", "/articles/" + id + "?revision=1",
		"/sentences/" + itoa(again.Sentences[0].ID) + "/similar", "/work", "/inbox", "/settings/notifications", "/?assignee=none&sort=due",
		"/search?q=putin+OR+source*", "/search?q=the+of", "/search?q=putin&label=fact&outlet=x",
		"/settings/webhooks", "/settings/webhooks/" + itoa(hook.ID),
		"/no/such/page"}

	ctx := newBrowser(t)
	jsErrors(t, ctx, "axe")
	for _, mode := range []struct {
		name          string
		width, height int64
		scheme        string
	}{{"desktop, light", 1280, 900, "light"}, {"desktop, dark", 1280, 900, "dark"}, {"390×844, light", 390, 844, "light"}, {"390×844, dark", 390, 844, "dark"}} {
		setColorScheme(t, ctx, mode.scheme)
		if err := chromedp.Run(ctx, chromedp.EmulateViewport(mode.width, mode.height)); err != nil {
			t.Fatal(err)
		}
		// Signed out: the sign-in page, and after a wrong password.
		signOut := chromedp.ActionFunc(func(ctx context.Context) error { return network.ClearBrowserCookies().Do(ctx) })
		if err := chromedp.Run(ctx, signOut, chromedp.Navigate(e.srv.URL+"/login"), chromedp.WaitVisible(`#email`, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		axeCheck(t, ctx, script, "/login, "+mode.name)
		if err := chromedp.Run(ctx, chromedp.SendKeys(`#email`, "nobody@test.example", chromedp.ByQuery), chromedp.SendKeys(`#password`, "wrong password", chromedp.ByQuery),
			chromedp.Submit(`#password`, chromedp.ByQuery), chromedp.WaitVisible(`[role=alert]`, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		axeCheck(t, ctx, script, "/login after a wrong password, "+mode.name)
		signInAt(t, ctx, e, models.RoleAdmin)
		for _, p := range pages {
			if err := chromedp.Run(ctx, chromedp.Navigate(e.srv.URL+p), chromedp.WaitReady(`main`, chromedp.ByQuery)); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			axeCheck(t, ctx, script, p+", "+mode.name)
		}
	}
}
