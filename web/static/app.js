// factdesk's one JavaScript module. Every action works without it as a
// plain form post; this only makes things faster. Behaviour is attached by
// data- attributes, never by inline script (the Content-Security-Policy
// forbids it).

// Select a shown-once secret on focus, so it is quick to copy.
for (const el of document.querySelectorAll("code.copy")) {
  el.tabIndex = 0;
  el.addEventListener("focus", () => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  });
}

// ===== The review page =====================================================
//
// The server renders the article with one element per sentence (id s-N,
// data-id, data-version, data-status, data-label …) and one panel for the
// selected sentence. This code moves the selection, fills the panel from
// what the page and the API know, saves each change at once with PATCH
// /api/v1/sentences/{id}, and applies other people's changes from the
// article's event stream. Nothing here is O(sentences) per keystroke: the
// sentences are indexed once, events are delegated, and the panel is one.

const reviewRoot = document.querySelector("[data-review]");
if (reviewRoot) initReview(reviewRoot);

const LABEL_KEYS = { f: "fact", a: "allegation", q: "quote", s: "assessment", 1: "fact", 2: "allegation", 3: "quote", 4: "assessment" };
const STATUS_KEYS = { v: "verified", d: "disputed", u: "unverifiable" };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function initReview(root) {
  const articleID = root.dataset.article;
  const text = root.querySelector("[data-sentences]");
  const panel = root.querySelector("[data-panel]");
  const els = Array.from(text.querySelectorAll(".sentence"));
  const me = Number(document.body.dataset.userId || 0);
  const csrfInput = document.querySelector('input[name="csrf_token"]');
  const csrf = csrfInput ? csrfInput.value : "";
  // Sentences are found by their index (the API's sentences carry it),
  // and by id through a map built the first time it is needed.
  let idMap = null;
  const byId = {
    get(id) {
      if (!idMap) {
        idMap = new Map();
        for (let i = 0; i < els.length; i++) idMap.set(Number(els[i].dataset.id), i);
      }
      return idMap.get(id);
    },
    has(id) { return this.get(id) !== undefined; },
  };
  const indexOf = (s) => (els[s.index] && Number(els[s.index].dataset.id) === s.id ? s.index : byId.get(s.id));

  const st = {
    sel: -1,
    canEdit: "canEdit" in root.dataset,
    details: new Map(), // sentence id → {suggestion, attribution}
    citations: null, // sentence id → [citation], once loaded
    threads: null, // sentence id → [thread], once loaded
    articleThreads: [],
    history: new Map(), // sentence id → {version, events}
    pending: new Map(), // sentence id → the promise of its last save
    saving: new Set(), // indexes with a label on its way
    lastActor: new Map(), // sentence id → who changed it last, from live events
    flow: "", // "exclude" or "unverifiable" while a key waits for a field
    drafts: new Map(), // sentence id → a comment being written
    counts: readCounts(root),
    panelFor: panel ? Number(panel.dataset.sentence) : 0,
  };

  // ---- helpers ----

  const say = (msg) => {
    const el = panel && panel.querySelector("[data-say]");
    if (!el) return;
    // A changed text makes screen readers announce a repeated message.
    el.textContent = el.textContent === msg ? `${msg}\u00a0` : msg;
  };
  const alertBox = () => panel && panel.querySelector("[data-alert]");
  const clearAlert = () => { const a = alertBox(); if (a) a.replaceChildren(); };
  const showAlert = (...lines) => {
    const a = alertBox();
    if (!a) { window.alert(lines.join("\n")); return; }
    a.replaceChildren(...lines.map((l) => h("p", {}, l)));
  };

  async function api(method, path, body) {
    const opts = { method, headers: { Accept: "application/json", "X-CSRF-Token": csrf }, credentials: "same-origin" };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(path, opts);
    } catch {
      throw { status: 0, error: { message: "the server could not be reached; check the connection and try again" } };
    }
    if (res.status === 204) return null;
    let data = null;
    try { data = await res.json(); } catch { /* not JSON */ }
    if (!res.ok) throw { status: res.status, error: (data && data.error) || { message: `the server answered ${res.status}` } };
    return data;
  }

  function model(i) {
    const el = els[i];
    const d = el.dataset;
    const id = Number(d.id);
    const det = st.details.get(id) || {};
    return {
      i, id, number: i + 1, version: Number(d.version), label: d.label || "", status: d.status,
      verdict: d.verdict || "", note: d.note || "", reason: d.reason || "", text: sentenceText(el),
      suggestion: det.suggestion, attribution: det.attribution, known: st.details.has(id),
    };
  }

  // ---- selection ----

  let urlTimer = 0;
  function select(i, { focus = true, scroll = true } = {}) {
    if (i < 0 || i >= els.length) return;
    const prev = els[st.sel];
    if (prev && st.sel !== i) {
      prev.classList.remove("is-selected");
      prev.removeAttribute("aria-current");
      prev.removeAttribute("tabindex");
    }
    const el = els[i];
    st.sel = i;
    el.classList.add("is-selected");
    el.setAttribute("aria-current", "true");
    el.tabIndex = 0;
    if (focus) el.focus({ preventScroll: true });
    if (scroll) el.scrollIntoView({ block: "nearest" });
    st.flow = "";
    renderPanel(true);
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => history.replaceState(null, "", `?s=${i + 1}`), 300);
  }

  // nextOpen returns the index of the first unreviewed sentence after i,
  // wrapping around, skipping those with a label on its way; -1 if none.
  function nextOpen(i, skip) {
    if (st.counts.open <= 0) return -1;
    for (let k = 1; k <= els.length; k++) {
      const j = (i + k) % els.length;
      if (j === skip || st.saving.has(j)) continue;
      if (els[j].dataset.status === "unreviewed") return j;
    }
    return -1;
  }

  function moveOn(from) {
    const j = nextOpen(from, from);
    if (j >= 0) select(j);
    else if (from + 1 < els.length) select(from + 1);
    else say("Every sentence is labeled or excluded. Submit when ready.");
  }

  // ---- applying a sentence's state ----

  function apply(s, { force = false } = {}) {
    const i = indexOf(s);
    if (i === undefined) return false;
    const el = els[i];
    if (!force && Number(el.dataset.version) >= s.version) return false;
    const old = el.dataset.status;
    el.dataset.version = s.version;
    setData(el, "label", s.label || "");
    setData(el, "status", s.status);
    setData(el, "verdict", s.verdict || "");
    setData(el, "note", s.note || "");
    setData(el, "reason", s.status === "excluded" ? s.exclude_reason || "" : "");
    paintSentence(el);
    if (old !== s.status) countMove(old, s.status);
    st.history.delete(s.id);
    if (i === st.sel) renderPanel(false);
    return true;
  }

  function paintSentence(el) {
    const d = el.dataset;
    const num = el.querySelector(".num");
    let tag = el.querySelector(".lt");
    const t = labelTag(d.label || "", d.status);
    if (t) {
      if (!tag) { tag = h("span", { class: "lt" }); num.after(tag); }
      tag.textContent = t;
    } else if (tag) tag.remove();
    let note = el.querySelector(".excluded-note");
    if (d.status === "excluded") {
      if (!note) {
        note = h("span", { class: "excluded-note" });
        const mark = el.querySelector(".mark");
        if (mark) mark.before(note, " "); else el.append(" ", note);
      }
      note.textContent = `excluded: ${d.reason || ""}`;
    } else if (note) {
      if (note.previousSibling && note.previousSibling.nodeType === 3 && note.previousSibling.data === " ") note.previousSibling.remove();
      note.remove();
    }
  }

  function countMove(from, to) {
    const bucket = (s) => (s === "excluded" ? "excluded" : s === "unreviewed" ? "open" : "labeled");
    st.counts[bucket(from)]--;
    st.counts[bucket(to)]++;
    writeCounts(root, st.counts);
  }

  // ---- saving ----

  function save(i, patch, { optimistic = null, what = "" } = {}) {
    const el = els[i];
    const id = Number(el.dataset.id);
    const before = snapshot(el);
    if (optimistic) {
      for (const [k, v] of Object.entries(optimistic)) setData(el, k, v);
      paintSentence(el);
      el.classList.add("is-saving");
    }
    const run = async () => {
      try {
        const s = await api("PATCH", `/api/v1/sentences/${id}`, { ...patch, version: Number(el.dataset.version) });
        el.classList.remove("is-saving");
        if (optimistic) restore(el, before); // the answer decides, counts included
        apply(s, { force: true });
        clearDirty();
        if (st.sel === i) clearAlert();
        say(`Sentence ${i + 1}: ${what || "saved"} — saved.`);
        return s;
      } catch (err) {
        el.classList.remove("is-saving");
        if (optimistic) { restore(el, before); paintSentence(el); }
        refused(i, err, patch, what);
        return null;
      }
    };
    const p = (st.pending.get(id) || Promise.resolve()).then(run);
    st.pending.set(id, p);
    return p;
  }

  function refused(i, err, patch, what) {
    const e = err.error || {};
    if (st.sel !== i) select(i);
    if (err.status === 409 && e.data && e.data.id) {
      apply(e.data, { force: true });
      const who = st.lastActor.get(e.data.id) || "Someone else";
      showAlert(`Sentence ${i + 1} was not saved: ${who} changed it meanwhile.`,
        `It is now: ${describeState(e.data)}.`,
        `You asked for: ${what || describePatch(patch)}. Your input is kept; do it again to replace their version.`);
      if (!st.lastActor.has(e.data.id)) {
        // Name who it was: the sentence's history knows.
        api("GET", `/api/v1/sentences/${e.data.id}/history`).then((r) => {
          const last = (r.events || []).at(-1);
          const first = alertBox() && alertBox().firstElementChild;
          if (last && first && st.sel === i) first.textContent = `Sentence ${i + 1} was not saved: ${personName(last.actor)} changed it meanwhile.`;
        }, () => {});
      }
      return;
    }
    if (err.status === 409 && e.data && e.data.status) {
      st.canEdit = false;
    }
    showAlert(`Sentence ${i + 1} was not saved: ${e.message || "unknown error"}`,
      ...(e.field ? [`(the ${e.field.replace(/_/g, " ")} field)`] : []));
  }

  const editable = () => {
    if (st.canEdit) return true;
    showAlert("This article cannot be changed here: " +
      (root.dataset.articleStatus === "approved" ? "it is approved and read-only; an editor must reopen it." :
        root.dataset.articleStatus === "submitted" ? "it is submitted; an editor must request changes first." :
          "your role may only read it."));
    return false;
  };

  function setLabel(label) {
    if (!editable() || st.sel < 0) return;
    const i = st.sel;
    const el = els[i];
    const status = el.dataset.status === "unreviewed" ? "labeled" : el.dataset.status;
    st.saving.add(i);
    save(i, { label }, { optimistic: { label, status }, what: label }).finally(() => st.saving.delete(i));
    moveOn(i);
  }

  function acceptSuggestion() {
    if (!editable() || st.sel < 0) return;
    const i = st.sel;
    const m = model(i);
    if (m.known && !m.suggestion) {
      showAlert(`Sentence ${i + 1} has no machine suggestion to accept; label it with f, a, q or s.`);
      return;
    }
    const opt = m.suggestion ? { label: m.suggestion.label, status: m.status === "unreviewed" ? "labeled" : m.status } : null;
    st.saving.add(i);
    save(i, { accept_suggestion: true }, { optimistic: opt, what: "accepted the machine's suggestion" }).finally(() => st.saving.delete(i));
    moveOn(i);
  }

  function setStatus(status) {
    if (!editable() || st.sel < 0) return;
    const m = model(st.sel);
    if (status === "unverifiable" && !m.note) {
      const sel = panel.querySelector("#f-status");
      const note = panel.querySelector("#f-note");
      if (sel && note) {
        sel.value = "unverifiable";
        sel.dataset.dirty = "1";
        st.flow = "unverifiable";
        focusSoon(note);
        say("Unverifiable needs a note: say what was checked, then press Ctrl+Enter.");
        return;
      }
    }
    save(st.sel, { status }, { what: status });
  }

  function startExclude() {
    if (!editable() || st.sel < 0) return;
    const input = panel.querySelector("#f-reason");
    if (!input || input.closest("[hidden]")) {
      say(`Sentence ${st.sel + 1} is excluded already.`);
      return;
    }
    st.flow = "exclude";
    focusSoon(input);
    say("Why is it not a claim to check? Type the reason and press Enter; Esc goes back.");
  }

  async function undo() {
    if (!editable()) return;
    try {
      const s = await api("POST", `/api/v1/articles/${articleID}/undo`);
      apply(s, { force: true });
      const i = indexOf(s);
      if (i !== undefined) select(i);
      clearAlert();
      say(`Undone: sentence ${i + 1} is back to ${describeState(s)}.`);
    } catch (err) {
      showAlert(`Nothing undone: ${(err.error && err.error.message) || "unknown error"}`);
    }
  }

  // ---- the panel ----

  function renderPanel(moved) {
    if (!panel || st.sel < 0) return;
    const m = model(st.sel);
    const q = (sel) => panel.querySelector(sel);
    const all = (sel) => panel.querySelectorAll(sel);
    const bind = (name, value) => { for (const el of all(`[data-bind="${name}"]`)) el.textContent = value; };
    const show = (name, on) => { for (const el of all(`[data-bind="${name}"]`)) el.hidden = !on; };
    const changed = st.panelFor !== m.id;
    panel.dataset.sentence = m.id;
    panel.dataset.number = m.number;
    if (moved) clearAlert();
    bind("number", m.number);
    bind("text", m.text);
    const lt = q('[data-bind="label"]');
    if (lt) { lt.textContent = m.label; lt.className = `lt lt-big lt-${m.label}`; lt.hidden = !m.label; }
    const stEl = q('[data-bind="status"]');
    if (stEl) { stEl.textContent = title(m.status); stEl.className = `st st-${m.status}`; }
    bind("verdict-text", m.verdict);
    show("verdict", !!m.verdict);
    bind("reason", m.reason);
    show("excluded", m.status === "excluded");
    show("clear-label", !!m.label);
    for (const b of all(".lb")) b.setAttribute("aria-pressed", String(b.value === m.label));
    navLink("prev", m.i > 0 ? m.i : 0);
    navLink("next", m.i + 1 < els.length ? m.i + 2 : 0);
    const no = nextOpen(m.i, m.i);
    navLink("open", no >= 0 ? no + 1 : 0);
    const back = q('[data-nav="back"]');
    if (back) back.href = `#s-${m.number}`;

    for (const f of all("form[data-form]")) {
      const kind = f.dataset.form;
      if (["label", "accept", "check", "include", "exclude"].includes(kind)) f.action = `/sentences/${m.id}`;
      else if (kind === "attribution") f.action = `/sentences/${m.id}/attribution`;
      else if (kind === "cite") f.action = `/sentences/${m.id}/citations`;
    }
    for (const el of all('[data-bind-value="version"]')) el.value = m.version;
    for (const el of all('[data-bind-value="id"]')) el.value = m.id;
    for (const el of all('[data-bind-value="number"]')) el.value = m.number;
    for (const el of all('[data-bind-value="unexclude"]')) el.value = m.label ? "labeled" : "unreviewed";
    for (const el of all('[data-bind-value="back"]')) el.value = `${location.pathname}?s=${m.number}#panel`;
    for (const el of all('[data-bind-href="similar"]')) el.href = `/sentences/${m.id}/similar`;

    // The check form keeps what the person typed, unless they moved on.
    field(q("#f-status"), m.status, changed);
    const exOpt = q("[data-excluded-option]");
    if (exOpt) exOpt.hidden = m.status !== "excluded";
    field(q("#f-verdict"), m.verdict, changed);
    field(q("#f-note"), m.note, changed);
    if (changed) field(q("#f-reason"), "", true);
    // A comment being written stays with its sentence.
    const box = q("#comment-body");
    if (box && changed) {
      if (box.value) st.drafts.set(st.panelFor, box.value); else st.drafts.delete(st.panelFor);
      box.value = st.drafts.get(m.id) || "";
    }
    for (const el of all('[data-show="excluded"]')) el.hidden = m.status !== "excluded";
    for (const el of all('[data-show="included"]')) el.hidden = m.status === "excluded";

    if (m.known || changed) renderSuggestion(m);
    if (m.known || changed) renderAttribution(m, changed);
    if (st.citations || changed) renderCitations(m);
    if (st.threads || changed) renderThreads(m);
    if (changed) {
      const cite = q("details[data-cite]");
      if (cite) cite.open = false;
      renderHistory(m, null);
    }
    st.panelFor = m.id;
    loadHistory(m);
  }

  function navLink(name, n) {
    const a = panel.querySelector(`[data-nav="${name}"]`);
    if (!a) return;
    a.hidden = !n;
    if (n) a.href = `?s=${n}#panel`;
  }

  function field(el, value, reset) {
    if (!el) return;
    if (el.dataset.dirty && !reset) return;
    delete el.dataset.dirty;
    if (el.value !== value) el.value = value;
  }

  function clearDirty() {
    if (!panel) return;
    for (const el of panel.querySelectorAll("[data-dirty]")) delete el.dataset.dirty;
  }

  function renderSuggestion(m) {
    const sec = panel.querySelector('[data-sec="suggestion"]');
    if (!sec) return;
    const g = m.suggestion;
    sec.hidden = !g;
    if (!g) return;
    const l = sec.querySelector('[data-bind="sg-label"]');
    l.textContent = g.label;
    l.className = `lt lt-${g.label}`;
    sec.querySelector('[data-bind="sg-confidence"]').textContent = `${Math.round(g.confidence * 100)}% confident`;
    sec.querySelector('[data-list="sg-reasons"]').replaceChildren(...(g.reasons || []).map((r) => h("li", {}, r)));
  }

  function renderAttribution(m, reset) {
    const sec = panel.querySelector('[data-sec="attribution"]');
    if (!sec) return;
    const a = m.attribution;
    const set = (name, v) => { const el = sec.querySelector(`[data-bind="${name}"]`); if (el) el.textContent = v; };
    const shown = (name, on) => { const el = sec.querySelector(`[data-bind="${name}"]`); if (el) el.hidden = !on; };
    shown("attribution", !!a);
    shown("no-attribution", !a);
    shown("at-confirm", !!a && !a.confirmed_at);
    shown("at-clear", !!a);
    if (a) {
      set("at-speaker", a.speaker);
      set("at-cue", a.cue);
      set("at-medium", a.medium ? `in ${a.medium}` : "");
      let origin = "";
      if (a.carried_over) origin += `carried over${a.from !== null && a.from !== undefined ? ` from sentence ${a.from + 1}` : ""} · `;
      origin += a.confirmed_at ? "confirmed" : a.origin === "machine" ? "found by the machine, not yet confirmed" : "set by a checker";
      set("at-origin", origin);
    }
    const form = sec.querySelector('form[data-form="attribution"]');
    if (form && (reset || !form.querySelector("[data-dirty]"))) {
      form.querySelector('[data-bind-value="at-version"]').value = a ? a.version : 0;
      form.elements.speaker.value = a ? a.speaker : "";
      form.elements.cue.value = a ? a.cue : "";
      form.elements.medium.value = a ? a.medium : "";
      form.elements.carried_over.checked = !!(a && a.carried_over);
    }
  }

  function renderCitations(m) {
    const list = panel.querySelector('[data-list="citations"]');
    if (!list) return;
    if (!st.citations) {
      // Not loaded yet: keep the server's list if it is this sentence's.
      if (st.panelFor !== m.id) list.replaceChildren();
    } else {
      list.replaceChildren(...(st.citations.get(m.id) || []).map((c) => citationItem(c, m)));
    }
    const none = panel.querySelector('[data-bind="no-citations"]');
    if (none) none.hidden = list.children.length > 0;
  }

  function citationItem(c, m) {
    const src = c.source || {};
    const li = h("li", { class: "citation" },
      h("p", { class: "citing-head" },
        h("span", { class: `relation relation-${c.relation}` }, c.relation), " ",
        src.id ? h("a", { href: `/sources/${src.id}` }, src.title || `Source ${src.id}`) : "",
        c.locator ? h("span", { class: "small" }, ` ${c.locator}`) : ""),
      c.excerpt ? h("p", { class: "citing-text" }, c.excerpt) : "");
    if ("canCite" in root.dataset && st.canEdit) {
      li.append(h("form", { method: "post", action: `/citations/${c.id}/delete`, "data-form": "uncite" },
        hidden("csrf_token", csrf), hidden("back", `${location.pathname}?s=${m.number}#panel`),
        h("button", { type: "submit", class: "link-button" }, "Remove")));
    }
    return li;
  }

  function renderThreads(m) {
    const list = panel.querySelector('[data-list="threads"]');
    if (!list) return;
    if (!st.threads) {
      if (st.panelFor !== m.id) list.replaceChildren();
    } else {
      list.replaceChildren(...(st.threads.get(m.id) || []).map((t) => threadItem(t, m.number)));
    }
    const none = panel.querySelector('[data-bind="no-comments"]');
    if (none) none.hidden = list.children.length > 0;
  }

  function threadItem(t, number) {
    const open = !t.resolved_at;
    const cls = ["thread"];
    if (t.kind === "change_request") cls.push("is-cr");
    if (!open) cls.push("is-resolved");
    const li = h("li", { class: cls.join(" "), id: `c-${t.id}` },
      h("p", { class: "c-meta" }, h("strong", {}, t.author || "someone"),
        t.kind === "change_request" ? h("span", { class: "c-kind" }, "change request") : t.kind === "decision" ? h("span", { class: "c-kind" }, "decision") : "",
        timeEl(t.created_at), open ? "" : h("span", { class: "c-resolved" }, "resolved")),
      h("p", { class: "c-body" }, t.body));
    if (t.replies && t.replies.length) {
      li.append(h("ul", { class: "replies" }, ...t.replies.map((r) =>
        h("li", {}, h("p", { class: "c-meta" }, h("strong", {}, r.author || "someone"), timeEl(r.created_at)), h("p", { class: "c-body" }, r.body)))));
    }
    if ("canComment" in root.dataset) {
      li.append(h("div", { class: "c-actions" },
        h("form", { method: "post", action: `/articles/${articleID}/comments`, class: "reply-form", "data-form": "reply" },
          hidden("csrf_token", csrf), hidden("parent_id", t.id), hidden("sentence_number", number),
          h("label", { for: `reply-${t.id}`, class: "visually-hidden" }, `Reply to ${t.author}`),
          h("input", { id: `reply-${t.id}`, name: "body", maxlength: "10000", required: "", placeholder: "Reply" }),
          h("button", { type: "submit" }, "Reply")),
        h("form", { method: "post", action: `/comments/${t.id}/resolve`, "data-form": "resolve" },
          hidden("csrf_token", csrf), hidden("resolved", open ? "true" : "false"),
          h("button", { type: "submit", class: "link-button" }, open ? "Resolve" : "Reopen"))));
    }
    return li;
  }

  // ---- history, loaded when the selection rests ----

  let historyTimer = 0;
  function loadHistory(m) {
    clearTimeout(historyTimer);
    const cached = st.history.get(m.id);
    if (cached && cached.version === m.version) { renderHistory(m, cached.events); return; }
    historyTimer = setTimeout(async () => {
      try {
        const r = await api("GET", `/api/v1/sentences/${m.id}/history`);
        st.history.set(m.id, { version: m.version, events: r.events });
        if (st.sel >= 0 && Number(els[st.sel].dataset.id) === m.id) renderHistory(m, r.events);
      } catch { /* the panel keeps what it shows */ }
    }, 250);
  }

  function renderHistory(m, events) {
    const list = panel.querySelector('[data-list="history"]');
    if (!list) return;
    if (events === null) { list.replaceChildren(); }
    else {
      list.replaceChildren(...events.slice().reverse().map((e) => {
        const what = stateChanges(e.before || {}, e.after || {});
        return h("li", {}, timeEl(e.at), " ", h("strong", {}, personName(e.actor)), ` ${actionName(e.action)}${what.length ? ": " + what.join("; ") : ""}`);
      }));
    }
    const none = panel.querySelector('[data-bind="no-history"]');
    if (none) none.hidden = events === null || list.children.length > 0;
  }

  // ---- comments ----

  function indexComments(comments) {
    const threads = new Map();
    const articleThreads = [];
    const byID = new Map();
    for (const c of comments) {
      if (c.parent_id) {
        const t = byID.get(c.parent_id);
        if (t) t.replies.push(c);
        continue;
      }
      const t = { ...c, replies: [] };
      byID.set(c.id, t);
      if (c.sentence_id) {
        if (!threads.has(c.sentence_id)) threads.set(c.sentence_id, []);
        threads.get(c.sentence_id).push(t);
      } else articleThreads.push(t);
    }
    st.threads = threads;
    st.articleThreads = articleThreads;
    st.threadByID = byID;
  }

  function upsertComment(c) {
    if (!st.threads) return;
    if (c.parent_id) {
      const t = st.threadByID.get(c.parent_id);
      if (t && !t.replies.some((r) => r.id === c.id)) t.replies.push(c);
      if (t && t.sentence_id) repaintThreads(t.sentence_id);
      return;
    }
    const t = st.threadByID.get(c.id);
    if (t) Object.assign(t, c, { replies: t.replies });
    else {
      const nt = { ...c, replies: [] };
      st.threadByID.set(c.id, nt);
      if (c.sentence_id) {
        if (!st.threads.has(c.sentence_id)) st.threads.set(c.sentence_id, []);
        st.threads.get(c.sentence_id).push(nt);
      } else st.articleThreads.push(nt);
    }
    if (c.sentence_id) repaintThreads(c.sentence_id);
  }

  // repaintThreads updates a sentence's comment mark, and the panel when
  // it shows that sentence.
  function repaintThreads(sentenceID) {
    const i = byId.get(sentenceID);
    if (i === undefined) return;
    const open = (st.threads.get(sentenceID) || []).filter((t) => !t.resolved_at);
    const cr = open.some((t) => t.kind === "change_request");
    const el = els[i];
    let mark = el.querySelector(".mark");
    if (open.length) {
      if (!mark) { mark = h("span", { class: "mark" }); el.append(" ", mark); }
      mark.className = cr ? "mark mark-cr" : "mark";
      mark.textContent = cr ? "changes requested" : `${open.length} ${open.length === 1 ? "comment" : "comments"}`;
    } else if (mark) mark.remove();
    if (i === st.sel) renderThreads(model(i));
  }

  async function postComment(form, kind) {
    const body = form.elements.body.value;
    const req = { body };
    if (kind === "reply") req.parent_id = Number(form.elements.parent_id.value);
    else if (form.elements.sentence_id) req.sentence_id = Number(form.elements.sentence_id.value);
    try {
      const c = await api("POST", `/api/v1/articles/${articleID}/comments`, req);
      if (!c.author) c.author = "you";
      upsertComment(c);
      if (!c.sentence_id) { location.reload(); return; }
      form.elements.body.value = "";
      say(kind === "reply" ? "Reply added." : "Comment added.");
    } catch (err) {
      showAlert(`Comment not added: ${(err.error && err.error.message) || "unknown error"}`);
    }
  }

  async function resolveThread(form) {
    const id = Number(form.action.match(/comments\/(\d+)\/resolve/)[1]);
    const resolved = form.elements.resolved.value !== "false";
    try {
      const c = await api("POST", `/api/v1/comments/${id}/resolve`, { resolved });
      upsertComment(c);
      if (!c.sentence_id) location.reload();
      say(resolved ? "Thread resolved." : "Thread reopened.");
    } catch (err) {
      showAlert(`Thread not changed: ${(err.error && err.error.message) || "unknown error"}`);
    }
  }

  // ---- forms: saved in place when they change a sentence ----

  root.addEventListener("submit", (e) => {
    const form = e.target;
    const kind = form.dataset.form;
    if (!kind || st.sel < 0) return;
    const i = st.sel;
    const v = (name) => (form.elements[name] ? form.elements[name].value : undefined);
    switch (kind) {
      case "label": {
        const b = e.submitter;
        if (!b || b.name !== "label") return;
        e.preventDefault();
        if (!editable()) return;
        save(i, { label: b.value }, { optimistic: { label: b.value, status: b.value ? (els[i].dataset.status === "unreviewed" ? "labeled" : els[i].dataset.status) : els[i].dataset.status }, what: b.value || "label cleared" });
        return;
      }
      case "accept":
        e.preventDefault();
        acceptSuggestion();
        return;
      case "check": {
        e.preventDefault();
        if (!editable()) return;
        const next = st.flow === "unverifiable";
        st.flow = "";
        save(i, { status: v("status"), verdict: v("verdict"), note: v("note") }, { what: `status ${v("status")}` }).then((s) => {
          if (s && next) moveOn(i);
        });
        return;
      }
      case "include":
        e.preventDefault();
        if (!editable()) return;
        save(i, { status: v("status") }, { what: "included again" });
        return;
      case "exclude": {
        e.preventDefault();
        if (!editable()) return;
        const reason = v("exclude_reason");
        const next = st.flow === "exclude";
        st.flow = "";
        save(i, { exclude_reason: reason }, { what: `excluded (${reason})` }).then((s) => {
          if (s) { form.elements.exclude_reason.value = ""; if (next) moveOn(i); }
        });
        if (next) els[i].focus({ preventScroll: true });
        return;
      }
      case "undo":
        e.preventDefault();
        undo();
        return;
      case "comment":
      case "reply":
        e.preventDefault();
        postComment(form, kind);
        return;
      case "resolve":
        e.preventDefault();
        resolveThread(form);
        return;
    }
  });

  root.addEventListener("input", (e) => {
    if (e.target.closest && e.target.closest("[data-panel]") && e.target.matches("input, select, textarea")) e.target.dataset.dirty = "1";
  });

  // ---- the keyboard ----

  const typing = (t) => t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  const onText = (t) => t === document.body || t === document.documentElement || t.id === "main" || (t.closest && !!t.closest("[data-sentences]"));

  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.isComposing) return;
    const t = e.target;
    if (typing(t)) {
      if (e.key === "Escape" && t.closest("[data-panel]")) {
        st.flow = "";
        e.preventDefault();
        if (st.sel >= 0) els[st.sel].focus();
      } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && t.form && t.form.dataset.form) {
        e.preventDefault();
        t.form.requestSubmit();
      }
      return;
    }
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (document.querySelector("dialog[open]")) return;
    const k = e.key;
    held = { key: k, go: null };
    if (k === "?") { openKeys(); e.preventDefault(); return; }
    if (st.sel < 0) return;
    if (LABEL_KEYS[k]) setLabel(LABEL_KEYS[k]);
    else if (STATUS_KEYS[k]) setStatus(STATUS_KEYS[k]);
    else if (k === "j") select(st.sel + 1);
    else if (k === "k") select(st.sel - 1);
    else if ((k === "ArrowDown" || k === "ArrowRight") && onText(t)) select(st.sel + 1);
    else if ((k === "ArrowUp" || k === "ArrowLeft") && onText(t)) select(st.sel - 1);
    else if (k === "n") { const j = nextOpen(st.sel, -1); if (j >= 0) select(j); else say("No open sentence is left."); }
    else if (k === "Enter" && onText(t)) acceptSuggestion();
    else if (k === "e") startExclude();
    else if (k === "z") undo();
    else if (k === "c") focusField("#comment-body", "Comments need a role that may comment.");
    else if (k === "o") openCite();
    else return;
    e.preventDefault();
  });

  function focusField(sel, missing) {
    const el = panel && panel.querySelector(sel);
    if (!el) { say(missing); return; }
    focusSoon(el);
  }

  // A key that opens a field moves the focus there when it is released,
  // so that its own character is not typed into the field.
  let held = null;
  function focusSoon(el) {
    const go = () => {
      held = null;
      el.focus();
      el.scrollIntoView({ block: "nearest" });
    };
    if (!held) { go(); return; }
    held.go = go;
    setTimeout(() => { if (held && held.go === go) go(); }, 500);
  }
  document.addEventListener("keyup", (e) => {
    if (held && held.go && e.key === held.key) held.go();
  });

  function openCite() {
    const d = panel && panel.querySelector("details[data-cite]");
    if (!d) { say("Citing sources is not available here."); return; }
    d.open = true;
    focusField("#cite-url", "");
  }

  const keysDialog = document.getElementById("keys-dialog");
  function openKeys() {
    if (keysDialog && !keysDialog.open) keysDialog.showModal();
  }
  for (const b of root.querySelectorAll("[data-keys-open]")) b.addEventListener("click", openKeys);
  if (keysDialog) keysDialog.addEventListener("close", () => { if (st.sel >= 0) els[st.sel].focus({ preventScroll: true }); });

  // ---- the mouse ----

  text.addEventListener("click", (e) => {
    const el = e.target.closest(".sentence");
    if (!el) return;
    if (e.target.closest("a.num")) e.preventDefault();
    else if (String(window.getSelection())) return; // selecting text to copy
    select(Number(el.id.slice(2)) - 1, { scroll: false });
  });

  // ---- live updates ----

  let es = null;
  let retry = 1000;
  let connectedOnce = false;
  function connect() {
    if (!window.EventSource) return;
    es = new EventSource(`/api/v1/articles/${articleID}/events`);
    es.addEventListener("ready", () => {
      retry = 1000;
      liveState("");
      if (connectedOnce) resync();
      connectedOnce = true;
    });
    es.addEventListener("sentence", (e) => onSentenceEvent(JSON.parse(e.data)));
    es.addEventListener("comment", (e) => {
      const ev = JSON.parse(e.data);
      if (ev.data) upsertComment({ ...ev.data, author: ev.data.author || ev.actor });
    });
    es.addEventListener("article", (e) => onArticleEvent(JSON.parse(e.data)));
    es.addEventListener("citation", () => loadCitations());
    es.addEventListener("attribution", (e) => onAttributionEvent(JSON.parse(e.data)));
    es.onerror = () => {
      liveState("Live updates interrupted; reconnecting…");
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 30000);
      }
    };
  }

  function liveState(msg) {
    let el = root.querySelector("[data-live-state]");
    if (!el && msg) {
      el = h("p", { class: "live-state", "data-live-state": "", role: "status" });
      root.prepend(el);
    }
    if (el) { el.textContent = msg; el.hidden = !msg; }
  }

  async function onSentenceEvent(ev) {
    let s = ev.data;
    if (!s || !s.id) {
      try { s = await api("GET", `/api/v1/sentences/${ev.entity_id}`); } catch { return; }
    }
    const i = indexOf(s);
    if (i === undefined) return;
    const mine = ev.actor_id === me;
    if (!mine && ev.actor) st.lastActor.set(s.id, ev.actor);
    const applied = apply(s);
    if (applied && !mine && i === st.sel) {
      const dirty = panel && panel.querySelector("[data-dirty]");
      showAlert(`${ev.actor || "Someone"} just changed this sentence: it is now ${describeState(s)}.`,
        ...(dirty ? ["What you typed is kept; saving it replaces their version."] : []));
    }
  }

  function onArticleEvent(ev) {
    const who = ev.actor_id === me ? "You" : ev.actor || "Someone";
    if (ev.data && ev.data.action === "article.revision") {
      // The sentences on this page belong to the revision before.
      st.canEdit = false;
      liveState(`${who} imported revision ${ev.data.revision} of the article. Reload the page to review it; this one is read-only now.`);
      return;
    }
    const status = ev.data && ev.data.status;
    if (!status || status === root.dataset.articleStatus) return;
    root.dataset.articleStatus = status;
    st.canEdit = st.canEdit && status !== "submitted" && status !== "approved";
    const note = root.querySelector("[data-article-status-text]");
    if (note) { note.textContent = title(status); note.className = `status status-${status}`; }
    liveState(`${who} changed the article's status to ${title(status).toLowerCase()}. Reload the page for its new actions.`);
  }

  function onAttributionEvent(ev) {
    const d = ev.data || {};
    const a = d.Attribution !== undefined ? d.Attribution : d.attribution !== undefined ? d.attribution : d.speaker !== undefined ? d : undefined;
    const sid = (a && a.sentence_id) || (d.Sentence && d.Sentence.id) || d.sentence_id || ev.entity_id;
    if (a === undefined || !byId.has(sid)) { loadDetails(); return; }
    const det = st.details.get(sid) || {};
    det.attribution = a;
    st.details.set(sid, det);
    if (st.sel >= 0 && Number(els[st.sel].dataset.id) === sid) renderAttribution(model(st.sel), false);
  }

  // ---- background loads ----

  async function loadDetails() {
    try {
      const a = await api("GET", `/api/v1/articles/${articleID}`);
      for (const s of a.sentences || []) {
        st.details.set(s.id, { suggestion: s.suggestion || null, attribution: s.attribution || null });
      }
      return a;
    } catch { return null; }
  }

  async function loadCitations() {
    try {
      const r = await api("GET", `/api/v1/articles/${articleID}/citations`);
      const m = new Map();
      for (const c of r.citations || []) {
        if (!m.has(c.sentence_id)) m.set(c.sentence_id, []);
        m.get(c.sentence_id).push(c);
      }
      st.citations = m;
      if (st.sel >= 0) renderCitations(model(st.sel));
    } catch { /* the server's list stays */ }
  }

  async function loadComments() {
    try {
      const r = await api("GET", `/api/v1/articles/${articleID}/comments`);
      indexComments(r.comments || []);
    } catch { /* the server's list stays */ }
  }

  async function resync() {
    const a = await loadDetails();
    if (a) for (const s of a.sentences || []) apply(s);
    await Promise.all([loadComments(), loadCitations()]);
    if (st.sel >= 0) renderPanel(false);
  }

  // ---- start ----

  for (const el of root.querySelectorAll("[data-js-only]")) el.hidden = false;
  // The text is one stop in the tab order: the selected sentence.
  const first = panel && els[panel.dataset.number - 1] ? panel.dataset.number - 1 : -1;
  if (first >= 0) {
    st.sel = first;
    els[first].tabIndex = 0;
    // Start at the selected sentence, unless the address points elsewhere
    // (a comment, the panel).
    if (location.hash === "" || location.hash === `#s-${first + 1}`) {
      els[first].focus({ preventScroll: true });
      if (location.search.includes("s=") || location.hash) els[first].scrollIntoView({ block: "center" });
    }
  }
  connect();
  root.dataset.ready = String(Math.round(performance.now()));
  setTimeout(async () => {
    await loadDetails();
    await Promise.all([loadComments(), loadCitations()]);
    if (st.sel >= 0) {
      const m = model(st.sel);
      renderSuggestion(m);
      renderAttribution(m, false);
    }
  }, 0);
}

