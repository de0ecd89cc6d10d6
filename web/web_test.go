package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
)

// fakeSource counts calls, so tests can prove what never reached the database.
type fakeSource struct {
	mu        sync.Mutex
	data      []byte
	err       error
	gen       int64
	genErr    error // Generation fails with it (the database is away)
	wait      bool  // block until the context ends, then return its error
	panics    bool
	tileCalls int
	genCalls  int
}

func (f *fakeSource) Tile(ctx context.Context, l tiles.Layer, t tiles.Tile) ([]byte, error) {
	f.mu.Lock()
	f.tileCalls++
	data, err, wait, panics := f.data, f.err, f.wait, f.panics
	f.mu.Unlock()
	if panics {
		panic("boom")
	}
	if wait {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return data, err
}

func (f *fakeSource) Generation(ctx context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.genCalls++
	return f.gen, f.genErr
}

func (f *fakeSource) calls() (tile, gen int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tileCalls, f.genCalls
}

type fakePinger struct{ err error }

func (p fakePinger) Ping(context.Context) error { return p.err }

// newTestServer returns a server whose generation is asked on every request.
func newTestServer(t *testing.T, o Options) (*server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if o.WarmMaxZoom == 0 {
		o.WarmMaxZoom = -1 // no background cuts unless a test asks (warm_test.go)
	}
	s := newServer(o)
	s.generation.ttl = 0
	return s, &logs
}

func do(t *testing.T, h http.Handler, method, target string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func errorBody(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var body struct{ Error string }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("error body %q is not JSON: %v", rec.Body, err)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type = %q", ct)
	}
	return body.Error
}

var mvtBytes = []byte("\x1a\x0b\x0a\x07oblasts\x28\x80\x20") // any non-empty bytes do

func TestTileValidation(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		status  int
		message string // substring of the JSON error; empty for 204
	}{
		{"z negative", "/tiles/oblasts/-1/0/0.mvt", 400, "z=-1 out of range: want 0..22"},
		{"z 31", "/tiles/oblasts/31/0/0.mvt", 400, "z=31 out of range"},
		{"z 40", "/tiles/oblasts/40/0/0.pbf", 400, "z=40 out of range"},
		{"z huge", "/tiles/oblasts/123456789012345678901234567890/0/0.mvt", 400, "out of range"},
		{"x is 2^z", "/tiles/oblasts/3/8/0.mvt", 400, "x=8 out of range for z=3: want 0..7"},
		{"y beyond 2^z", "/tiles/districts/3/0/9.mvt", 400, "y=9 out of range for z=3: want 0..7"},
		{"z letters", "/tiles/oblasts/abc/0/0.mvt", 400, `z="abc" is not a whole number`},
		{"exponent", "/tiles/oblasts/1e3/0/0.mvt", 400, "not a whole number"},
		{"plus sign", "/tiles/oblasts/+1/0/0.mvt", 400, "not a whole number"},
		{"decimal y", "/tiles/oblasts/1/0/0.5.mvt", 400, "not a whole number"},
		{"unknown layer", "/tiles/pg_user/1/0/0.mvt", 404, `no tile layer "pg_user"`},
		{"unknown layer bad zoom", "/tiles/nope/99/0/0.mvt", 404, "no tile layer"},
		{"above maxzoom", "/tiles/oblasts/15/0/0.mvt", 404, "no tiles above z=14"},
		{"other format", "/tiles/oblasts/1/0/0.png", 404, "no "},
		{"settlements below minzoom", "/tiles/settlements/3/5/2.mvt", 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &fakeSource{data: mvtBytes}
			s, _ := newTestServer(t, Options{Tiles: src})
			rec := do(t, s.routes(), "GET", tt.path)
			if rec.Code != tt.status {
				t.Fatalf("GET %s = %d %q, want %d", tt.path, rec.Code, rec.Body, tt.status)
			}
			if tt.message != "" {
				if msg := errorBody(t, rec); !strings.Contains(msg, tt.message) {
					t.Errorf("error %q, want it to contain %q", msg, tt.message)
				}
			}
			if tile, gen := src.calls(); tile != 0 || gen != 0 {
				t.Errorf("%d Tile and %d Generation calls; want none before validation passes", tile, gen)
			}
		})
	}
}

