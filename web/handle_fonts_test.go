package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles/glyphs"
	"golang.org/x/image/font/gofont/goregular"
)

var _ GlyphSource = (*glyphs.Fonts)(nil)

// fakeGlyphs knows one font and records what it was asked.
type fakeGlyphs struct {
	mu    sync.Mutex
	calls []string // "fontstack start-end"
}

// emptyGlyphs is a glyphs message with one font stack and no glyphs:
// stacks{name: "F", range: "0-255"}.
var emptyGlyphs = []byte("\x0a\x0a\x0a\x01F\x12\x050-255")

func (f *fakeGlyphs) Glyphs(ctx context.Context, fontstack string, start, end int) ([]byte, error) {
	f.mu.Lock()
	f.calls = append(f.calls, fontstack+" "+strconv.Itoa(start)+"-"+strconv.Itoa(end))
	f.mu.Unlock()
	if !strings.Contains(fontstack, "DejaVu Sans") {
		return nil, errs.E(errs.NotFound, "no font %q", fontstack)
	}
	if start == 0xE000 {
		return emptyGlyphs, nil
	}
	return []byte("glyphs " + fontstack), nil
}

func (f *fakeGlyphs) asked() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func TestFontsServe(t *testing.T) {
	src := &fakeGlyphs{}
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}, Glyphs: src})
	h := s.routes()

	rec := do(t, h, "GET", "/fonts/DejaVu%20Sans,Noto%20Sans%20Regular/1024-1279.pbf")
	if rec.Code != 200 || rec.Body.String() != "glyphs DejaVu Sans,Noto Sans Regular" {
		t.Fatalf("GET = %d %q", rec.Code, rec.Body)
	}
	for k, want := range map[string]string{
		"Content-Type":                "application/x-protobuf",
		"Cache-Control":               "public, max-age=86400",
		"Access-Control-Allow-Origin": "*",
	} {
		if got := rec.Header().Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if got := src.asked(); len(got) != 1 || got[0] != "DejaVu Sans,Noto Sans Regular 1024-1279" {
		t.Errorf("source asked %q", got)
	}

	tag := rec.Header().Get("ETag")
	if rec := do(t, h, "GET", "/fonts/DejaVu%20Sans,Noto%20Sans%20Regular/1024-1279.pbf", "If-None-Match", tag); rec.Code != http.StatusNotModified {
		t.Errorf("conditional GET = %d, want 304", rec.Code)
	}
	if rec := do(t, h, "HEAD", "/fonts/DejaVu%20Sans/0-255.pbf"); rec.Code != 200 || rec.Body.Len() != 0 {
		t.Errorf("HEAD = %d with %d bytes", rec.Code, rec.Body.Len())
	}
	if rec := do(t, h, "POST", "/fonts/DejaVu%20Sans/0-255.pbf"); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d, want 405", rec.Code)
	}

	// A range the fonts lack is a message with no glyphs, not 204.
	rec = do(t, h, "GET", "/fonts/DejaVu%20Sans/57344-57599.pbf")
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), emptyGlyphs) {
		t.Errorf("empty range = %d %q, want 200 with the empty message", rec.Code, rec.Body)
	}
}

func TestFontsErrors(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		status  int
		message string
		reaches bool // whether the request gets to the GlyphSource
	}{
		{"unknown font", "/fonts/Arial%20Unicode%20MS%20Regular/0-255.pbf", 404, `no font "Arial Unicode MS Regular"`, true},
		{"start not a multiple", "/fonts/DejaVu%20Sans/1-256.pbf", 400, "glyph range", false},
		{"too long", "/fonts/DejaVu%20Sans/0-511.pbf", 400, "glyph range", false},
		{"past the BMP", "/fonts/DejaVu%20Sans/65536-65791.pbf", 400, "glyph range", false},
		{"letters", "/fonts/DejaVu%20Sans/a-b.pbf", 400, "want start-end", false},
		{"one number", "/fonts/DejaVu%20Sans/256.pbf", 400, "want start-end", false},
		{"negative", "/fonts/DejaVu%20Sans/-256--1.pbf", 400, "glyph range", false},
		{"bad range, unknown font", "/fonts/nope/1-2.pbf", 400, "glyph range", false},
		{"other format", "/fonts/DejaVu%20Sans/0-255.json", 404, "no ", false},
		{"no range", "/fonts/DejaVu%20Sans/", 404, "no ", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &fakeGlyphs{}
			s, _ := newTestServer(t, Options{Tiles: &fakeSource{}, Glyphs: src})
			rec := do(t, s.routes(), "GET", tt.path)
			if rec.Code != tt.status {
				t.Fatalf("GET %s = %d %q, want %d", tt.path, rec.Code, rec.Body, tt.status)
			}
			if msg := errorBody(t, rec); !strings.Contains(msg, tt.message) {
				t.Errorf("error %q, want it to contain %q", msg, tt.message)
			}
			if n := len(src.asked()); (n > 0) != tt.reaches {
				t.Errorf("GlyphSource asked %d times", n)
			}
		})
	}
}

func TestFontsNone(t *testing.T) {
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}})
	h := s.routes()
	rec := do(t, h, "GET", "/fonts/DejaVu%20Sans/0-255.pbf")
	if rec.Code != 404 || !strings.Contains(errorBody(t, rec), "no fonts") {
		t.Errorf("without fonts: %d %q, want 404", rec.Code, rec.Body)
	}
	if rec := do(t, h, "GET", "/fonts/DejaVu%20Sans/1-2.pbf"); rec.Code != 400 {
		t.Errorf("bad range without fonts: %d, want 400", rec.Code)
	}
}

// TestFontsGlyphs serves the real glyphs package through the route.
func TestFontsGlyphs(t *testing.T) {
	fonts, err := glyphs.New(glyphs.Font{Name: "Go Regular", Data: goregular.TTF})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newTestServer(t, Options{Tiles: &fakeSource{}, Glyphs: fonts})
	rec := do(t, s.routes(), "GET", "/fonts/Go%20Regular/1024-1279.pbf")
	if rec.Code != 200 || rec.Body.Len() < 10_000 {
		t.Fatalf("GET = %d with %d bytes", rec.Code, rec.Body.Len())
	}
	want, err := fonts.Glyphs(context.Background(), "Go Regular", 1024, 1279)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rec.Body.Bytes(), want) {
		t.Error("served bytes differ from the package's")
	}
}
