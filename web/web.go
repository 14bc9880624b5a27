// Package web holds factdesk's pages: the html/template files, the one
// stylesheet and the one JavaScript module, all embedded in the binary,
// and the engine that renders them. Each page is parsed once at start-up
// with the layout and the partials into a template set of its own; asking
// for a page that was not declared is an error at start-up, not at the
// first request.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"

	"factdesk/codebook"
)

//go:embed templates/*.html static/*
var files embed.FS

// Engine renders pages and serves static assets.
type Engine struct {
	pages  map[string]*template.Template
	assets map[string]asset // by logical name ("app.css")
	byPath map[string]asset // by hashed path ("app.3f2a9c1b.css")
}

type asset struct {
	name, hashed, contentType string
	body                      []byte
}

// New parses every page (each templates/NAME.html but the layout and the
// _partials) and fingerprints every static asset.
func New() (*Engine, error) {
	e := &Engine{pages: map[string]*template.Template{}, assets: map[string]asset{}, byPath: map[string]asset{}}
	if err := e.loadAssets(); err != nil {
		return nil, err
	}
	partials, err := fs.Glob(files, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	pages, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, file := range pages {
		p := strings.TrimSuffix(path.Base(file), ".html")
		if p == "layout" || strings.HasPrefix(p, "_") {
			continue
		}
		t := template.New("layout.html").Funcs(e.funcs())
		names := append([]string{"templates/layout.html"}, partials...)
		names = append(names, "templates/"+p+".html")
		if _, err := t.ParseFS(files, names...); err != nil {
			return nil, fmt.Errorf("parse page %s: %w", p, err)
		}
		e.pages[p] = t
	}
	return e, nil
}

func (e *Engine) loadAssets() error {
	entries, err := fs.ReadDir(files, "static")
	if err != nil {
		return err
	}
	for _, ent := range entries {
		b, err := files.ReadFile("static/" + ent.Name())
		if err != nil {
			return err
		}
		if ent.Name() == "app.css" {
			b = append(paletteCSS(), b...)
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(ent.Name())
		hashed := strings.TrimSuffix(ent.Name(), ext) + "." + hex.EncodeToString(sum[:5]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		a := asset{name: ent.Name(), hashed: hashed, contentType: ct, body: b}
		e.assets[ent.Name()] = a
		e.byPath[hashed] = a
	}
	return nil
}

// AssetURL returns the fingerprinted URL of a static file ("app.css" →
// "/static/app.1a2b3c4d5e.css"); an unknown name panics, because it is a
// bug in a template that the page tests catch.
func (e *Engine) AssetURL(name string) string {
	a, ok := e.assets[name]
	if !ok {
		panic(fmt.Sprintf("web: unknown asset %q", name))
	}
	return "/static/" + a.hashed
}

// ServeAsset writes the fingerprinted asset at hashedName with long cache
// headers, or 404.
func (e *Engine) ServeAsset(w http.ResponseWriter, r *http.Request, hashedName string) {
	a, ok := e.byPath[hashedName]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(a.body))
}

// AssetNames lists the logical names of the static assets.
func (e *Engine) AssetNames() []string {
	names := make([]string, 0, len(e.assets))
	for n := range e.assets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Render writes page with data.
func (e *Engine) Render(w io.Writer, page string, data any) error {
	t, ok := e.pages[page]
	if !ok {
		return fmt.Errorf("web: unknown page %q", page)
	}
	return t.ExecuteTemplate(w, "layout.html", data)
}

// Has reports whether page was declared.
func (e *Engine) Has(page string) bool { _, ok := e.pages[page]; return ok }

// AddAsset adds a static file made at start-up (the report stylesheet of
// the export package, say), served fingerprinted like the embedded ones.
func (e *Engine) AddAsset(name, contentType string, body []byte) {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
	a := asset{name: name, hashed: hashed, contentType: contentType, body: body}
	e.assets[name] = a
	e.byPath[hashed] = a
}

// paletteCSS declares the codebook's one palette as the custom properties
// the stylesheet uses (--fact, --fact-bg, --status-verified …), for light
// and dark mode, so that the page, the report and the PDF show a label in
// the same colour.
func paletteCSS() []byte {
	var b bytes.Buffer
	b.WriteString("/* The label and status palette, from the codebook (codebook/palette.go). */\n:root {\n")
	b.WriteString(codebook.CSSCustomProperties(false))
	b.WriteString("}\n@media (prefers-color-scheme: dark) {\n:root {\n")
	b.WriteString(codebook.CSSCustomProperties(true))
	b.WriteString("}\n}\n")
	return b.Bytes()
}
