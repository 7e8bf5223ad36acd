package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/go-chi/chi/v5/middleware"
	"golang.org/x/sync/singleflight"

	"summitledger/internal/auth"
)

// Public pages are cached twice: by browsers and CDNs through the HTTP
// headers below, and in this process as rendered bytes. The in-process
// cache is cleared on every write anywhere: this instance's own unsafe
// requests clear it at once, and every instance LISTENs for the
// notification PostgreSQL sends at each write's commit (migration 00007).
// While that LISTEN is not in force (not yet started, or its connection
// lost) nothing is served from the cache, since a write could go unseen.
const (
	// publicCacheControl lets a CDN or browser keep an anonymous page
	// briefly and serve it stale while it revalidates (an ETag makes that
	// a 304).
	publicCacheControl = "public, max-age=15, stale-while-revalidate=60"
	// pageCacheTTL bounds how long a page is kept with no write at all:
	// pages say "today" (gone quiet, file names of downloads).
	pageCacheTTL      = 5 * time.Minute
	pageCacheMaxEntry = 8 << 20
	pageCacheMaxBytes = 256 << 20
	// compressMinBytes: below this, compressing costs more than it saves.
	compressMinBytes = 1024
)

// pageCache holds rendered public pages keyed on what varies: scheme,
// host, path and the query string with its parameters in name order.
type pageCache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry
	bytes   int
	gen     uint64
	cleared chan struct{} // closed and replaced at each clear

	live   atomic.Bool
	flight singleflight.Group

	hits, misses, bypasses, invalidations atomic.Uint64
	onLost                                func(error)
}

func newPageCache() *pageCache {
	return &pageCache{entries: map[string]*cacheEntry{}, cleared: make(chan struct{})}
}

// cacheEntry is one rendered response and its compressed forms, made on
// first demand.
type cacheEntry struct {
	status   int
	header   http.Header
	body     []byte
	etag     string // quoted, without encoding suffix
	modified time.Time
	made     time.Time
	store    bool // whether it may be kept: a 200 with no cookie

	gzOnce, brOnce sync.Once
	gz, br         []byte
}

// Listening implements postgres.Listener: LISTEN is in force, so the
// cache may serve again, starting empty.
func (c *pageCache) Listening() {
	c.clear()
	c.live.Store(true)
}

// Changed implements postgres.Listener: something was written.
func (c *pageCache) Changed(string) { c.clear() }

// Lost implements postgres.Listener: writes may now go unseen.
func (c *pageCache) Lost(err error) {
	c.live.Store(false)
	c.clear()
	if c.onLost != nil {
		c.onLost(err)
	}
}

// clear drops every entry; responses being rendered when it is called are
// not kept.
func (c *pageCache) clear() {
	c.mu.Lock()
	c.entries = map[string]*cacheEntry{}
	c.bytes = 0
	c.gen++
	close(c.cleared)
	c.cleared = make(chan struct{})
	c.mu.Unlock()
	c.invalidations.Add(1)
}

// clearedChan returns a channel closed at the next clear.
func (c *pageCache) clearedChan() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cleared
}

func (c *pageCache) get(key string) (*cacheEntry, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e != nil && time.Since(e.made) > pageCacheTTL {
		delete(c.entries, key)
		c.bytes -= len(e.body)
		e = nil
	}
	return e, c.gen
}

// put keeps e unless a clear happened since gen was read.
func (c *pageCache) put(key string, gen uint64, e *cacheEntry) {
	if !e.store || len(e.body) > pageCacheMaxEntry {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.bytes+len(e.body) > pageCacheMaxBytes {
		c.entries = map[string]*cacheEntry{}
		c.bytes = 0
	}
	if old := c.entries[key]; old != nil {
		c.bytes -= len(old.body)
	}
	c.entries[key] = e
	c.bytes += len(e.body)
}

// cacheKey is what a public page varies on. Parameter names are sorted;
// each keeps its values in the order sent, which a page may show.
func cacheKey(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	q, _ := url.ParseQuery(r.URL.RawQuery)
	return scheme + "://" + r.Host + r.URL.Path + "?" + q.Encode()
}

// privateRequest reports whether the response may show someone's own
// state: a signed-in user, or any session (a flash message).
func (s *Server) privateRequest(r *http.Request) bool {
	if currentUser(r) != nil {
		return true
	}
	for _, name := range []string{auth.CookieName, auth.TLSCookieName, s.Sessions.Cookie.Name} {
		if _, err := r.Cookie(name); err == nil {
			return true
		}
	}
	return false
}

// uncachedPaths are never kept: health checks, metrics and sign-in.
func uncachedPath(p string) bool {
	switch p {
	case "/healthz", "/readyz", "/metrics", "/login", "/logout":
		return true
	}
	return strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/admin/")
}

// cachePages serves anonymous GET and HEAD requests from the page cache
// with validators (strong ETag, Last-Modified, 304) and compression; any
// other request goes through with compression, and a private one with
// Cache-Control: no-store. An unsafe request clears the cache once done.
func (s *Server) cachePages(next http.Handler) http.Handler {
	compress := middleware.NewCompressor(5, "text/html", "text/plain", "text/csv", "text/css", "text/javascript",
		"application/json", "application/atom+xml", "application/xml", "application/javascript", "image/svg+xml")
	compress.SetEncoder("br", func(w io.Writer, level int) io.Writer { return brotli.NewWriterLevel(w, level) })
	passThrough := compress.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			passThrough.ServeHTTP(ww, r)
			// This instance sees its own writes at once, before the
			// notification arrives; a refused request changed nothing.
			if ww.Status() < 400 && !uncachedPath(r.URL.Path) {
				s.cache.clear()
			}
			return
		}
		if uncachedPath(r.URL.Path) {
			passThrough.ServeHTTP(w, r)
			return
		}
		if s.privateRequest(r) {
			s.cache.bypasses.Add(1)
			w.Header().Set("Cache-Control", "no-store")
			passThrough.ServeHTTP(w, r)
			return
		}
		live := s.cache.live.Load()
		key := cacheKey(r)
		e, gen := s.cache.get(key)
		switch {
		case e != nil:
			s.cache.hits.Add(1)
		case live:
			s.cache.misses.Add(1)
			v, _, _ := s.cache.flight.Do(key, func() (any, error) {
				e := s.renderEntry(next, r)
				s.cache.put(key, gen, e)
				return e, nil
			})
			e = v.(*cacheEntry)
		default:
			s.cache.bypasses.Add(1)
			e = s.renderEntry(next, r)
		}
		e.serve(w, r)
	})
}

