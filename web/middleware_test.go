package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aimaq/aimaq/internal/errs"
)

// TestCORS: a preflight to any GET route is answered 204 with what may be
// asked, and every answer — errors included — carries the allowed origin, so
// a web app elsewhere can read a 400's message (issue 9.5).
func TestCORS(t *testing.T) {
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{data: []byte("tile")}})
	h := s.routes()
	for _, path := range []string{"/api/areas/district", "/tiles/districts/3/5/2.mvt", "/ogc/collections", "/styles/population_density.json", "/openapi.json"} {
		rec := do(t, h, "OPTIONS", path, "Origin", "https://app.example.org", "Access-Control-Request-Method", "GET",
			"Access-Control-Request-Headers", "If-None-Match, X-Evil\r\nInjected")
		if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "*" ||
			!strings.Contains(rec.Header().Get("Access-Control-Allow-Methods"), "GET") || rec.Header().Get("Access-Control-Max-Age") == "" {
			t.Errorf("preflight %s = %d %v", path, rec.Code, rec.Header())
		}
		if got := rec.Header().Get("Access-Control-Allow-Headers"); got != "If-None-Match" {
			t.Errorf("preflight %s: Allow-Headers %q, want the plain header names only", path, got)
		}
	}
	for path, code := range map[string]int{"/api/areas/nowhere?indicator=x": 400, "/tiles/nope/1/1/1.mvt": 404, "/ogc/collections/x": 404, "/healthz": 200} {
		rec := do(t, h, "GET", path, "Origin", "https://app.example.org")
		if rec.Code != code || rec.Header().Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET %s = %d (want %d), Access-Control-Allow-Origin %q", path, rec.Code, code, rec.Header().Get("Access-Control-Allow-Origin"))
		}
	}
	// A configured list: the origin is echoed when listed, with Vary: Origin.
	s2, _ := newTestServer(t, Options{Tiles: &fakeSource{}, CORSOrigins: []string{"https://planner.gov.kz"}})
	h2 := s2.routes()
	rec := do(t, h2, "GET", "/openapi.json", "Origin", "https://planner.gov.kz")
	if rec.Header().Get("Access-Control-Allow-Origin") != "https://planner.gov.kz" || !strings.Contains(strings.Join(rec.Header().Values("Vary"), ","), "Origin") {
		t.Errorf("listed origin: %v", rec.Header())
	}
	rec = do(t, h2, "GET", "/openapi.json", "Origin", "https://evil.example")
	if rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("unlisted origin allowed: %v", rec.Header())
	}
}