func TestTileServe(t *testing.T) {
	src := &fakeSource{data: mvtBytes, gen: 7}
	s, _ := newTestServer(t, Options{Tiles: src})
	h := s.routes()

	var tag string
	for _, ext := range []string{"mvt", "pbf"} {
		rec := do(t, h, "GET", "/tiles/oblasts/4/11/5."+ext)
		if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), mvtBytes) {
			t.Fatalf(".%s: %d %q", ext, rec.Code, rec.Body)
		}
		for k, want := range map[string]string{
			"Content-Type":                "application/vnd.mapbox-vector-tile",
			"Cache-Control":               "public, max-age=60",
			"Access-Control-Allow-Origin": "*",
		} {
			if got := rec.Header().Get(k); got != want {
				t.Errorf(".%s: %s = %q, want %q", ext, k, got, want)
			}
		}
		tag = rec.Header().Get("ETag")
		if !strings.HasPrefix(tag, `"`) || len(tag) < 10 {
			t.Errorf("ETag = %q", tag)
		}
	}

	rec := do(t, h, "GET", "/tiles/oblasts/4/11/5.mvt", "If-None-Match", tag)
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("conditional GET = %d with %d bytes, want 304", rec.Code, rec.Body.Len())
	}
	rec = do(t, h, "GET", "/tiles/oblasts/4/11/5.mvt", "If-None-Match", `"other"`)
	if rec.Code != 200 {
		t.Errorf("stale If-None-Match = %d, want 200", rec.Code)
	}
	rec = do(t, h, "HEAD", "/tiles/oblasts/4/11/5.mvt")
	if rec.Code != 200 || rec.Body.Len() != 0 {
		t.Errorf("HEAD = %d with %d bytes", rec.Code, rec.Body.Len())
	}
	if rec := do(t, h, "POST", "/tiles/oblasts/4/11/5.mvt"); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d, want 405", rec.Code)
	}

	// Every request above was one tile of one generation: cut once.
	if tile, _ := src.calls(); tile != 1 {
		t.Errorf("Tile called %d times, want 1 (cache)", tile)
	}
	// A new import is a new generation: the tile is cut again.
	src.mu.Lock()
	src.gen = 8
	src.mu.Unlock()
	do(t, h, "GET", "/tiles/oblasts/4/11/5.mvt")
	if tile, _ := src.calls(); tile != 2 {
		t.Errorf("after a new generation Tile called %d times, want 2", tile)
	}
}

func TestTileEmpty(t *testing.T) {
	src := &fakeSource{}
	s, _ := newTestServer(t, Options{Tiles: src})
	h := s.routes()
	for range 2 {
		rec := do(t, h, "GET", "/tiles/settlements/10/100/100.mvt")
		if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
			t.Fatalf("empty tile = %d %q, want 204", rec.Code, rec.Body)
		}
		if rec.Header().Get("Access-Control-Allow-Origin") != "*" || rec.Header().Get("Cache-Control") == "" {
			t.Errorf("204 headers: %v", rec.Header())
		}
	}
	if tile, _ := src.calls(); tile != 1 {
		t.Errorf("Tile called %d times, want 1: empty tiles are cached too", tile)
	}
}

