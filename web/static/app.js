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

// ===== The inbox badge ======================================================
//
// Every signed-in page keeps the header's unread count as notifications
// arrive or are read elsewhere: the review page from its article's event
// stream, which carries the person's inbox too, every other page from the
// inbox's own stream — one connection a page either way (browsers allow
// six per site over HTTP/1.1, for all its tabs).

const inboxLink = document.querySelector("[data-inbox]");

function showUnread(n) {
  if (!inboxLink || !Number.isFinite(n)) return;
  inboxLink.querySelector("[data-unread-count]").textContent = String(n);
  inboxLink.querySelector("[data-unread]").hidden = n === 0;
  inboxLink.dataset.live = "ready";
}

function unreadOf(e) {
  try { return Number(JSON.parse(e.data).unread); } catch { return NaN; }
}

if (inboxLink && window.EventSource && !document.querySelector("[data-review]")) followInbox();

function followInbox() {
  let retry = 1000;
  function connect() {
    const es = new EventSource("/api/v1/notifications/events");
    const update = (e) => { retry = 1000; showUnread(unreadOf(e)); };
    es.addEventListener("ready", update);
    es.addEventListener("inbox", update);
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 30000);
      }
    };
  }
  connect();
}

// ===== @mentions ===========================================================
//
// In a comment box, "@" and the start of a name offers the people who can
// be mentioned; ↓/↑ move, Enter or Tab inserts "@Full Name", Esc closes.

// "/" on any page, outside a field, goes to the header's search box.
document.addEventListener("keydown", (e) => {
  if (e.key !== "/" || e.altKey || e.ctrlKey || e.metaKey || e.isComposing || e.defaultPrevented) return;
  const t = e.target;
  if (t.closest && t.closest("input, textarea, select, [contenteditable], dialog[open]")) return;
  const box = document.querySelector("[data-top-search]");
  if (!box) return;
  e.preventDefault();
  box.focus();
  box.select();
});

const MENTION_BOXES = 'form[data-form="comment"] [name="body"], form[data-form="reply"] [name="body"], form[data-form="article-comment"] [name="body"]';
let mentionPeople = null;
let mentionMenu = null;