// TestCompression: JSON is compressed as the client allows, with Vary and an
// ETag of its own that validates (issue 9.6); tiles are served from the
// compressed cache as they are, or decompressed for a client without gzip.
func TestCompression(t *testing.T) {
	tile := bytes.Repeat([]byte("mvt bytes "), 300)
	src := &fakeSource{data: tile}
	s, _ := newTestServer(t, Options{Tiles: src})
	h := s.routes()

	plain := do(t, h, "GET", "/openapi.json")
	rec := do(t, h, "GET", "/openapi.json", "Accept-Encoding", "gzip")
	if rec.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(strings.Join(rec.Header().Values("Vary"), ","), "Accept-Encoding") {
		t.Fatalf("openapi with gzip: %v", rec.Header())
	}
	if rec.Body.Len()*3 > plain.Body.Len() {
		t.Errorf("openapi: %d bytes compressed of %d", rec.Body.Len(), plain.Body.Len())
	}
	if got := gunzipT(t, rec.Body.Bytes()); !bytes.Equal(got, plain.Body.Bytes()) {
		t.Error("openapi: compressed body differs from the plain one")
	}
	tag := rec.Header().Get("ETag")
	if tag == "" || tag == plain.Header().Get("ETag") {
		t.Errorf("compressed ETag %q must differ from the plain %q", tag, plain.Header().Get("ETag"))
	}
	if rec := do(t, h, "GET", "/openapi.json", "Accept-Encoding", "gzip", "If-None-Match", tag); rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match with the compressed ETag = %d, want 304", rec.Code)
	}

	// Tiles: cut once, cached compressed.
	const path = "/tiles/districts/6/43/22.mvt"
	gz := do(t, h, "GET", path, "Accept-Encoding", "gzip, deflate, br")
	if gz.Code != 200 || gz.Header().Get("Content-Encoding") != "gzip" || !bytes.Equal(gunzipT(t, gz.Body.Bytes()), tile) {
		t.Fatalf("tile with gzip: %d %v", gz.Code, gz.Header())
	}
	id := do(t, h, "GET", path, "Accept-Encoding", "gzip;q=0")
	if id.Code != 200 || id.Header().Get("Content-Encoding") != "" || !bytes.Equal(id.Body.Bytes(), tile) {
		t.Fatalf("tile without gzip: %d %v", id.Code, id.Header())
	}
	if gz.Header().Get("ETag") == id.Header().Get("ETag") {
		t.Error("tile: one ETag for two encodings")
	}
	for _, tag := range []string{gz.Header().Get("ETag"), id.Header().Get("ETag")} {
		if rec := do(t, h, "GET", path, "Accept-Encoding", "gzip", "If-None-Match", tag); rec.Code != http.StatusNotModified {
			t.Errorf("tile If-None-Match %s = %d, want 304", tag, rec.Code)
		}
	}
	if src.tileCalls != 1 {
		t.Errorf("tile cut %d times, want once", src.tileCalls)
	}
}

func gunzipT(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTraversal: paths that try to climb out are answered 404, never a
// redirect to the cleaned path (issue 9.7).
func TestTraversal(t *testing.T) {
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}})
	h := s.routes()
	for _, path := range []string{"/tiles/../../etc/passwd", "/api/../openapi.json", "/..%2f..%2fetc/passwd", "//etc/passwd", "/./index.html", "/ogc/collections/../../x"} {
		rec := do(t, h, "GET", path)
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusBadRequest {
			t.Errorf("GET %s = %d %v, want 404 or 400", path, rec.Code, rec.Header().Get("Location"))
		}
	}
}

// TestShedding: with the one tile slot taken by a request stuck on the
// database, further tile requests are answered 503 with Retry-After while it
// is still stuck (the queue waits 100 ms), and the health probe still
// answers (issue 9.3).
func TestShedding(t *testing.T) {
	src := &fakeSource{wait: true}
	s, _ := newTestServer(t, Options{Tiles: src, TileSlots: 1, QueryTimeout: 3 * time.Second})
	h := s.routes()
	stuck := make(chan int)
	go func() { stuck <- do(t, h, "GET", "/tiles/districts/6/43/22.mvt").Code }()
	for n, _ := src.calls(); n == 0; n, _ = src.calls() { // the first request holds the slot
		time.Sleep(time.Millisecond)
	}
	var wg sync.WaitGroup
	codes := make(chan *httptest.ResponseRecorder, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- do(t, h, "GET", fmt.Sprintf("/tiles/districts/6/%d/22.mvt", i))
		}()
	}
	wg.Wait()
	close(codes)
	select {
	case code := <-stuck:
		t.Fatalf("the stuck request ended (%d) before the others were answered", code)
	default:
	}
	for rec := range codes {
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Errorf("shed request = %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
		}
	}
	if rec := do(t, h, "GET", "/healthz"); rec.Code != 200 {
		t.Errorf("healthz while busy = %d", rec.Code)
	}
	if n := s.classes.tiles.shed.Load(); n != 8 {
		t.Errorf("shed %d, want 8", n)
	}
	if n, _ := src.calls(); n != 1 {
		t.Errorf("%d tile queries, want only the stuck one", n)
	}
	<-stuck
}