func TestTileErrors(t *testing.T) {
	secret := `ERROR: relation "secret_table" does not exist (SQLSTATE 42P01)`
	tests := []struct {
		name    string
		src     *fakeSource
		timeout time.Duration
		status  int
		message string
		logged  bool
	}{
		{"sql error", &fakeSource{err: errors.New(secret)}, 0, 500, "internal error", true},
		{"wrapped internal", &fakeSource{err: errs.Wrap(errs.Internal, errors.New(secret), "cut tile")}, 0, 500, "internal error", true},
		{"unavailable", &fakeSource{err: errs.Wrap(errs.Unavailable, errors.New(secret), "database unavailable")}, 0, 503, "database unavailable", true},
		{"timeout", &fakeSource{wait: true}, 20 * time.Millisecond, 503, "internal error", true},
		{"panic", &fakeSource{panics: true}, 0, 500, "internal error", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, logs := newTestServer(t, Options{Tiles: tt.src, QueryTimeout: tt.timeout})
			start := time.Now()
			rec := do(t, s.routes(), "GET", "/tiles/districts/6/44/20.mvt")
			if rec.Code != tt.status {
				t.Fatalf("status %d %q, want %d", rec.Code, rec.Body, tt.status)
			}
			if msg := errorBody(t, rec); msg != tt.message {
				t.Errorf("error %q, want %q", msg, tt.message)
			}
			if strings.Contains(rec.Body.String(), "secret") || strings.Contains(rec.Body.String(), "SQLSTATE") {
				t.Errorf("body leaks the cause: %s", rec.Body)
			}
			if got := strings.Contains(logs.String(), "level=ERROR"); got != tt.logged {
				t.Errorf("logged an error: %v, want %v\n%s", got, tt.logged, logs)
			}
			if tt.timeout > 0 && time.Since(start) > time.Second {
				t.Errorf("timeout took %v", time.Since(start))
			}
			if tt.status == 503 && rec.Header().Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
		})
	}
}

func TestClientErrorsNotLogged(t *testing.T) {
	s, logs := newTestServer(t, Options{Tiles: &fakeSource{}})
	do(t, s.routes(), "GET", "/tiles/oblasts/99/0/0.mvt")
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a 400 was logged as an error:\n%s", logs)
	}
}

