// Package glyphs makes the glyph ranges MapLibre GL draws map labels with:
// protobuf messages of signed distance fields, 256 code points at a time, as
// served at /fonts/{fontstack}/{start}-{end}.pbf. It reads TrueType font
// bytes handed to it and does no file or network I/O, so labels need no
// public glyph server.
package glyphs

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/aimaq/aimaq/internal/errs"
)

// RangeSize is how many code points one glyph range holds.
const RangeSize = 256

// maxCodePoint is the last code point MapLibre asks for: it requests only
// the Basic Multilingual Plane.
const maxCodePoint = 0xFFFF

// Fonts makes glyph ranges from a fixed set of named fonts and keeps every
// range it has made. Its methods are safe for concurrent use.
type Fonts struct {
	faces map[string]*face
	names []string // in the order New was given them, for messages

	mu     sync.Mutex
	ranges map[rangeKey]*rangeEntry
}

type rangeKey struct {
	font  *face
	start int
}

// rangeEntry is one font's glyphs of one range, made once.
type rangeEntry struct {
	once   sync.Once
	glyphs [RangeSize][]byte // encoded glyph messages by code point - start; nil where the font has none
	err    error
}

// Font is a font's name in font stacks, such as "DejaVu Sans", and the
// bytes of its TrueType or OpenType file.
type Font struct {
	Name string
	Data []byte
}

// New parses fonts. A name may hold no comma, since font stacks are
// comma-separated lists of names.
func New(fonts ...Font) (*Fonts, error) {
	fs := &Fonts{faces: make(map[string]*face, len(fonts)), ranges: make(map[rangeKey]*rangeEntry)}
	for _, f := range fonts {
		name := strings.TrimSpace(f.Name)
		if name == "" || strings.Contains(name, ",") {
			return nil, fmt.Errorf("glyphs.New: font name %q: want a non-empty name without commas", f.Name)
		}
		if _, dup := fs.faces[name]; dup {
			return nil, fmt.Errorf("glyphs.New: font %q given twice", name)
		}
		fc, err := newFace(f.Data)
		if err != nil {
			return nil, fmt.Errorf("glyphs.New: font %q: %w", name, err)
		}
		fs.faces[name] = fc
		fs.names = append(fs.names, name)
	}
	return fs, nil
}

// Names returns the names of the fonts, in the order New was given them.
func (fs *Fonts) Names() []string {
	return append([]string(nil), fs.names...)
}

// Glyphs returns the glyph range start..end of fontstack as a protobuf
// "glyphs" message. fontstack is a comma-separated list of font names; each
// code point is drawn with the first of them that has it, and names this
// set does not know are passed over, as a style may list fallbacks some
// servers lack. A range no font covers is a valid message with no glyphs.
//
// Errors: errs.Invalid when start..end is not a range (see ParseRange),
// errs.NotFound when fontstack names no known font.
func (fs *Fonts) Glyphs(ctx context.Context, fontstack string, start, end int) ([]byte, error) {
	if err := checkRange(start, end); err != nil {
		return nil, err
	}
	var stack []*face
	var used []string
	for _, name := range strings.Split(fontstack, ",") {
		name = strings.TrimSpace(name)
		if f, ok := fs.faces[name]; ok && !contains(stack, f) {
			stack = append(stack, f)
			used = append(used, name)
		}
	}
	if len(stack) == 0 {
		return nil, errs.E(errs.NotFound, "no font %q: this server has %s", clip(fontstack), strings.Join(fs.names, ", "))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	entries := make([]*rangeEntry, len(stack))
	for i, f := range stack {
		e, err := fs.rangeOf(f, start)
		if err != nil {
			return nil, fmt.Errorf("glyphs %q %d-%d: %w", clip(fontstack), start, end, err)
		}
		entries[i] = e
	}
	var glyphs [][]byte
	for i := range RangeSize {
		for _, e := range entries {
			if g := e.glyphs[i]; g != nil {
				glyphs = append(glyphs, g)
				break
			}
		}
	}
	return encodeGlyphs(strings.Join(used, ","), start, end, glyphs), nil
}

// rangeOf returns f's glyphs of the range from start, making them on first
// use. Concurrent callers for one range wait for the one that makes it.
func (fs *Fonts) rangeOf(f *face, start int) (*rangeEntry, error) {
	key := rangeKey{f, start}
	fs.mu.Lock()
	e, ok := fs.ranges[key]
	if !ok {
		e = &rangeEntry{}
		fs.ranges[key] = e
	}
	fs.mu.Unlock()
	e.once.Do(func() { e.err = f.buildRange(start, &e.glyphs) })
	return e, e.err
}

// ParseRange parses the {range} of a glyph URL, such as "1024-1279".
// A range starts at a multiple of 256 and ends 255 later, at most at 65535;
// anything else is errs.Invalid.
func ParseRange(s string) (start, end int, err error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, errs.E(errs.Invalid, "glyph range %q: want start-end, such as 0-255", clip(s))
	}
	start, okA := number(a)
	end, okB := number(b)
	if !okA || !okB {
		return 0, 0, errs.E(errs.Invalid, "glyph range %q: want start-end, such as 0-255", clip(s))
	}
	if err := checkRange(start, end); err != nil {
		return 0, 0, err
	}
	return start, end, nil
}

// number parses a short run of decimal digits: no sign, no spaces, no
// leading zeros (one URL per range), nothing that could overflow.
func number(s string) (int, bool) {
	if s == "" || len(s) > 5 || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func checkRange(start, end int) error {
	if start < 0 || start%RangeSize != 0 || end != start+RangeSize-1 || end > maxCodePoint {
		return errs.E(errs.Invalid, "glyph range %d-%d: want a multiple of 256 up to 65280, a dash, and that number plus 255", start, end)
	}
	return nil
}

func contains(stack []*face, f *face) bool {
	for _, g := range stack {
		if g == f {
			return true
		}
	}
	return false
}

// clip keeps an echoed font stack short, cutting between runes.
func clip(s string) string {
	const n = 60
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