// TestLogLimiter: one line per cause and interval, with the count left out.
func TestLogLimiter(t *testing.T) {
	now := time.Unix(0, 0)
	l := logLimiter{every: 10 * time.Second, now: func() time.Time { return now }}
	if ok, _ := l.allow("db down"); !ok {
		t.Fatal("first occurrence not logged")
	}
	for range 99 {
		if ok, _ := l.allow("db down"); ok {
			t.Fatal("repeat logged within the interval")
		}
	}
	if ok, _ := l.allow("other cause"); !ok {
		t.Error("another cause held back")
	}
	now = now.Add(11 * time.Second)
	if ok, n := l.allow("db down"); !ok || n != 99 {
		t.Errorf("after the interval: logged %v with %d left out, want true, 99", ok, n)
	}
}

// TestTilesWhileDatabaseAway: when the database cannot say the data
// generation, cached tiles of the last known one keep flowing, marked stale
// with a short max-age; a tile not cached is 503; when it is back, tiles are
// fresh again (issue 9.2).
func TestTilesWhileDatabaseAway(t *testing.T) {
	src := &fakeSource{data: []byte("tile of generation 1"), gen: 1}
	s, _ := newTestServer(t, Options{Tiles: src})
	h := s.routes()
	const cached, other = "/tiles/districts/6/43/22.mvt", "/tiles/districts/6/44/22.mvt"
	if rec := do(t, h, "GET", cached); rec.Code != 200 || rec.Header().Get("X-Aimaq-Stale") != "" {
		t.Fatalf("first cut = %d %v", rec.Code, rec.Header())
	}
	src.mu.Lock()
	src.genErr = errs.E(errs.Unavailable, "database away")
	src.mu.Unlock()
	rec := do(t, h, "GET", cached)
	if rec.Code != 200 || rec.Header().Get("X-Aimaq-Stale") == "" || rec.Header().Get("Cache-Control") != staleCacheControl {
		t.Errorf("cached tile while away = %d %v", rec.Code, rec.Header())
	}
	if rec := do(t, h, "GET", other); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("uncached tile while away = %d, want 503", rec.Code)
	}
	if n, _ := src.calls(); n != 1 {
		t.Errorf("%d tile queries, want 1: none while the database is away", n)
	}
	src.mu.Lock()
	src.genErr = nil
	src.mu.Unlock()
	if rec := do(t, h, "GET", other); rec.Code != 200 || rec.Header().Get("X-Aimaq-Stale") != "" {
		t.Errorf("after the database is back = %d %v", rec.Code, rec.Header())
	}
}

// TestMonitor: /readyz answers from the monitor's state, /healthz fails
// only after the grace period (issue 9.1).
func TestMonitor(t *testing.T) {
	p := &switchPinger{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m := NewMonitor(ctx, p, MonitorOptions{Every: time.Hour, Grace: 50 * time.Millisecond})
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}, Monitor: m})
	h := s.routes()
	if rec := do(t, h, "GET", "/readyz"); rec.Code != 200 {
		t.Fatalf("readyz = %d", rec.Code)
	}
	p.set(errs.E(errs.Unavailable, "connection refused"))
	m.check(ctx)
	if rec := do(t, h, "GET", "/readyz"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("readyz while down = %d", rec.Code)
	}
	if rec := do(t, h, "GET", "/healthz"); rec.Code != 200 {
		t.Errorf("healthz within the grace period = %d", rec.Code)
	}
	time.Sleep(60 * time.Millisecond)
	if rec := do(t, h, "GET", "/healthz"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("healthz after the grace period = %d", rec.Code)
	}
	p.set(nil)
	m.check(ctx)
	if rec := do(t, h, "GET", "/healthz"); rec.Code != 200 {
		t.Errorf("healthz after recovery = %d", rec.Code)
	}
	if rec := do(t, h, "GET", "/readyz"); rec.Code != 200 {
		t.Errorf("readyz after recovery = %d", rec.Code)
	}
}

type switchPinger struct {
	mu  sync.Mutex
	err error
}

func (p *switchPinger) set(err error) { p.mu.Lock(); p.err = err; p.mu.Unlock() }
func (p *switchPinger) Ping(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}