func TestTileJSON(t *testing.T) {
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}, Extent: fakeExtent{kazakhstanBox, true}})
	srv := httptest.NewServer(s.routes())
	defer srv.Close()

	get := func(path string, hdr ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}

	resp, body := get("/tiles/districts.json")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("TileJSON: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Error("TileJSON without CORS")
	}
	var tj struct {
		TileJSON     string    `json:"tilejson"`
		Scheme       string    `json:"scheme"`
		Tiles        []string  `json:"tiles"`
		MinZoom      *int      `json:"minzoom"`
		MaxZoom      int       `json:"maxzoom"`
		Bounds       []float64 `json:"bounds"`
		Center       []float64 `json:"center"`
		VectorLayers []struct {
			ID      string            `json:"id"`
			MinZoom *int              `json:"minzoom"`
			MaxZoom int               `json:"maxzoom"`
			Fields  map[string]string `json:"fields"`
		} `json:"vector_layers"`
	}
	if err := json.Unmarshal(body, &tj); err != nil {
		t.Fatalf("TileJSON %s: %v", body, err)
	}
	if tj.TileJSON != "3.0.0" || tj.Scheme != "xyz" {
		t.Errorf("tilejson %q scheme %q", tj.TileJSON, tj.Scheme)
	}
	if want := srv.URL + "/tiles/districts/{z}/{x}/{y}.mvt"; len(tj.Tiles) != 1 || tj.Tiles[0] != want {
		t.Errorf("tiles = %v, want [%s]", tj.Tiles, want)
	}
	if tj.MinZoom == nil || *tj.MinZoom != 0 || tj.MaxZoom != 14 {
		t.Errorf("zooms %v..%d", tj.MinZoom, tj.MaxZoom)
	}
	// The bounds are the imported country's extent.
	if len(tj.Bounds) != 4 || tj.Bounds[0] != kazakhstanBox.Min[0] || tj.Bounds[3] != kazakhstanBox.Max[1] || len(tj.Center) != 3 {
		t.Errorf("bounds %v center %v", tj.Bounds, tj.Center)
	}
	if len(tj.VectorLayers) != 1 || tj.VectorLayers[0].ID != "districts" || tj.VectorLayers[0].MaxZoom != 14 {
		t.Fatalf("vector_layers = %+v", tj.VectorLayers)
	}
	for _, f := range []string{"code", "name_kk", "name_ru", "name_en", "oblast_code", "population", "density", "group_name_en"} {
		if tj.VectorLayers[0].Fields[f] == "" {
			t.Errorf("vector_layers[0].fields lacks %s", f)
		}
	}

	// Behind a TLS-terminating proxy.
	_, body = get("/tiles/settlements.json", "X-Forwarded-Proto", "https")
	if want := "https://" + strings.TrimPrefix(srv.URL, "http://") + "/tiles/settlements/{z}/{x}/{y}.mvt"; !strings.Contains(string(body), want) {
		t.Errorf("X-Forwarded-Proto ignored: %s", body)
	}
	// A forged Host does not get into the URLs: links are relative, and the
	// answer says it depends on the Host.
	for _, host := range []string{`evil"><script>`, "evil.example.com", "evil.example.com:8080", "10.255.255.1"} {
		req := httptest.NewRequest("GET", "/tiles/oblasts.json", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		s.routes().ServeHTTP(rec, req)
		if strings.Contains(rec.Body.String(), "evil") || strings.Contains(rec.Body.String(), "10.255") ||
			!strings.Contains(rec.Body.String(), `"/tiles/oblasts/{z}/{x}/{y}.mvt"`) || !strings.Contains(strings.Join(rec.Header().Values("Vary"), ","), "Host") {
			t.Errorf("forged Host %q echoed or Vary missing: %v %s", host, rec.Header(), rec.Body)
		}
	}
	// Loopback names are allowed by default.
	for _, host := range []string{"localhost:8080", "127.0.0.1:9", "[::1]:8080"} {
		req := httptest.NewRequest("GET", "/tiles/oblasts.json", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		s.routes().ServeHTTP(rec, req)
		if !strings.Contains(rec.Body.String(), `"http://`+host+`/tiles/oblasts/`) {
			t.Errorf("Host %q: want absolute links: %s", host, rec.Body)
		}
	}

	if resp, _ := get("/tiles/nope.json"); resp.StatusCode != 404 {
		t.Errorf("unknown layer TileJSON = %d, want 404", resp.StatusCode)
	}

	// PublicURL wins over the request.
	s2, _ := newTestServer(t, Options{Tiles: &fakeSource{}, PublicURL: "https://maps.example.kz/"})
	rec := do(t, s2.routes(), "GET", "/tiles/groups.json")
	if !strings.Contains(rec.Body.String(), `"https://maps.example.kz/tiles/groups/{z}/{x}/{y}.mvt"`) {
		t.Errorf("PublicURL ignored: %s", rec.Body)
	}
}

func TestTilesIndex(t *testing.T) {
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}, PublicURL: "https://maps.example.kz"})
	rec := do(t, s.routes(), "GET", "/tiles")
	var idx struct {
		Layers []struct{ Name, TileJSON, Tiles string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &idx); err != nil || rec.Code != 200 {
		t.Fatalf("GET /tiles = %d %s: %v", rec.Code, rec.Body, err)
	}
	var names []string
	for _, l := range idx.Layers {
		names = append(names, l.Name)
		if l.TileJSON != "https://maps.example.kz/tiles/"+l.Name+".json" {
			t.Errorf("%s tilejson = %s", l.Name, l.TileJSON)
		}
	}
	if got := strings.Join(names, ","); got != "oblasts,districts,groups,settlements" {
		t.Errorf("layers = %s", got)
	}
}