// ---- small pure helpers ----

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  for (const c of children) if (c !== "" && c !== null && c !== undefined) el.append(c);
  return el;
}

function hidden(name, value) {
  return h("input", { type: "hidden", name, value: String(value) });
}

function setData(el, key, value) {
  if (value === "" || value === null || value === undefined) delete el.dataset[key];
  else el.dataset[key] = value;
}

function snapshot(el) {
  const d = el.dataset;
  return { label: d.label, status: d.status, verdict: d.verdict, note: d.note, reason: d.reason };
}

function restore(el, s) {
  for (const [k, v] of Object.entries(s)) setData(el, k, v);
}

function sentenceText(el) {
  let s = "";
  for (const n of el.childNodes) if (n.nodeType === 3) s += n.data;
  return s.trim();
}

function labelTag(label, status) {
  if (!label) return "";
  return ["verified", "disputed", "unverifiable"].includes(status) ? `${label} · ${status}` : label;
}

function title(s) {
  s = String(s || "").replace(/_/g, " ");
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

function readCounts(root) {
  const n = (k) => Number((root.querySelector(`[data-count="${k}"]`) || {}).textContent || 0);
  return { labeled: n("labeled"), excluded: n("excluded"), open: n("open"), total: n("total") };
}

function writeCounts(root, c) {
  const set = (k, v) => { for (const el of root.querySelectorAll(`[data-count="${k}"]`)) el.textContent = v; };
  set("labeled", c.labeled);
  set("excluded", c.excluded);
  set("open", c.open);
  set("done", c.labeled + c.excluded);
  const p = root.querySelector("[data-progress]");
  if (p) { p.value = c.labeled + c.excluded; p.textContent = `${Math.floor(((c.labeled + c.excluded) * 100) / (c.total || 1))}%`; }
  const hint = root.querySelector("[data-open-hint]");
  if (hint) {
    hint.hidden = c.open === 0;
    hint.textContent = `${c.open} ${c.open === 1 ? "sentence is" : "sentences are"} still open; every sentence must be labeled or excluded first.`;
  }
}

function describeState(s) {
  const parts = [s.label || "no label", s.status];
  if (s.verdict) parts.push(`verdict ${s.verdict}`);
  if (s.status === "excluded" && s.exclude_reason) parts.push(`reason “${s.exclude_reason}”`);
  if (s.note) parts.push(`note “${s.note}”`);
  return parts.join(", ");
}

function describePatch(p) {
  const parts = [];
  for (const [k, v] of Object.entries(p)) {
    if (k === "accept_suggestion") parts.push("the machine's suggestion");
    else parts.push(`${k.replace(/_/g, " ")} “${v}”`);
  }
  return parts.join(", ") || "nothing";
}

// personName is the name part of an audit event's actor ("Ana Ruiz
// <ana@news.example>" → "Ana Ruiz").
function personName(actor) {
  const m = /^(.+) <[^>]*>$/.exec(actor || "");
  return m ? m[1] : actor || "someone";
}

function actionName(a) {
  return { "sentence.update": "changed", "sentence.undo": "undid a change" }[a] || String(a).replace(/_/g, " ");
}

function stateChanges(b, a) {
  const out = [];
  const show = (v) => v || "none";
  const field = (name, x, y) => { if ((x || "") !== (y || "")) out.push(`${name}: ${show(x)} → ${show(y)}`); };
  field("label", b.label, a.label);
  if (a.suggested && !b.suggested) out.push("accepted the machine's suggestion");
  field("status", b.status, a.status);
  field("verdict", b.verdict, a.verdict);
  field("exclusion reason", b.exclude_reason, a.exclude_reason);
  if ((b.note || "") !== (a.note || "")) {
    if (!a.note) out.push("note removed");
    else if (!b.note) out.push(`note added: “${a.note}”`);
    else out.push(`note: “${a.note}”`);
  }
  return out;
}

function timeEl(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const p = (n) => String(n).padStart(2, "0");
  return h("time", { datetime: d.toISOString() }, `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`);
}