document.addEventListener("input", (e) => {
  const box = e.target;
  if (box.matches && box.matches(MENTION_BOXES)) offerMentions(box);
});
document.addEventListener("keydown", (e) => {
  if (!mentionMenu || e.target !== mentionMenu.box) return;
  const items = [...mentionMenu.list.children];
  if (e.key === "ArrowDown" || e.key === "ArrowUp") {
    e.preventDefault();
    e.stopPropagation();
    mentionMenu.active = (mentionMenu.active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
    markMention(items);
  } else if ((e.key === "Enter" && !e.ctrlKey && !e.metaKey) || e.key === "Tab") {
    e.preventDefault();
    e.stopPropagation();
    insertMention(items[mentionMenu.active].dataset.name);
  } else if (e.key === "Escape") {
    e.preventDefault();
    e.stopPropagation();
    closeMentions();
  }
}, true);
document.addEventListener("focusout", (e) => {
  if (mentionMenu && e.target === mentionMenu.box) setTimeout(closeMentions, 150);
});

async function offerMentions(box) {
  if (!/(?:^|\s)@[^\s@]*\s?[^\s@]*$/u.test(box.value.slice(0, box.selectionStart))) { closeMentions(); return; }
  if (!mentionPeople) {
    mentionPeople = fetch("/api/v1/people", { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((res) => (res.ok ? res.json() : { people: [] }))
      .then((body) => body.people || [])
      .catch(() => []);
  }
  const people = await mentionPeople;
  // Read the box again: more may have been typed while the list loaded.
  const before = box.value.slice(0, box.selectionStart);
  const m = before.match(/(?:^|\s)@([\p{L}\p{N}.'-]*(?: [\p{L}\p{N}.'-]*)?)$/u);
  if (!m || document.activeElement !== box) { closeMentions(); return; }
  const typed = m[1].toLowerCase();
  const me = Number(document.body.dataset.userId || 0);
  const found = people.filter((p) => p.id !== me && p.name.toLowerCase().startsWith(typed)).slice(0, 6);
  if (!found.length) { closeMentions(); return; }
  if (!mentionMenu || mentionMenu.box !== box) {
    closeMentions();
    const list = h("ul", { class: "mention-menu", role: "listbox", id: "mention-menu", "aria-label": "People to mention" });
    box.after(list);
    box.setAttribute("aria-controls", "mention-menu");
    box.setAttribute("aria-autocomplete", "list");
    mentionMenu = { box, list, active: 0, start: 0 };
    list.addEventListener("mousedown", (e) => {
      const li = e.target.closest("li");
      if (li) { e.preventDefault(); insertMention(li.dataset.name); }
    });
  }
  mentionMenu.start = before.length - m[1].length - 1;
  mentionMenu.active = Math.min(mentionMenu.active, found.length - 1);
  mentionMenu.list.replaceChildren(...found.map((p, i) =>
    h("li", { role: "option", id: `mention-${i}`, "data-name": p.name }, p.name, " ", h("span", { class: "small" }, p.role))));
  markMention([...mentionMenu.list.children]);
}

function markMention(items) {
  items.forEach((li, i) => li.setAttribute("aria-selected", String(i === mentionMenu.active)));
  mentionMenu.box.setAttribute("aria-activedescendant", items[mentionMenu.active].id);
}

function insertMention(name) {
  const { box, start } = mentionMenu;
  const after = box.value.slice(box.selectionStart);
  const text = `@${name} `;
  box.value = box.value.slice(0, start) + text + after;
  const caret = start + text.length;
  box.setSelectionRange(caret, caret);
  closeMentions();
  box.focus();
}

function closeMentions() {
  if (!mentionMenu) return;
  mentionMenu.list.remove();
  mentionMenu.box.removeAttribute("aria-controls");
  mentionMenu.box.removeAttribute("aria-activedescendant");
  mentionMenu = null;
}

// ===== The review page =====================================================
//
// The server renders the article with one element per sentence (id s-N,
// data-id, data-version, data-status, data-label …) and one panel for the
// selected sentence. This code moves the selection, fills the panel from
// what the page and the API know, saves each change at once through the
// API (labels, attributions, citations, comments, undo, submitting), and
// applies other people's changes from the article's event stream. Nothing
// reloads the page. Nothing here is O(sentences) per keystroke: the
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
    anchor: -1, // the other end of a range of sentences (Shift+j/k), -1 for none
    canEdit: "canEdit" in root.dataset,
    details: new Map(), // sentence id → {suggestion, attribution}
    lines: [], // sentence index → {start, end, text}, code points into the body, once loaded
    citations: null, // sentence id → [citation], once loaded
    threads: null, // sentence id → [thread], once loaded
    articleThreads: [],
    threadByID: new Map(),
    history: new Map(), // sentence id → {version, events}
    pending: new Map(), // sentence id → the promise of its last save
    saving: new Set(), // indexes with a label on its way
    lastActor: new Map(), // sentence id → who changed it last, from live events
    flow: "", // "exclude" or "unverifiable" while a key waits for a field
    drafts: new Map(), // sentence id → a comment being written
    counts: readCounts(root),
    panelFor: panel ? Number(panel.dataset.sentence) : 0,
  };

  // The first load of the article's details (suggestions, attributions).
  let detailsLoaded = Promise.resolve();

  // ---- helpers ----

  const say = (msg) => {
    const el = panel && panel.querySelector("[data-say]");
    if (!el) return;
    // A changed text makes screen readers announce a repeated message.
    el.textContent = el.textContent === msg ? `${msg}\u00a0` : msg;
  };
  // sayIn writes "— saved." next to the control that saved, and clears it
  // a little later so that the next save is noticed.
  const sayTimers = new Map();
  const sayIn = (sec, msg) => {
    const el = panel && panel.querySelector(`[data-sec-say="${sec}"]`);
    if (!el) { say(msg); return; }
    el.textContent = msg;
    clearTimeout(sayTimers.get(sec));
    sayTimers.set(sec, setTimeout(() => { el.textContent = ""; }, 6000));
  };
  const alertBox = () => panel && panel.querySelector("[data-alert]");
  const infoBox = () => panel && panel.querySelector("[data-info]");
  const clearAlert = () => { const a = alertBox(); if (a) a.replaceChildren(); };
  const clearInfo = () => { const a = infoBox(); if (a) a.replaceChildren(); };
  const showAlert = (...lines) => {
    const a = alertBox();
    if (!a) { window.alert(lines.map(String).join("\n")); return; }
    a.replaceChildren(...lines.map((l) => h("p", {}, l)));
  };
  // showInfo tells of something that is not a problem (a colleague's
  // change), in a box of its own that is not an alert.
  const showInfo = (...lines) => {
    const a = infoBox();
    if (!a) return;
    a.replaceChildren(...lines.map((l) => h("p", {}, l)));
  };
  const message = (err) => (err && err.error && err.error.message) || "unknown error";

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

  // sentenceLinks turns sentence numbers into links that select them.
  function sentenceLinks(numbers) {
    const out = [];
    numbers.forEach((n, k) => {
      if (k) out.push(", ");
      out.push(h("a", { href: `?s=${n}#s-${n}`, "data-goto": n }, String(n)));
    });
    return out;
  }

  // ---- selection ----

  let urlTimer = 0;
  function select(i, { focus = true, scroll = true, keepRange = false } = {}) {
    if (i < 0 || i >= els.length) return;
    if (!keepRange) clearRange();
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

  // A range of sentences runs from the anchor to the selection.
  function rangeBounds() {
    if (st.anchor < 0 || st.anchor === st.sel) return null;
    return st.anchor < st.sel ? [st.anchor, st.sel] : [st.sel, st.anchor];
  }
  function paintRange() {
    for (const el of text.querySelectorAll(".sentence.in-range")) el.classList.remove("in-range");
    const r = rangeBounds();
    if (!r) return;
    for (let k = r[0]; k <= r[1]; k++) els[k].classList.add("in-range");
  }
  function clearRange() {
    if (st.anchor < 0) return;
    st.anchor = -1;
    paintRange();
  }
  function extend(delta) {
    const j = st.sel + delta;
    if (j < 0 || j >= els.length) return;
    if (st.anchor < 0) st.anchor = st.sel;
    select(j, { keepRange: true });
    paintRange();
    const r = rangeBounds();
    if (r) say(`Sentences ${r[0] + 1}–${r[1] + 1} selected: Enter accepts the machine's suggestion of each unlabeled one; Esc clears.`);
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

  // nextWithComment returns the index of the next sentence after i with an
  // open comment thread, wrapping around; -1 if none.
  function nextWithComment(i) {
    for (let k = 1; k <= els.length; k++) {
      const j = (i + k) % els.length;
      if (openThreadsOf(j) > 0) return j;
    }
    return -1;
  }
  function openThreadsOf(i) {
    if (st.threads) {
      const id = Number(els[i].dataset.id);
      return (st.threads.get(id) || []).filter((t) => !t.resolved_at && t.kind !== "decision").length;
    }
    return els[i].querySelector(".mark") ? 1 : 0;
  }

  function moveOn(from) {
    const j = nextOpen(from, from);
    if (j >= 0) select(j);
    else if (from + 1 < els.length) select(from + 1);
    else say("Every sentence is labeled or excluded. Submit when ready (S).");
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
    readinessStale = true;
    // Recounted once the keys rest: it looks at every sentence.
    clearTimeout(confidentTimer);
    confidentTimer = setTimeout(refreshConfident, 400);
  }
  let confidentTimer = 0;

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
    const r = rangeBounds();
    if (r) { acceptRange(r[0] + 1, r[1] + 1); return; }
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

  // acceptMany accepts the machine's suggestions of the unlabeled
  // sentences in scope (a range, or the confident ones) in one request;
  // each becomes an ordinary change that z undoes one by one.
  async function acceptMany(body, scope) {
    if (!editable()) return;
    try {
      const r = await api("POST", `/api/v1/articles/${articleID}/suggestions/accept`, body);
      const done = r.accepted || [];
      for (const s of done) apply(s, { force: true });
      clearRange();
      const nums = done.map((s) => (indexOf(s) ?? s.index) + 1);
      if (done.length === 0) say(`No suggestion to accept ${scope}: every sentence there is labeled already or has none.`);
      else {
        showInfo(`Accepted ${plural(done.length, "suggestion", "suggestions")} ${scope}${r.skipped ? ` (${r.skipped} left as they were)` : ""}: sentences `,
          ...sentenceLinks(nums), ". z undoes them one by one.");
        say(`Accepted ${plural(done.length, "suggestion", "suggestions")} — saved.`);
      }
      refreshConfident();
    } catch (err) {
      showAlert(`Suggestions not accepted: ${message(err)}`);
    }
  }
  function acceptRange(from, to) {
    acceptMany({ from, to }, `in sentences ${from}–${to}`);
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
    const box = input.closest("details");
    if (box) box.open = true;
    st.flow = "exclude";
    focusSoon(input);
    say("Why is it not a claim to check? Type the reason and press Enter; Esc goes back.");
  }

  // ---- undo and redo ----

  // undoStep undoes ("undo") or redoes ("redo") the person's last change
  // that can be, as the server keeps them: one step further each time.
  async function undoStep(kind) {
    if (!editable()) return;
    try {
      const r = await api("POST", `/api/v1/articles/${articleID}/${kind}`);
      const s = r.sentence;
      apply(s, { force: true });
      const i = indexOf(s);
      if (i !== undefined) select(i);
      clearAlert();
      const what = kind === "undo" ? r.undone : r.redone;
      const n = r.number || (i !== undefined ? i + 1 : "?");
      say(`${kind === "undo" ? "Undone" : "Redone"} on sentence ${n}${what ? `: ${what}` : ""}.`);
      refreshConfident();
    } catch (err) {
      showAlert(`Nothing ${kind === "undo" ? "undone" : "redone"}: ${message(err)}`);
    }
  }

  // The Undo and Redo buttons say what z and Z would do, in their titles,
  // asked of the server when the pointer or the focus reaches them (not on
  // every change: the answer replays the person's recent changes).
  async function showUndoHint() {
    let r;
    try { r = await api("GET", `/api/v1/articles/${articleID}/undo`); } catch { return; }
    const undoB = root.querySelector("[data-undo-button]");
    const redoB = root.querySelector("[data-redo-button]");
    if (undoB) undoB.title = r.undo ? `Undo: ${r.undo}` : "Nothing of yours to undo";
    if (redoB) redoB.title = r.redo ? `Redo: ${r.redo}` : "Nothing to redo";
  }
  for (const kind of ["mouseover", "focusin"]) {
    root.addEventListener(kind, (e) => {
      const b = e.target.closest && e.target.closest("[data-undo-button], [data-redo-button]");
      if (b && !b.contains(e.relatedTarget)) showUndoHint();
    });
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
    if (moved) { clearAlert(); if (changed) clearInfo(); }
    bind("number", m.number);
    // The text, with the attribution's spans marked, comes with the
    // attribution (renderAttribution); until the details are known the
    // server's marks stand.
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
      else if (kind === "attribution" || kind === "at-confirm") f.action = `/sentences/${m.id}/attribution`;
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
    const exSec = q('[data-sec="exclusion"]');
    if (exSec && changed) exSec.open = m.status === "excluded";

    if (m.known || changed) renderSuggestion(m);
    if (m.known || changed) renderAttribution(m, changed);
    if (st.citations || changed) renderCitations(m);
    if (st.threads || changed) renderThreads(m);
    if (changed) {
      const cite = q("details[data-cite]");
      if (cite) { cite.open = false; closeCombo(); }
      const atEdit = q("details[data-at-edit]");
      if (atEdit) atEdit.open = false;
      for (const el of all("[data-sec-say]")) el.textContent = "";
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

  function clearDirty(scope) {
    if (!panel) return;
    for (const el of (scope || panel).querySelectorAll("[data-dirty]")) delete el.dataset.dirty;
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
    sec.querySelector('[data-bind="sg-confidence"]').textContent = `${Math.round(g.confidence * 100)}% sure`;
    sec.querySelector('[data-list="sg-reasons"]').replaceChildren(...(g.reasons || []).map((r) => h("li", {}, r)));
  }

  // ---- attribution ----

  function renderAttribution(m, reset) {
    renderText(m);
    const sec = panel.querySelector('[data-sec="attribution"]');
    if (!sec) return;
    renderReading(sec, m);
    const a = m.attribution;
    const set = (name, v) => { const el = sec.querySelector(`[data-bind="${name}"]`); if (el) el.textContent = v; };
    const shown = (name, on) => { const el = sec.querySelector(`[data-bind="${name}"]`); if (el) el.hidden = !on; };
    shown("attribution", !!a);
    shown("no-attribution", !a);
    shown("at-clear", !!a);
    const confirmForm = sec.querySelector('form[data-form="at-confirm"]');
    if (confirmForm) confirmForm.hidden = !a || !!a.confirmed_at;
    set("at-edit-label", a ? "Edit the attribution" : "Say who makes the claim");
    if (a) {
      set("at-speaker", a.speaker);
      set("at-cue", a.cue);
      set("at-medium", a.medium ? `in ${a.medium}` : "");
      let origin = "";
      if (a.carried_over) origin += `carried over${a.from !== null && a.from !== undefined ? ` from sentence ${a.from + 1}` : ""} · `;
      origin += a.confirmed_at ? "confirmed" : a.origin === "machine" ? "found by the machine, not yet confirmed" : "set by a checker";
      set("at-origin", origin);
      const o = sec.querySelector('[data-bind="at-origin"]');
      if (o) o.classList.toggle("is-unconfirmed", !a.confirmed_at && a.origin === "machine");
    }
    for (const el of sec.querySelectorAll('[data-bind-value="at-version"]')) el.value = a ? a.version : 0;
    const form = sec.querySelector('form[data-form="attribution"]');
    if (form && (reset || !form.querySelector("[data-dirty]"))) {
      form.elements.speaker.value = a ? a.speaker : "";
      form.elements.cue.value = a ? a.cue : "";
      form.elements.medium.value = a ? a.medium : "";
      form.elements.carried_over.checked = !!(a && a.carried_over);
      clearDirty(form);
    }
  }

  // ---- the machine's reading of an attribution ----

  const SPAN_ROLES = ["source", "cue", "content"];

  // lineAt returns the index of the sentence holding code point p of the
  // body, -1 when none does or the sentences are not loaded.
  function lineAt(p) {
    let lo = 0, hi = st.lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (st.lines[mid] && st.lines[mid].start > p) hi = mid; else lo = mid + 1;
    }
    const k = lo - 1;
    return k >= 0 && st.lines[k] && p < st.lines[k].end ? k : -1;
  }

  // spansOf returns the known spans of an attribution.
  const spansOf = (a) => ((a && a.spans) || []).filter((sp) => SPAN_ROLES.includes(sp.role));

  // renderText writes the selected sentence's text with the spans of its
  // attribution that lie in it marked, as the server does: where spans
  // overlap, a source wins over a cue and a cue over content.
  function renderText(m) {
    const el = panel.querySelector('[data-bind="text"]');
    if (!el) return;
    const line = st.lines[m.i];
    const text = line ? line.text : m.text;
    const spans = spansOf(m.attribution);
    if (!line || !spans.length) { el.textContent = text; return; }
    const chars = Array.from(text);
    const roles = new Array(chars.length).fill("");
    for (const role of ["content", "cue", "source"]) {
      for (const sp of spans) {
        if (sp.role !== role) continue;
        for (let i = Math.max(sp.start - line.start, 0); i < Math.min(sp.end - line.start, chars.length); i++) roles[i] = role;
      }
    }
    const parts = [];
    let from = 0;
    for (let i = 1; i <= chars.length; i++) {
      if (i < chars.length && roles[i] === roles[from]) continue;
      const t = chars.slice(from, i).join("");
      parts.push(roles[from] ? h("mark", { class: `at-mark at-${roles[from]}` }, t) : t);
      from = i;
    }
    el.replaceChildren(...parts);
  }

  // renderReading lists the spans found in other sentences (a source
  // named earlier), with a link to each, and says how sure the machine is.
  function renderReading(sec, m) {
    const box = sec.querySelector('[data-bind="at-reading"]');
    if (!box) return;
    const a = m.attribution;
    const items = [];
    for (const sp of spansOf(a)) {
      const k = lineAt(sp.start);
      if (k < 0 || sp.end > st.lines[k].end) continue;
      const line = st.lines[k];
      const words = Array.from(line.text).slice(sp.start - line.start, sp.end - line.start).join("");
      // Words in this sentence are marked in its text (renderText).
      if (k === m.i) continue;
      const li = h("li", {}, h("mark", { class: `at-mark at-${sp.role}` }, sp.role), ` “${words}”`);
      li.append(sp.role === "source" ? ", named in " : ", in ", h("a", { href: `?s=${k + 1}#s-${k + 1}`, "data-goto": k + 1 }, `sentence ${k + 1}`));
      items.push(li);
    }
    const pct = a && a.confidence > 0 ? Math.max(1, Math.round(a.confidence * 100)) : 0;
    const list = box.querySelector('[data-list="at-spans"]');
    if (list) list.replaceChildren(...items);
    const conf = sec.querySelector('[data-bind="at-confidence"]');
    if (conf) conf.hidden = !pct;
    const num = sec.querySelector('[data-bind="at-percent"]');
    if (num) num.textContent = String(pct);
    box.hidden = !items.length;
  }

  function setAttributionOf(id, a) {
    const det = st.details.get(id) || {};
    det.attribution = a;
    st.details.set(id, det);
    if (st.sel >= 0 && Number(els[st.sel].dataset.id) === id) renderAttribution(model(st.sel), true);
    readinessStale = true;
  }

  // attributionCall sends one attribution change of the selected sentence
  // and shows the answer in place.
  async function attributionCall(action, form) {
    if (!editable() || st.sel < 0) return;
    // The attribution's version comes with the article's details: wait
    // for them when a key beats their first load.
    if (!model(st.sel).known) await detailsLoaded;
    const m = model(st.sel);
    const version = m.attribution ? m.attribution.version : 0;
    const path = `/api/v1/sentences/${m.id}/attribution`;
    try {
      let a = null;
      if (action === "confirm") a = await api("POST", `${path}/confirm`, { version });
      else if (action === "clear") await api("DELETE", path, { version });
      else {
        const f = form.elements;
        a = await api("PUT", path, { speaker: f.speaker.value, cue: f.cue.value, medium: f.medium.value, carried_over: f.carried_over.checked, version });
      }
      setAttributionOf(m.id, a);
      const box = panel.querySelector("details[data-at-edit]");
      if (box && action !== "confirm") box.open = false;
      clearAlert();
      const done = { confirm: "confirmed", clear: "cleared", save: "saved" }[action];
      sayIn("attribution", `— ${done}.`);
      say(`Sentence ${m.number}: attribution ${done}${a && a.speaker ? ` (${a.speaker})` : ""}.`);
      if (action !== "save" && els[m.i]) els[m.i].focus({ preventScroll: true });
    } catch (err) {
      const e = err.error || {};
      showAlert(`The attribution of sentence ${m.number} was not ${action === "save" ? "saved" : action === "clear" ? "cleared" : "confirmed"}: ${e.message || "unknown error"}`);
      if (err.status === 409) loadDetails().then(() => { if (st.sel === m.i) renderAttribution(model(m.i), false); });
    }
  }

  async function confirmAttribution() {
    if (!editable() || st.sel < 0) return;
    if (!model(st.sel).known) await detailsLoaded;
    const m = model(st.sel);
    if (m.known && !m.attribution) { say(`Sentence ${m.number} has no attribution to confirm; w says who makes the claim.`); return; }
    if (m.attribution && m.attribution.confirmed_at) { say(`The attribution of sentence ${m.number} is confirmed already.`); return; }
    attributionCall("confirm");
  }

  function editAttribution() {
    if (!editable() || st.sel < 0) return;
    const box = panel.querySelector("details[data-at-edit]");
    if (!box) return;
    box.open = true;
    focusField("#at-speaker", "");
    say("Who makes the claim? Ctrl+Enter saves; Esc goes back.");
  }

  // ---- citations ----

  function renderCitations(m) {
    const list = panel.querySelector('[data-list="citations"]');
    if (!list) return;
    if (!st.citations) {
      // Not loaded yet: keep the server's list if it is this sentence's.
      if (st.panelFor !== m.id) list.replaceChildren();
    } else {
      list.replaceChildren(...(st.citations.get(m.id) || []).map((c) => citationItem(c, m)));
    }
    const any = list.children.length > 0;
    const none = panel.querySelector('[data-bind="no-citations"]');
    if (none) none.hidden = any;
    const similar = panel.querySelector('[data-bind="similar-line"]');
    if (similar) similar.hidden = !any;
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
      li.append(h("form", { method: "post", action: `/citations/${c.id}/delete`, "data-form": "uncite", "data-citation": c.id },
        hidden("csrf_token", csrf), hidden("back", `${location.pathname}?s=${m.number}#panel`),
        h("button", { type: "submit", class: "link-button" }, "Remove")));
    }
    return li;
  }

  async function cite(form) {
    if (!editable() || st.sel < 0) return;
    const m = model(st.sel);
    const f = form.elements;
    const typed = f.source.value.trim();
    const body = { relation: f.relation.value, excerpt: f.excerpt.value, locator: f.locator.value };
    const picked = Number(f.source_id.value || 0);
    if (picked) body.source_id = picked;
    else if (looksLikeURL(typed)) body.url = withScheme(typed);
    else {
      showAlert(typed ? `No source in the library is picked for “${typed}”: choose one from the list with ↓ and Enter, or paste the address of a new one.`
        : "Say which source: type part of its title, publisher or address, or paste a new URL.");
      f.source.focus();
      return;
    }
    try {
      const c = await api("POST", `/api/v1/sentences/${m.id}/citations`, body);
      if (!st.citations) await loadCitations();
      else {
        if (!st.citations.has(m.id)) st.citations.set(m.id, []);
        const list = st.citations.get(m.id);
        if (!list.some((x) => x.id === c.id)) list.push(c);
      }
      if (st.sel === m.i) renderCitations(model(m.i));
      form.reset();
      f.source_id.value = "";
      closeCombo();
      const box = form.closest("details");
      if (box) box.open = false;
      clearAlert();
      const name = (c.source && c.source.title) || "the source";
      sayIn("citations", "— saved.");
      say(`Sentence ${m.number} cites “${name}” (${c.relation})${c.source_created ? "; the source was added to the library" : ""}.`);
      readinessStale = true;
      if (els[m.i]) els[m.i].focus({ preventScroll: true });
    } catch (err) {
      showAlert(`Citation not saved: ${message(err)}`);
    }
  }

  async function uncite(form) {
    if (!editable() || st.sel < 0) return;
    const m = model(st.sel);
    const id = Number(form.dataset.citation || (form.action.match(/citations\/(\d+)\/delete/) || [])[1]);
    try {
      await api("DELETE", `/api/v1/citations/${id}`);
      if (st.citations && st.citations.has(m.id)) st.citations.set(m.id, st.citations.get(m.id).filter((c) => c.id !== id));
      else await loadCitations();
      renderCitations(model(m.i));
      clearAlert();
      sayIn("citations", "— removed.");
      say(`Sentence ${m.number}: citation removed.`);
    } catch (err) {
      showAlert(`Citation not removed: ${message(err)}`);
    }
  }

  // ---- picking a source: a combobox over the library ----
  //
  // WAI-ARIA's combobox pattern: the input owns a listbox of matches found
  // as one types; ↓/↑ move the active option, Enter picks it, Esc closes.
  // A typed address that is not in the library is offered as a new source.

  const combo = panel && panel.querySelector("#cite-source");
  const comboList = panel && panel.querySelector("#cite-options");
  const comboID = panel && panel.querySelector("[data-cite-source-id]");
  const cb = { items: [], active: -1, seq: 0, timer: 0 };

  function closeCombo() {
    if (!combo) return;
    comboList.hidden = true;
    comboList.replaceChildren();
    combo.setAttribute("aria-expanded", "false");
    combo.removeAttribute("aria-activedescendant");
    cb.items = [];
    cb.active = -1;
  }

  function renderCombo() {
    comboList.replaceChildren(...cb.items.map((it, k) => {
      const li = h("li", { id: `cite-opt-${k}`, role: "option", "aria-selected": String(k === cb.active), "data-k": k },
        h("span", {}, it.label), it.detail ? h("span", { class: "small" }, it.detail) : "");
      return li;
    }));
    const open = cb.items.length > 0;
    comboList.hidden = !open;
    combo.setAttribute("aria-expanded", String(open));
    if (cb.active >= 0) {
      combo.setAttribute("aria-activedescendant", `cite-opt-${cb.active}`);
      const el = comboList.children[cb.active];
      if (el) el.scrollIntoView({ block: "nearest" });
    } else combo.removeAttribute("aria-activedescendant");
  }

  async function searchSources(q) {
    const seq = ++cb.seq;
    const items = [];
    if (looksLikeURL(q)) items.push({ url: withScheme(q), label: `Cite a new source at ${withScheme(q)}`, detail: "added to the library if it is not there" });
    if (q.length >= 1) {
      try {
        const r = await api("GET", `/api/v1/sources?q=${encodeURIComponent(q)}&limit=8`);
        if (seq !== cb.seq) return; // a later keystroke won
        for (const s of r.sources || []) {
          const detail = [s.publisher, s.url].filter(Boolean).join(" · ");
          items.push({ id: s.id, label: s.title || s.url || `Source ${s.id}`, detail });
        }
        if (items.length && items[0].url && items.some((it) => it.id && it.detail.includes(items[0].url))) items.shift();
      } catch { /* the list stays as it is */ }
    }
    if (seq !== cb.seq) return;
    cb.items = items;
    cb.active = items.length ? 0 : -1;
    if (!items.length && q) cb.items = [{ none: true, label: `Nothing in the library matches “${q}”`, detail: "paste an address to add a new source" }];
    renderCombo();
  }

  function pick(k) {
    const it = cb.items[k];
    if (!it || it.none) return false;
    if (it.id) {
      comboID.value = it.id;
      combo.value = it.label;
    } else {
      comboID.value = "";
      combo.value = it.url;
    }
    closeCombo();
    return true;
  }

  if (combo) {
    combo.addEventListener("input", () => {
      comboID.value = "";
      clearTimeout(cb.timer);
      const q = combo.value.trim();
      if (!q) { closeCombo(); return; }
      cb.timer = setTimeout(() => searchSources(q), 120);
    });
    combo.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!cb.items.length) { if (combo.value.trim()) searchSources(combo.value.trim()); e.preventDefault(); return; }
        const n = cb.items.length;
        cb.active = e.key === "ArrowDown" ? (cb.active + 1) % n : (cb.active - 1 + n) % n;
        renderCombo();
        e.preventDefault();
      } else if (e.key === "Enter" && !e.ctrlKey && !e.metaKey) {
        if (cb.items.length && cb.active >= 0) {
          e.preventDefault();
          if (pick(cb.active)) {
            const name = comboID.value ? `“${combo.value}”` : combo.value;
            const rel = panel.querySelector("#cite-relation");
            say(`Source ${name} picked as ${rel ? rel.value : "supports"}: Ctrl+Enter cites; Tab goes on to the relation.`);
          }
        } else if (!comboID.value && !looksLikeURL(combo.value.trim())) {
          e.preventDefault();
          searchSources(combo.value.trim());
        }
      } else if (e.key === "Escape" && !comboList.hidden) {
        closeCombo();
        e.preventDefault();
        e.stopPropagation();
      }
    });
    comboList.addEventListener("mousedown", (e) => {
      const li = e.target.closest("li[data-k]");
      if (!li) return;
      e.preventDefault(); // keeps the focus in the input
      pick(Number(li.dataset.k));
    });
    combo.addEventListener("blur", () => setTimeout(() => { if (document.activeElement !== combo) closeCombo(); }, 150));
  }

  // ---- comments ----

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
    const count = panel.querySelector('[data-bind="comment-count"]');
    const open = st.threads ? openThreadsOf(m.i) : null;
    if (count && open !== null) count.textContent = open ? `(${open} open)` : "";
    const sec = panel.querySelector('[data-sec="comments"]');
    if (sec && st.panelFor !== m.id) sec.open = list.children.length > 0;
  }

  function threadItem(t, number) {
    const open = !t.resolved_at;
    const cls = ["thread"];
    if (t.kind === "change_request") cls.push("is-cr");
    if (!open) cls.push("is-resolved");
    const author = t.author || "someone";
    const li = h("li", { class: cls.join(" "), id: `c-${t.id}` },
      h("p", { class: "c-meta" }, h("strong", {}, author),
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
          h("label", { for: `reply-${t.id}`, class: "visually-hidden" }, `Reply to ${author}`),
          h("input", { id: `reply-${t.id}`, name: "body", maxlength: "10000", required: "", placeholder: "Reply" }),
          h("button", { type: "submit" }, "Reply")),
        h("form", { method: "post", action: `/comments/${t.id}/resolve`, "data-form": "resolve" },
          hidden("csrf_token", csrf), hidden("resolved", open ? "true" : "false"),
          h("button", { type: "submit", class: "link-button" }, open ? "Resolve" : "Reopen"))));
    }
    return li;
  }

  function renderArticleThreads() {
    const list = root.querySelector('[data-list="article-threads"]');
    if (!list) return;
    list.replaceChildren(...st.articleThreads.map((t) => threadItem(t, 0)));
    list.hidden = st.articleThreads.length === 0;
    const empty = root.querySelector('[data-bind="no-article-comments"]');
    if (empty) empty.hidden = st.articleThreads.length > 0;
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
      else if (t) renderArticleThreads();
      return;
    }
    const t = st.threadByID.get(c.id);
    if (t) {
      // An answer that leaves out a field (an older server's resolve) keeps
      // what the page knew, the author's name above all.
      const keep = { author: t.author, replies: t.replies };
      Object.assign(t, c);
      if (!c.author) t.author = keep.author;
      t.replies = keep.replies;
    } else {
      const nt = { ...c, replies: [] };
      st.threadByID.set(c.id, nt);
      if (c.sentence_id) {
        if (!st.threads.has(c.sentence_id)) st.threads.set(c.sentence_id, []);
        st.threads.get(c.sentence_id).push(nt);
      } else st.articleThreads.push(nt);
    }
    if (c.sentence_id) repaintThreads(c.sentence_id);
    else renderArticleThreads();
  }

  // repaintThreads updates a sentence's comment mark, and the panel when
  // it shows that sentence.
  function repaintThreads(sentenceID) {
    const i = byId.get(sentenceID);
    if (i === undefined) return;
    const open = (st.threads.get(sentenceID) || []).filter((t) => !t.resolved_at && t.kind !== "decision");
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
      if (!c.author) c.author = document.body.dataset.userName || "you";
      if (!st.threads) await loadComments();
      upsertComment(c);
      form.elements.body.value = "";
      if (form.elements.sentence_id) st.drafts.delete(Number(form.elements.sentence_id.value));
      say(kind === "reply" ? "Reply added." : "Comment added.");
    } catch (err) {
      showAlert(`Comment not added: ${message(err)}`);
    }
  }

  async function resolveThread(form) {
    const id = Number(form.action.match(/comments\/(\d+)\/resolve/)[1]);
    const resolved = form.elements.resolved.value !== "false";
    try {
      const c = await api("POST", `/api/v1/comments/${id}/resolve`, { resolved });
      if (!st.threads) await loadComments();
      upsertComment(c);
      say(resolved ? "Thread resolved." : "Thread reopened.");
    } catch (err) {
      showAlert(`Thread not changed: ${message(err)}`);
    }
  }

  // ---- submitting: what it needs first, then in place ----

  let readinessStale = true;
  const submitBox = () => root.querySelector("details[data-submit]");

  // refreshReadiness renders what submitting needs anew: the server's own
  // block from the page as it is now (the wording lives in one place).
  async function refreshReadiness() {
    const doc = await freshPage();
    const fresh = doc && doc.querySelector("[data-readiness]");
    const box = root.querySelector("[data-readiness]");
    if (!fresh || !box) return;
    box.replaceWith(document.importNode(fresh, true));
    readinessStale = false;
    const button = root.querySelector("#submit-button");
    if (button) button.disabled = !!fresh.querySelector(".readiness-block");
  }

  // freshPage reads this page anew from the server (not a navigation:
  // nothing on screen moves), null when it cannot.
  async function freshPage() {
    try {
      const res = await fetch(location.pathname + location.search, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!res.ok) return null;
      return new DOMParser().parseFromString(await res.text(), "text/html");
    } catch { return null; }
  }

  async function openSubmit() {
    const box = submitBox();
    if (!box) { say(root.dataset.articleStatus === "submitted" ? "The article is submitted already." : "Submitting is not available here."); return; }
    box.open = true;
    const note = box.querySelector("#submit-comment");
    await refreshReadiness();
    if (note) { note.focus(); note.scrollIntoView({ block: "nearest" }); }
    say("Check what the list says, write a note if you like, then Ctrl+Enter submits; Esc goes back.");
  }

  async function submit(form) {
    const comment = form.elements.comment ? form.elements.comment.value : "";
    try {
      const a = await api("POST", `/api/v1/articles/${articleID}/submit`, { comment });
      await workflowChanged(a.status, "You submitted the article for approval.");
    } catch (err) {
      const e = err.error || {};
      await refreshReadiness();
      const box = submitBox();
      if (box) box.open = true;
      showAlert(`Not submitted: ${e.message || "unknown error"}`);
    }
  }

  // workflowChanged brings the page up to a new article status without
  // reloading it: the workflow block comes fresh from the server, and the
  // panel stops offering changes the status no longer allows.
  // A status change can come twice (the answer to our own request and its
  // live event): the block is fetched once per status, not twice in a race.
  let workflowPending = null;
  function workflowChanged(status, said) {
    if (workflowPending && workflowPending.status === status) {
      return workflowPending.done.then(() => { if (said) say(said); });
    }
    const done = applyWorkflow(status, said).finally(() => { if (workflowPending && workflowPending.done === done) workflowPending = null; });
    workflowPending = { status, done };
    return done;
  }

  async function applyWorkflow(status, said) {
    root.dataset.articleStatus = status;
    st.canEdit = st.canEdit && status !== "submitted" && status !== "approved";
    const note = root.querySelector("[data-article-status-text]");
    if (note) { note.textContent = title(status); note.className = `status status-${status}`; }
    const doc = await freshPage();
    if (doc) {
      const fresh = doc.querySelector("[data-workflow]");
      const old = root.querySelector("[data-workflow]");
      if (fresh && old) {
        old.replaceWith(document.importNode(fresh, true));
        for (const el of root.querySelectorAll("[data-workflow] [data-js-only]")) el.hidden = false;
      }
      const freshRoot = doc.querySelector("[data-review]");
      if (freshRoot && !("canEdit" in freshRoot.dataset)) st.canEdit = false;
    } // else the status above is right; the buttons catch up on the next load

    if (!st.canEdit && panel) {
      for (const f of panel.querySelectorAll("form[data-form]")) {
        if (!["comment", "reply", "resolve"].includes(f.dataset.form)) f.hidden = true;
      }
      for (const d of panel.querySelectorAll("details[data-at-edit], details[data-cite], details[data-sec=exclusion]")) d.hidden = true;
    }
    if (said) say(said);
  }

  // ---- forms: saved in place ----

  root.addEventListener("submit", (e) => {
    const form = e.target;
    const kind = form.dataset.form;
    if (!kind) return;
    const v = (name) => (form.elements[name] ? form.elements[name].value : undefined);
    // Forms that do not need a selected sentence.
    switch (kind) {
      case "undo":
      case "redo":
        e.preventDefault();
        undoStep(kind);
        return;
      case "accept-confident":
        e.preventDefault();
        acceptMany({ confident: true }, "that the machine is confident of");
        return;
      case "submit":
        e.preventDefault();
        submit(form);
        return;
      case "article-comment":
      case "comment":
      case "reply":
        e.preventDefault();
        postComment(form, kind === "reply" ? "reply" : "comment");
        return;
      case "resolve":
        e.preventDefault();
        resolveThread(form);
        return;
    }
    if (st.sel < 0) return;
    const i = st.sel;
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
      case "at-confirm":
        e.preventDefault();
        attributionCall("confirm");
        return;
      case "attribution": {
        e.preventDefault();
        const action = (e.submitter && e.submitter.value) || "save";
        attributionCall(action === "clear" ? "clear" : "save", form);
        return;
      }
      case "cite":
        e.preventDefault();
        cite(form);
        return;
      case "uncite":
        e.preventDefault();
        uncite(form);
        return;
    }
  });

  root.addEventListener("input", (e) => {
    if (e.target.closest && e.target.closest("[data-panel]") && e.target.matches("input, select, textarea")) e.target.dataset.dirty = "1";
  });

  // Sentence links in messages and lists select the sentence in place.
  root.addEventListener("click", (e) => {
    const a = e.target.closest && e.target.closest("a[data-goto]");
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const n = Number(a.dataset.goto);
    if (!n || n > els.length) return;
    e.preventDefault();
    select(n - 1);
  });

  const submitDetails = submitBox();
  root.addEventListener("toggle", (e) => {
    if (e.target.matches && e.target.matches("details[data-submit]") && e.target.open && readinessStale) refreshReadiness();
  }, true);
  if (submitDetails && submitDetails.open) refreshReadiness();

  // ---- the keyboard ----

  const typing = (t) => t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  const onText = (t) => t === document.body || t === document.documentElement || t.id === "main" || (t.closest && !!t.closest("[data-sentences]"));

  document.addEventListener("keydown", (e) => {
    if (e.isComposing) return;
    const t = e.target;
    // Ctrl+Enter saves the panel's form from any of its fields, a select
    // too (which may have taken the Enter for itself).
    if (typing(t) && e.key === "Enter" && (e.ctrlKey || e.metaKey) && t.form && t.form.dataset.form) {
      e.preventDefault();
      t.form.requestSubmit();
      return;
    }
    if (e.defaultPrevented) return;
    if (typing(t)) {
      if (e.key === "Escape" && (t.closest("[data-panel]") || t.closest("[data-workflow]"))) {
        st.flow = "";
        e.preventDefault();
        const box = t.closest("details[data-at-edit], details[data-cite], details[data-submit]");
        if (box) box.open = false;
        if (st.sel >= 0) els[st.sel].focus();
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
    else if (k === "J") extend(1);
    else if (k === "K") extend(-1);
    else if ((k === "ArrowDown" || k === "ArrowRight") && onText(t)) { if (e.shiftKey) extend(1); else select(st.sel + 1); }
    else if ((k === "ArrowUp" || k === "ArrowLeft") && onText(t)) { if (e.shiftKey) extend(-1); else select(st.sel - 1); }
    else if (k === "n") { const j = nextOpen(st.sel, -1); if (j >= 0) select(j); else say("No open sentence is left."); }
    else if (k === "m") { const j = nextWithComment(st.sel); if (j >= 0) select(j); else say("No sentence has an open comment."); }
    else if (k === "Enter" && onText(t)) acceptSuggestion();
    else if (k === "Escape" && st.anchor >= 0) { clearRange(); say("Range cleared."); }
    else if (k === "e") startExclude();
    else if (k === "y") confirmAttribution();
    else if (k === "w") editAttribution();
    else if (k === "z") undoStep("undo");
    else if (k === "Z") undoStep("redo");
    else if (k === "S") openSubmit();
    else if (k === "c") openComment();
    else if (k === "o") openCite();
    else return;
    e.preventDefault();
  });

  function focusField(sel, missing) {
    const el = panel && panel.querySelector(sel);
    if (!el) { if (missing) say(missing); return; }
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
    if (!d || d.hidden) { say("Citing sources is not available here."); return; }
    d.open = true;
    focusField("#cite-source", "");
    say("Type part of the source's title, publisher or address; ↓ and Enter pick it.");
  }

  function openComment() {
    const d = panel && panel.querySelector('[data-sec="comments"]');
    if (d) d.open = true;
    focusField("#comment-body", "Comments need a role that may comment.");
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
    const i = Number(el.id.slice(2)) - 1;
    if (e.shiftKey && st.sel >= 0) {
      if (st.anchor < 0) st.anchor = st.sel;
      select(i, { scroll: false, keepRange: true });
      paintRange();
      const r = rangeBounds();
      if (r) say(`Sentences ${r[0] + 1}–${r[1] + 1} selected: Enter accepts the machine's suggestion of each unlabeled one; Esc clears.`);
      return;
    }
    select(i, { scroll: false });
  });

  // On a phone the panel is a bottom sheet that folds to its head.
  const sheetToggle = panel && panel.querySelector("[data-sheet-toggle]");
  if (sheetToggle) {
    sheetToggle.hidden = false;
    const label = sheetToggle.querySelector("[data-sheet-label]");
    sheetToggle.addEventListener("click", () => {
      const folded = panel.classList.toggle("is-folded");
      sheetToggle.setAttribute("aria-expanded", String(!folded));
      if (label) label.textContent = folded ? "Show the panel" : "Hide the panel";
    });
  }

  // ---- live updates ----

  let es = null;
  let retry = 1000;
  let connectedOnce = false;
  function connect() {
    if (!window.EventSource) return;
    es = new EventSource(`/api/v1/articles/${articleID}/events`);
    es.addEventListener("ready", (e) => {
      retry = 1000;
      liveState("");
      showUnread(unreadOf(e));
      if (connectedOnce) resync();
      connectedOnce = true;
    });
    es.addEventListener("inbox", (e) => showUnread(unreadOf(e)));
    es.addEventListener("sentence", (e) => onSentenceEvent(JSON.parse(e.data)));
    es.addEventListener("comment", (e) => {
      const ev = JSON.parse(e.data);
      if (ev.data) upsertComment({ ...ev.data, author: ev.data.author || personName(ev.actor) });
    });
    es.addEventListener("article", (e) => onArticleEvent(JSON.parse(e.data)));
    es.addEventListener("citation", (e) => {
      const ev = JSON.parse(e.data);
      if (ev.actor_id !== me) loadCitations();
    });
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
    if (!mine && ev.actor) st.lastActor.set(s.id, personName(ev.actor));
    const applied = apply(s);
    if (applied && !mine && i === st.sel) {
      const dirty = panel && panel.querySelector("[data-dirty]");
      showInfo(`${personName(ev.actor) || "Someone"} just changed this sentence: it is now ${describeState(s)}.`,
        ...(dirty ? ["What you typed is kept; saving it replaces their version."] : []));
    }
  }

  function onArticleEvent(ev) {
    const who = ev.actor_id === me ? "You" : personName(ev.actor) || "Someone";
    if (ev.data && ev.data.action === "article.revision") {
      // The sentences on this page belong to the revision before.
      st.canEdit = false;
      liveState(`${who} imported revision ${ev.data.revision} of the article. Reload the page to review it; this one is read-only now.`);
      return;
    }
    const status = ev.data && ev.data.status;
    if (!status || status === root.dataset.articleStatus) return;
    workflowChanged(status, "");
    if (ev.actor_id !== me) liveState(`${who} changed the article's status to ${title(status).toLowerCase()}.`);
  }

  function onAttributionEvent(ev) {
    const d = ev.data || {};
    const a = d.Attribution !== undefined ? d.Attribution : d.attribution !== undefined ? d.attribution : d.speaker !== undefined ? d : undefined;
    const sid = (a && a.sentence_id) || (d.Sentence && d.Sentence.id) || d.sentence_id || ev.entity_id;
    if (a === undefined || !byId.has(sid)) { loadDetails(); return; }
    const det = st.details.get(sid) || {};
    det.attribution = a;
    st.details.set(sid, det);
    if (st.sel >= 0 && Number(els[st.sel].dataset.id) === sid) {
      renderAttribution(model(st.sel), false);
      if (ev.actor_id !== me) showInfo(`${personName(ev.actor) || "Someone"} just changed the attribution of this sentence.`);
    }
  }

  // ---- background loads ----

  async function loadDetails() {
    try {
      const a = await api("GET", `/api/v1/articles/${articleID}`);
      for (const s of a.sentences || []) {
        st.details.set(s.id, { suggestion: s.suggestion || null, attribution: s.attribution || null });
        st.lines[s.index] = { start: s.start, end: s.end, text: s.text };
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

  // "Accept N confident suggestions" counts the unlabeled sentences whose
  // suggestion is at least as confident as the form says, from what the
  // page knows once the suggestions have loaded.
  function refreshConfident() {
    const form = root.querySelector('form[data-form="accept-confident"]');
    if (!form || !st.details.size) return;
    const least = Number(form.dataset.confident || 1);
    let n = 0;
    for (const el of els) {
      if (el.dataset.status !== "unreviewed" || el.dataset.label) continue;
      const det = st.details.get(Number(el.dataset.id));
      if (det && det.suggestion && det.suggestion.confidence >= least) n++;
    }
    form.querySelector("button").textContent = `Accept ${plural(n, "confident suggestion", "confident suggestions")}`;
    form.hidden = n === 0;
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
  detailsLoaded = new Promise((resolve) => setTimeout(async () => {
    await loadDetails();
    resolve();
    refreshConfident();
    await Promise.all([loadComments(), loadCitations()]);
    if (st.sel >= 0) {
      const m = model(st.sel);
      renderSuggestion(m);
      renderAttribution(m, false);
    }
  }, 0));
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

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function looksLikeURL(s) {
  return /^(https?:\/\/)?[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?([/?#]\S*)?$/i.test(s) && (/^https?:\/\//i.test(s) || /\.[a-z]{2,}([/:?#]|$)/i.test(s));
}

function withScheme(s) {
  return /^https?:\/\//i.test(s) ? s : `https://${s}`;
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
  return { "sentence.update": "changed", "sentence.undo": "undid a change", "sentence.redo": "redid a change" }[a] || String(a).replace(/_/g, " ");
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