func TestHealth(t *testing.T) {
	tests := []struct {
		name   string
		health Pinger
		path   string
		status int
		body   string
	}{
		{"healthz", fakePinger{err: errors.New("down")}, "/healthz", 200, "ok\n"},
		{"ready", fakePinger{}, "/readyz", 200, `{"status":"ready"}` + "\n"},
		{"no pinger", nil, "/readyz", 200, `{"status":"ready"}` + "\n"},
		{"not ready", fakePinger{err: errors.New("dial unix /run/secret.sock: connection refused")}, "/readyz", 503, `{"error":"database not ready"}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestServer(t, Options{Tiles: &fakeSource{}, Health: tt.health})
			rec := do(t, s.routes(), "GET", tt.path)
			if rec.Code != tt.status || rec.Body.String() != tt.body {
				t.Errorf("GET %s = %d %q, want %d %q", tt.path, rec.Code, rec.Body, tt.status, tt.body)
			}
		})
	}
}

func TestUI(t *testing.T) {
	ui := fstest.MapFS{
		"index.html":             {Data: []byte("<!doctype html><title>aimaq</title>")},
		"app.mjs":                {Data: []byte("export {}")},
		"i18n.js":                {Data: []byte("export {}")},
		"app.css":                {Data: []byte("body{}")},
		"vendor/maplibre-gl.mjs": {Data: []byte("export {}")},
		"vendor/maplibre-gl.css": {Data: []byte(".maplibregl-map{}")},
		"data/districts.json":    {Data: []byte("{}")},
		"geo.wasm":               {Data: []byte("\x00asm")},
		"img/logo.png":           {Data: []byte("\x89PNG")},
		"vendor/dir/.keep":       {Data: nil},
	}
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}, UI: ui})
	h := s.routes()
	tests := []struct {
		path, contentType, cacheControl string
	}{
		{"/", "text/html; charset=utf-8", "no-cache"},
		{"/index.html", "text/html; charset=utf-8", "no-cache"},
		{"/app.mjs", "text/javascript; charset=utf-8", "public, max-age=300"},
		{"/i18n.js", "text/javascript; charset=utf-8", "public, max-age=300"},
		{"/app.css", "text/css; charset=utf-8", "public, max-age=300"},
		{"/vendor/maplibre-gl.mjs", "text/javascript; charset=utf-8", "public, max-age=86400"},
		{"/vendor/maplibre-gl.css", "text/css; charset=utf-8", "public, max-age=86400"},
		{"/data/districts.json", "application/json; charset=utf-8", "public, max-age=300"},
		{"/geo.wasm", "application/wasm", "public, max-age=300"},
		{"/img/logo.png", "image/png", "public, max-age=300"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := do(t, h, "GET", tt.path)
			if rec.Code != 200 {
				t.Fatalf("GET %s = %d %q", tt.path, rec.Code, rec.Body)
			}
			if got := rec.Header().Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type = %q, want %q", got, tt.contentType)
			}
			if got := rec.Header().Get("Cache-Control"); got != tt.cacheControl {
				t.Errorf("Cache-Control = %q, want %q", got, tt.cacheControl)
			}
			tag := rec.Header().Get("ETag")
			if tag == "" {
				t.Fatal("no ETag")
			}
			if rec := do(t, h, "GET", tt.path, "If-None-Match", tag); rec.Code != http.StatusNotModified {
				t.Errorf("conditional GET = %d, want 304", rec.Code)
			}
		})
	}
	for _, p := range []string{"/missing.js", "/vendor/dir", "/../etc/passwd", "/vendor/../../x"} {
		if rec := do(t, h, "GET", p); rec.Code != 404 && rec.Code != 301 {
			t.Errorf("GET %s = %d, want 404", p, rec.Code)
		}
	}

	s2, _ := newTestServer(t, Options{Tiles: &fakeSource{}})
	if rec := do(t, s2.routes(), "GET", "/"); rec.Code != 404 {
		t.Errorf("no UI: GET / = %d, want 404", rec.Code)
	}
}

func FuzzTilePath(f *testing.F) {
	for _, p := range []string{
		"/tiles/oblasts/0/0/0.mvt", "/tiles/settlements/3/1/1.pbf", "/tiles/oblasts/-1/0/0.mvt",
		"/tiles/x/1/1/1.mvt", "/tiles/oblasts/99999999999999999999/0/0.mvt", "/tiles/oblasts/1/0/%2e%2e.mvt",
	} {
		f.Add(p)
	}
	src := &fakeSource{data: mvtBytes}
	s := newServer(Options{Tiles: src})
	h := s.routes()
	f.Fuzz(func(t *testing.T, p string) {
		req, err := http.NewRequest("GET", "http://localhost"+p, nil)
		if err != nil || req.URL.Path == "" || !strings.HasPrefix(req.URL.Path, "/") {
			return
		}
		before, _ := src.calls()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		after, _ := src.calls()
		switch rec.Code {
		case 200, 204, 301, 404:
		case 400:
			if after != before {
				t.Fatalf("%s: 400 after a Tile call", p)
			}
		default:
			t.Fatalf("%s: status %d %q", p, rec.Code, rec.Body)
		}
	})
}
