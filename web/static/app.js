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
