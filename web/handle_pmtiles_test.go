package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// archiveBytes is a SYNTHETIC archive body: the handler does not look inside.
var archiveBytes = bytes.Repeat([]byte("SYNTHETIC pmtiles body. "), 200)

func pmtilesServer(t *testing.T) http.Handler {
	t.Helper()
	mod := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}, PMTiles: fstest.MapFS{
		"kz.pmtiles":      {Data: archiveBytes, ModTime: mod},
		"notes.txt":       {Data: []byte("not an archive"), ModTime: mod},
		".hidden.pmtiles": {Data: []byte("x"), ModTime: mod},
	}})
	return s.routes()
}

func TestPMTilesRange(t *testing.T) {
	h := pmtilesServer(t)
	rec := do(t, h, http.MethodGet, "/pmtiles/kz.pmtiles", "Range", "bytes=10-2009", "Accept-Encoding", "gzip", "Origin", "https://maps.example.org")
	if rec.Code != http.StatusPartialContent || !bytes.Equal(rec.Body.Bytes(), archiveBytes[10:2010]) {
		t.Fatalf("range: %d, %d bytes; want 206 and bytes 10–2009", rec.Code, rec.Body.Len())
	}
	hd := rec.Header()
	if hd.Get("Content-Range") != "bytes 10-2009/4800" || hd.Get("Content-Encoding") != "" || hd.Get("ETag") == "" || hd.Get("Access-Control-Allow-Origin") == "" || hd.Get("No-Gzip-Compression") != "" {
		t.Errorf("range headers: %v", hd)
	}
	etag := hd.Get("ETag")
	// The whole archive, uncompressed although it would compress well.
	rec = do(t, h, http.MethodGet, "/pmtiles/kz.pmtiles", "Accept-Encoding", "gzip")
	if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), archiveBytes) || rec.Header().Get("Accept-Ranges") != "bytes" {
		t.Errorf("whole: %d, %d bytes, headers %v", rec.Code, rec.Body.Len(), rec.Header())
	}
	// A reader holding an older ETag learns the archive changed.
	if rec = do(t, h, http.MethodGet, "/pmtiles/kz.pmtiles", "Range", "bytes=0-9", "If-Match", `"old"`); rec.Code != http.StatusPreconditionFailed {
		t.Errorf("If-Match old: %d, want 412", rec.Code)
	}
	if rec = do(t, h, http.MethodGet, "/pmtiles/kz.pmtiles", "Range", "bytes=0-9", "If-Match", etag); rec.Code != http.StatusPartialContent {
		t.Errorf("If-Match current: %d, want 206", rec.Code)
	}
	if rec = do(t, h, http.MethodGet, "/pmtiles/kz.pmtiles", "If-None-Match", etag); rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match current: %d, want 304", rec.Code)
	}
	if rec = do(t, h, http.MethodGet, "/pmtiles/kz.pmtiles", "Range", "bytes=9000-9999"); rec.Code != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("range past the end: %d, want 416", rec.Code)
	}
	for _, p := range []string{"/pmtiles/missing.pmtiles", "/pmtiles/.hidden.pmtiles", "/pmtiles/notes.pmtiles", "/pmtiles/..%2Fkz.pmtiles", "/pmtiles/kz.pmtiles.pmtiles"} {
		if rec := do(t, h, http.MethodGet, p); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, rec.Code)
		}
	}
}

func TestPMTilesIndex(t *testing.T) {
	rec := do(t, pmtilesServer(t), http.MethodGet, "/pmtiles", "Host", "localhost:8080")
	var got struct {
		Archives []archiveLink `json:"archives"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("GET /pmtiles: %d %v %s", rec.Code, err, rec.Body)
	}
	if len(got.Archives) != 1 || got.Archives[0].Name != "kz" || got.Archives[0].Bytes != int64(len(archiveBytes)) || !strings.HasSuffix(got.Archives[0].URL, "/pmtiles/kz.pmtiles") {
		t.Errorf("archives = %+v, want kz only", got.Archives)
	}
	// Without archives: an empty list, and 404 for any.
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}})
	h := s.routes()
	if rec := do(t, h, http.MethodGet, "/pmtiles"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"archives":[]`) {
		t.Errorf("GET /pmtiles without archives: %d %s", rec.Code, rec.Body)
	}
	if rec := do(t, h, http.MethodGet, "/pmtiles/kz.pmtiles"); rec.Code != http.StatusNotFound {
		t.Errorf("GET /pmtiles/kz.pmtiles without archives: %d, want 404", rec.Code)
	}
}