// renderEntry runs the handler into memory.
func (s *Server) renderEntry(next http.Handler, r *http.Request) *cacheEntry {
	rec := &recorder{header: http.Header{}}
	next.ServeHTTP(rec, r)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	now := time.Now()
	sum := sha256.Sum256(rec.body.Bytes())
	e := &cacheEntry{status: rec.status, header: rec.header, body: rec.body.Bytes(),
		etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`, modified: now.UTC().Truncate(time.Second), made: now}
	_, cookie := rec.header["Set-Cookie"]
	e.store = e.status == http.StatusOK && !cookie && rec.header.Get("Cache-Control") == ""
	return e
}

// serve writes e, or 304 when the request's validators match it.
func (e *cacheEntry) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, v := range e.header {
		h[k] = v
	}
	if e.status != http.StatusOK {
		if h.Get("Cache-Control") == "" {
			h.Set("Cache-Control", "no-store")
		}
		w.WriteHeader(e.status)
		w.Write(e.body) //nolint:errcheck // the client went away
		return
	}
	body, etag := e.body, e.etag
	enc := ""
	if len(e.body) >= compressMinBytes && compressible(h.Get("Content-Type")) {
		h.Add("Vary", "Accept-Encoding")
		enc = chooseEncoding(r.Header.Get("Accept-Encoding"))
	}
	switch enc {
	case "br":
		e.brOnce.Do(func() { e.br = compressBytes(e.body, "br") })
		body, etag = e.br, strings.TrimSuffix(e.etag, `"`)+`-br"`
	case "gzip":
		e.gzOnce.Do(func() { e.gz = compressBytes(e.body, "gzip") })
		body, etag = e.gz, strings.TrimSuffix(e.etag, `"`)+`-gz"`
	}
	h.Set("ETag", etag)
	h.Set("Last-Modified", e.modified.Format(http.TimeFormat))
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", publicCacheControl)
	}
	if notModified(r, e) {
		h.Del("Content-Type")
		h.Del("Content-Length")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if enc != "" {
		h.Set("Content-Encoding", enc)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body) //nolint:errcheck // the client went away
	}
}

// notModified applies If-None-Match (weak comparison, any encoding of the
// same body) or, without it, If-Modified-Since.
func notModified(r *http.Request, e *cacheEntry) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		base := strings.Trim(e.etag, `"`)
		for t := range strings.SplitSeq(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" {
				return true
			}
			t = strings.Trim(t, `"`)
			if t == base || t == base+"-gz" || t == base+"-br" {
				return true
			}
		}
		return false
	}
	if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil {
		return !e.modified.After(ims)
	}
	return false
}

func compressible(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	switch strings.TrimSpace(ct) {
	case "text/html", "text/plain", "text/csv", "application/json", "application/atom+xml", "application/xml":
		return true
	}
	return false
}

// chooseEncoding picks brotli, then gzip, from an Accept-Encoding header.
func chooseEncoding(accept string) string {
	var br, gz bool
	for part := range strings.SplitSeq(accept, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if q := strings.TrimSpace(params); strings.HasPrefix(q, "q=0") && strings.Trim(strings.TrimPrefix(q, "q="), "0.") == "" {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "br":
			br = true
		case "gzip":
			gz = true
		}
	}
	switch {
	case br:
		return "br"
	case gz:
		return "gzip"
	}
	return ""
}

func compressBytes(b []byte, enc string) []byte {
	var buf bytes.Buffer
	var w io.WriteCloser
	if enc == "br" {
		w = brotli.NewWriterLevel(&buf, 5)
	} else {
		w, _ = gzip.NewWriterLevel(&buf, 6)
	}
	w.Write(b) //nolint:errcheck // writes to memory
	w.Close()  //nolint:errcheck
	return buf.Bytes()
}

// recorder keeps a handler's response in memory.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// Flush lets streaming handlers (the CSV exports) run unchanged.
func (r *recorder) Flush() {}

// WatchChanges keeps the page cache in step with the database until ctx
// ends: it LISTENs for writes made anywhere (see postgres.DB.Listen).
func (s *Server) WatchChanges(ctx context.Context) {
	s.DB.Listen(ctx, s.cache)
}
