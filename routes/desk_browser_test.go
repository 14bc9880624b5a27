package routes_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"factdesk/models"
)

// TestBrowserDeskRoundTrip is the desk issue's check, in two browsers: an
// editor assigns an article to a checker by clicking through the list and
// the review page; the checker, on My work, sees the unread badge rise
// without reloading, opens the article from the notification, labels,
// @mentions the editor in a comment picked from the completion list; the
// editor's badge rises; the editor requests changes and the checker's My
// work lists the article as sent back, with the request.
func TestBrowserDeskRoundTrip(t *testing.T) {
	e := liveEnv(t)
	a := e.importSmall(t, "Council budget", "The council approved the budget on Monday. The budget grew by a tenth.")
	checker, editor := e.users[models.RoleChecker], e.users[models.RoleEditor]
	cctx, ectx := newBrowser(t), newBrowser(t)
	jsErrors(t, cctx, "checker")
	jsErrors(t, ectx, "editor")
	// The checker signs in and lands on My work, with nothing on it.
	signInAt(t, cctx, e, models.RoleChecker)
	waitFor(t, cctx, `location.pathname === "/work" && document.querySelector("[data-unread]").hidden && document.querySelector('[data-list="assigned"]') === null`)
	// The badge follows the inbox stream once it is open.
	waitFor(t, cctx, `document.querySelector("[data-inbox]").dataset.live === "ready"`)
	loads := countNavigations(cctx)

	// The editor finds the article in the list and assigns it, by clicking.
	signInAt(t, ectx, e, models.RoleEditor)
	article := fmt.Sprintf(`table.list a[href="/articles/%d"]`, a.ID)
	if err := chromedp.Run(ectx,
		chromedp.Click(`nav a[href="/"]`, chromedp.ByQuery), chromedp.WaitVisible(article, chromedp.ByQuery),
		chromedp.Click(article, chromedp.ByQuery), chromedp.WaitVisible(`details.assign > summary`, chromedp.ByQuery),
		chromedp.Click(`details.assign > summary`, chromedp.ByQuery), chromedp.WaitVisible(`#assign-user`, chromedp.ByQuery),
		chromedp.SetValue(`#assign-user`, itoa(checker.ID), chromedp.ByQuery),
		chromedp.SetValue(`#assign-due`, "2030-05-04T17:30", chromedp.ByQuery),
		chromedp.SetValue(`#assign-priority`, "high", chromedp.ByQuery),
		chromedp.Click(`form[data-form="assign"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf(`[data-assignee="%d"]`, checker.ID), chromedp.ByQuery),
	); err != nil {
		t.Fatalf("editor assigns: %v", err)
	}
	waitFor(t, ectx, `(document.querySelector(".flash") || {textContent: ""}).textContent.includes("Assigned to `+checker.Name+`")`)

	// The checker's badge rises without a reload.
	waitFor(t, cctx, `document.querySelector("[data-unread-count]").textContent === "1" && !document.querySelector("[data-unread]").hidden`)
	if n := loads.Load(); n != 0 {
		t.Errorf("the checker's page loaded %d times while waiting, want 0", n)
	}

	// The checker opens the article from the notification in the inbox.
	notice := `[data-event="article.assigned"] .notice-open button`
	if err := chromedp.Run(cctx,
		chromedp.Click(`a[data-inbox]`, chromedp.ByQuery), chromedp.WaitVisible(notice, chromedp.ByQuery),
		chromedp.Click(notice, chromedp.ByQuery), chromedp.WaitVisible(`[data-review][data-ready]`, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("checker opens the notification: %v", err)
	}
	waitFor(t, cctx, fmt.Sprintf(`location.pathname === "/articles/%d" && document.querySelector("[data-unread]").hidden`, a.ID))
	var text string
	if err := chromedp.Run(cctx, chromedp.Text(`[data-assignees]`, &text, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, checker.Name+" (you)") || !strings.Contains(text, "high") || !strings.Contains(text, "4 May 2030") {
		t.Errorf("the review page's assignees: %q", text)
	}

	// The checker labels the selected sentence with the keyboard.
	first := a.Sentences[0]
	if err := chromedp.Run(cctx, chromedp.KeyEvent("f")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, cctx, fmt.Sprintf(`document.querySelector('.sentence[data-id="%d"]').dataset.status !== "unreviewed" && !document.querySelector('.sentence[data-id="%d"]').classList.contains("is-saving")`, first.ID, first.ID))

	// The checker @mentions the editor: "@" and the first letters offer
	// the editor's name; Enter takes it.
	typed := editor.Name[:6] // "Test e": the users are "Test admin", "Test editor" …
	if err := chromedp.Run(cctx,
		chromedp.Click(`details.discussion > summary`, chromedp.ByQuery), chromedp.WaitVisible(`#article-comment`, chromedp.ByQuery),
		chromedp.Focus(`#article-comment`, chromedp.ByQuery), chromedp.KeyEvent("@"+typed),
		chromedp.WaitVisible(`#mention-menu [role="option"]`, chromedp.ByQuery),
		keyboardEnter, chromedp.KeyEvent("is the growth figure sourced?"),
	); err != nil {
		t.Fatalf("mention: %v", err)
	}
	var body string
	if err := chromedp.Run(cctx, chromedp.Value(`#article-comment`, &body, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	if want := "@" + editor.Name + " is the growth figure sourced?"; body != want {
		t.Fatalf("comment box: got %q, want %q", body, want)
	}
	if err := chromedp.Run(cctx, chromedp.KeyEvent("\r", chromedp.KeyModifiers(input.ModifierCtrl))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, cctx, `[...document.querySelectorAll('[data-list="article-threads"] .thread')].some(x => x.textContent.includes("growth figure"))`)

	// The editor's badge rises on the review page they have open.
	waitFor(t, ectx, `document.querySelector("[data-unread-count]").textContent === "1" && !document.querySelector("[data-unread]").hidden`)

	// The checker finishes and submits (over the API, as the review page
	// tests cover it); the editor requests changes on the page.
	for _, s := range a.Sentences[1:] {
		if r := patch(e, models.RoleChecker, s.ID, map[string]any{"label": "fact", "version": s.Version}); r.Status != 200 {
			t.Fatalf("label: %d %s", r.Status, r.Body)
		}
	}
	confirmAttributions(t, e, a.ID)
	if r := e.api(models.RoleChecker, "POST", fmt.Sprintf("/api/v1/articles/%d/submit", a.ID), map[string]any{}); r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	if err := chromedp.Run(ectx,
		chromedp.Reload(), chromedp.WaitVisible(`#request-changes-button`, chromedp.ByQuery),
		chromedp.SendKeys(`#decision-comment`, "Source the growth figure.", chromedp.ByQuery),
		chromedp.Click(`#request-changes-button`, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("request changes: %v", err)
	}
	// The form posts and the page comes back: wait for the new page.
	waitFor(t, ectx, `(document.querySelector("[data-article-status-text]") || {textContent: ""}).textContent.toLowerCase().includes("changes")`)

	// The checker hears of it and finds it on My work, sent back.
	waitFor(t, cctx, `document.querySelector("[data-unread-count]").textContent === "1"`)
	sentBack := fmt.Sprintf(`[data-list="sent_back"] a[href="/articles/%d"]`, a.ID)
	if err := chromedp.Run(cctx,
		chromedp.Click(`a[data-nav-work]`, chromedp.ByQuery), chromedp.WaitVisible(sentBack, chromedp.ByQuery),
		chromedp.Text(`[data-list="sent_back"]`, &text, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("My work after the send-back: %v", err)
	}
	if !strings.Contains(text, "Source the growth figure.") {
		t.Errorf("sent back without the editor's request: %q", text)
	}

	// The checker turns replies off in the app, from the inbox's settings.
	if err := chromedp.Run(cctx,
		chromedp.Click(`a[data-inbox]`, chromedp.ByQuery), chromedp.WaitVisible(`a[href="/settings/notifications"]`, chromedp.ByQuery),
		chromedp.Click(`a[href="/settings/notifications"]`, chromedp.ByQuery), chromedp.WaitVisible(`#app-comment\.reply`, chromedp.ByQuery),
		chromedp.Click(`#app-comment\.reply`, chromedp.ByQuery),
		chromedp.Click(`form[action="/settings/notifications"] button[type="submit"]`, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("notification settings: %v", err)
	}
	waitFor(t, cctx, `(document.querySelector(".flash") || {textContent: ""}).textContent.includes("Notification settings saved.")`)
	var settings struct {
		Settings []models.NotificationPref `json:"settings"`
	}
	e.api(models.RoleChecker, "GET", "/api/v1/me/notification-settings", nil).decode(t, &settings)
	for _, p := range settings.Settings {
		if p.InApp != (p.Event != "comment.reply") {
			t.Errorf("after unticking replies: %s in the app %v", p.Event, p.InApp)
		}
	}
}
