// Package web holds the templ layout, components and pages, and the static
// assets embedded into the binary. Components take view models and never
// reach the database.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
)

//go:embed static
var static embed.FS

// assets maps each static file's name to its fingerprinted name
// ("app.css" → "app.3f2a9c1d.css"), computed once from the embedded files.
var assets = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error { //nolint:errcheck // embedded files cannot fail
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := static.ReadFile(p)
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		m[name] = strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		return nil
	})
	return m
})

// Asset returns the URL of a static file, fingerprinted so it can be cached forever.
func Asset(name string) string {
	if f, ok := assets()[name]; ok {
		return "/static/" + f
	}
	return "/static/" + name
}

// StaticHandler serves the embedded static files under /static/. A
// fingerprinted name is cached as immutable; any other name, briefly.
func StaticHandler() http.Handler {
	byPrint := map[string]string{}
	for name, fp := range assets() {
		byPrint[fp] = name
	}
	sub, _ := fs.Sub(static, "static")
	files := http.FileServerFS(sub)
	return http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if name, ok := byPrint[r.URL.Path]; ok {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			r.URL.Path = name
		} else {
			w.Header().Set("Cache-Control", "public, max-age=300")
		}
		files.ServeHTTP(w, r)
	}))
}
