package glyphs

import (
	"context"
	"errors"
	"fmt"
	"github.com/aimaq/aimaq/internal/testenv"
	"os"
	"sync"
	"testing"

	"github.com/aimaq/aimaq/internal/errs"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"google.golang.org/protobuf/encoding/protowire"
)

// The Debian fonts-dejavu-core files aimaq serves.
const (
	dejaVuSans     = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
	dejaVuSansBold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
)

// mustFontFile reads a font installed from Debian. Without it the test is
// skipped on a developer's machine but fails in CI, which installs it
// (scripts/setup).
func mustFontFile(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		testenv.Missing(tb, "%v: install fonts-dejavu-core (scripts/setup)", err)
	}
	return b
}

func mustDejaVu(tb testing.TB) *Fonts {
	tb.Helper()
	fs, err := New(
		Font{Name: "DejaVu Sans", Data: mustFontFile(tb, dejaVuSans)},
		Font{Name: "DejaVu Sans Bold", Data: mustFontFile(tb, dejaVuSansBold)},
	)
	if err != nil {
		tb.Fatal(err)
	}
	return fs
}

// mustGo returns the Go fonts, which ship inside golang.org/x/image and so
// test everything but Kazakh letters (which they lack) on any machine.
func mustGo(tb testing.TB) *Fonts {
	tb.Helper()
	fs, err := New(Font{Name: "Go Regular", Data: goregular.TTF}, Font{Name: "Go Bold", Data: gobold.TTF})
	if err != nil {
		tb.Fatal(err)
	}
	return fs
}

// decoded is a glyphs message read back with protowire alone, as MapLibre
// reads it: one font stack.
type decoded struct {
	name, rng string
	glyphs    map[rune]glyph
	order     []rune
}

func decode(tb testing.TB, b []byte) decoded {
	tb.Helper()
	d := decoded{glyphs: map[rune]glyph{}}
	stacks := 0
	forFields(tb, b, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) {
		if num != fieldStacks || typ != protowire.BytesType {
			tb.Fatalf("glyphs: unexpected field %d type %d", num, typ)
		}
		stacks++
		forFields(tb, v, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) {
			switch num {
			case fieldStackName:
				d.name = string(v)
			case fieldStackRange:
				d.rng = string(v)
			case fieldStackGlyphs:
				g := decodeGlyph(tb, v)
				if _, dup := d.glyphs[g.ID]; dup {
					tb.Fatalf("glyph U+%04X twice", g.ID)
				}
				d.glyphs[g.ID] = g
				d.order = append(d.order, g.ID)
			default:
				tb.Fatalf("fontstack: unexpected field %d", num)
			}
		})
	})
	if stacks != 1 {
		tb.Fatalf("%d font stacks, want 1", stacks)
	}
	return d
}

func decodeGlyph(tb testing.TB, b []byte) glyph {
	tb.Helper()
	var g glyph
	seen := map[protowire.Number]bool{}
	forFields(tb, b, func(num protowire.Number, typ protowire.Type, v []byte, n uint64) {
		seen[num] = true
		switch num {
		case fieldGlyphID:
			g.ID = rune(n)
		case fieldGlyphBitmap:
			g.Bitmap = v
		case fieldGlyphWidth:
			g.Width = int(n)
		case fieldGlyphHeight:
			g.Height = int(n)
		case fieldGlyphLeft:
			g.Left = int(protowire.DecodeZigZag(n))
		case fieldGlyphTop:
			g.Top = int(protowire.DecodeZigZag(n))
		case fieldGlyphAdvance:
			g.Advance = int(n)
		default:
			tb.Fatalf("glyph: unexpected field %d", num)
		}
	})
	for _, f := range []protowire.Number{fieldGlyphID, fieldGlyphWidth, fieldGlyphHeight, fieldGlyphLeft, fieldGlyphTop, fieldGlyphAdvance} {
		if !seen[f] {
			tb.Fatalf("glyph U+%04X lacks required field %d", g.ID, f)
		}
	}
	return g
}

// forFields calls fn with each field of message b: its bytes for a
// length-delimited field, its value for a varint.
func forFields(tb testing.TB, b []byte, fn func(num protowire.Number, typ protowire.Type, v []byte, n uint64)) {
	tb.Helper()
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			tb.Fatalf("bad tag: %v", protowire.ParseError(n))
		}
		b = b[n:]
		switch typ {
		case protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				tb.Fatalf("bad varint: %v", protowire.ParseError(n))
			}
			fn(num, typ, nil, v)
			b = b[n:]
		case protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				tb.Fatalf("bad bytes: %v", protowire.ParseError(n))
			}
			fn(num, typ, v, 0)
			b = b[n:]
		default:
			tb.Fatalf("field %d has wire type %d", num, typ)
		}
	}
}

func mustGlyphs(tb testing.TB, fs *Fonts, stack string, start int) decoded {
	tb.Helper()
	b, err := fs.Glyphs(context.Background(), stack, start, start+255)
	if err != nil {
		tb.Fatalf("Glyphs(%q, %d): %v", stack, start, err)
	}
	return decode(tb, b)
}

// checkGlyph checks what MapLibre relies on: the bitmap is the glyph plus a
// 3-pixel border all round, and the metrics are plausible at 24 px.
func checkGlyph(t *testing.T, g glyph) {
	t.Helper()
	if g.Advance <= 0 || g.Advance > 2*Size {
		t.Errorf("U+%04X advance %d, want 1..48", g.ID, g.Advance)
	}
	if g.Width <= 0 || g.Height <= 0 || g.Width > 2*Size || g.Height > 2*Size {
		t.Errorf("U+%04X is %d×%d", g.ID, g.Width, g.Height)
	}
	if want := (g.Width + 2*Buffer) * (g.Height + 2*Buffer); len(g.Bitmap) != want {
		t.Errorf("U+%04X bitmap has %d bytes, want (%d+6)×(%d+6) = %d", g.ID, len(g.Bitmap), g.Width, g.Height, want)
	}
}

func TestASCIIRange(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fonts func(testing.TB) *Fonts
		stack string
	}{
		{"go", mustGo, "Go Regular"},
		{"dejavu", mustDejaVu, "DejaVu Sans"},
		{"dejavu bold", mustDejaVu, "DejaVu Sans Bold"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := mustGlyphs(t, tc.fonts(t), tc.stack, 0)
			if d.name != tc.stack || d.rng != "0-255" {
				t.Errorf("stack %q range %q, want %q 0-255", d.name, d.rng, tc.stack)
			}
			for r := rune(0x21); r <= 0x7E; r++ {
				g, ok := d.glyphs[r]
				if !ok {
					t.Errorf("no glyph for %q", r)
					continue
				}
				checkGlyph(t, g)
			}
			space, ok := d.glyphs[' ']
			if !ok || space.Advance <= 0 || space.Bitmap != nil || space.Width != 0 {
				t.Errorf("space = %+v, %v; want an advance and no bitmap", space, ok)
			}
			if n := len(d.glyphs); n < 95 || n > 256 {
				t.Errorf("%d glyphs in 0-255", n)
			}
			for i := 1; i < len(d.order); i++ {
				if d.order[i] <= d.order[i-1] {
					t.Fatalf("glyphs out of order: U+%04X after U+%04X", d.order[i], d.order[i-1])
				}
			}
		})
	}
}

func TestKazakhLetters(t *testing.T) {
	fs := mustDejaVu(t)
	for _, stack := range []string{"DejaVu Sans", "DejaVu Sans Bold"} {
		t.Run(stack, func(t *testing.T) {
			d := mustGlyphs(t, fs, stack, 1024)
			if d.rng != "1024-1279" {
				t.Errorf("range %q", d.rng)
			}
			// Russian А and Kazakh ә ғ қ ң ө ұ ү һ і, capitals too.
			for _, r := range "АаӘәҒғҚқҢңӨөҰұҮүҺһІі" {
				g, ok := d.glyphs[r]
				if !ok {
					t.Errorf("no glyph for %c U+%04X", r, r)
					continue
				}
				checkGlyph(t, g)
			}
			// Capitals stand on the baseline and reach the cap height, about
			// 0.73 em: their top is a few pixels under the ascender line.
			a := d.glyphs['А']
			if a.Height < 16 || a.Height > 19 || a.Top > 0 || a.Top < -8 {
				t.Errorf("А is %d px high with top %d; want about 17 px, top just under the ascender", a.Height, a.Top)
			}
			// Қ has a descender: taller than А, with the same top.
			if q := d.glyphs['Қ']; q.Height <= a.Height || q.Top != a.Top {
				t.Errorf("Қ is %d px high with top %d; А %d with %d", q.Height, q.Top, a.Height, a.Top)
			}
		})
	}
}

// TestDistanceField checks the field's scale on 'L', whose stem is solid
// and whose top right is far from any ink.
func TestDistanceField(t *testing.T) {
	d := mustGlyphs(t, mustGo(t), "Go Regular", 0)
	g := d.glyphs['L']
	checkGlyph(t, g)
	w := g.Width + 2*Buffer
	at := func(col, row int) byte { return g.Bitmap[row*w+col] }

	// The stem's middle, more than a pixel inside the outline.
	stemCol, midRow := Buffer+1, Buffer+g.Height/2
	if v := at(stemCol, midRow); v < 192+16 {
		t.Errorf("inside the stem: %d, want ≥ 208", v)
	}
	// The top right corner of the bitmap is over 6 px from the ink: 0.
	if v := at(w-1, 0); v != 0 {
		t.Errorf("top right corner: %d, want 0", v)
	}
	// The border all round is outside the ink: under the edge value.
	h := g.Height + 2*Buffer
	for row := range h {
		for _, col := range []int{0, w - 1} {
			if v := at(col, row); v >= 192 {
				t.Fatalf("border pixel (%d,%d) = %d, want < 192", col, row, v)
			}
		}
	}
	// Walking right across the stem's left edge, the field rises through
	// 192 within the first pixel or two of ink.
	prev := -1
	crossed := false
	for col := 0; col <= stemCol; col++ {
		v := int(at(col, midRow))
		if v < prev {
			t.Errorf("field falls from %d to %d walking into the stem", prev, v)
		}
		if prev < 192 && v >= 192 {
			crossed = col >= Buffer-1 && col <= Buffer+1
		}
		prev = v
	}
	if !crossed {
		t.Errorf("the edge (192) is not at the stem's left side, column %d", Buffer)
	}
}

func TestFontStack(t *testing.T) {
	fs := mustGo(t)
	regular := mustGlyphs(t, fs, "Go Regular", 0)
	bold := mustGlyphs(t, fs, "Go Bold", 0)
	if regular.glyphs['W'].Width == bold.glyphs['W'].Width && string(regular.glyphs['W'].Bitmap) == string(bold.glyphs['W'].Bitmap) {
		t.Fatal("bold and regular W are alike")
	}
	for _, tc := range []struct {
		stack, name string
		want        decoded
	}{
		{"Go Bold,Go Regular", "Go Bold,Go Regular", bold},
		{"Go Regular, Go Bold", "Go Regular,Go Bold", regular},
		{"Noto Sans Regular,Go Bold", "Go Bold", bold},
		{"Go Bold,Go Bold", "Go Bold", bold},
	} {
		d := mustGlyphs(t, fs, tc.stack, 0)
		if d.name != tc.name {
			t.Errorf("%q: stack name %q, want %q", tc.stack, d.name, tc.name)
		}
		if string(d.glyphs['W'].Bitmap) != string(tc.want.glyphs['W'].Bitmap) {
			t.Errorf("%q: W is not from %s", tc.stack, tc.want.name)
		}
	}
}

// TestFallback draws each code point from the first font that has it.
func TestFallback(t *testing.T) {
	dv := mustFontFile(t, dejaVuSans)
	fs, err := New(Font{Name: "Go Regular", Data: goregular.TTF}, Font{Name: "DejaVu Sans", Data: dv})
	if err != nil {
		t.Fatal(err)
	}
	goOnly := mustGlyphs(t, fs, "Go Regular", 1024)
	dvOnly := mustGlyphs(t, fs, "DejaVu Sans", 1024)
	both := mustGlyphs(t, fs, "Go Regular,DejaVu Sans", 1024)
	if _, ok := goOnly.glyphs['Қ']; ok {
		t.Fatal("the Go font has Қ; pick a letter it lacks")
	}
	if string(both.glyphs['А'].Bitmap) != string(goOnly.glyphs['А'].Bitmap) {
		t.Error("А is not from Go Regular, the first font")
	}
	if string(both.glyphs['Қ'].Bitmap) != string(dvOnly.glyphs['Қ'].Bitmap) {
		t.Error("Қ is not from DejaVu Sans, the font that has it")
	}
}

func TestGlyphsErrors(t *testing.T) {
	fs := mustGo(t)
	for _, tc := range []struct {
		name       string
		stack      string
		start, end int
		kind       errs.Kind
	}{
		{"unknown font", "Arial Unicode MS Regular", 0, 255, errs.NotFound},
		{"empty stack", "", 0, 255, errs.NotFound},
		{"only commas", ",,", 0, 255, errs.NotFound},
		{"start not a multiple", "Go Regular", 1, 256, errs.Invalid},
		{"end too far", "Go Regular", 0, 511, errs.Invalid},
		{"end before start", "Go Regular", 256, 0, errs.Invalid},
		{"negative", "Go Regular", -256, -1, errs.Invalid},
		{"past the BMP", "Go Regular", 65536, 65791, errs.Invalid},
		{"bad range beats unknown font", "nope", 1, 2, errs.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fs.Glyphs(context.Background(), tc.stack, tc.start, tc.end)
			if err == nil || errs.KindOf(err) != tc.kind {
				t.Fatalf("err = %v (%v), want kind %v", err, errs.KindOf(err), tc.kind)
			}
		})
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := fs.Glyphs(ctx, "Go Regular", 0, 255); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

func TestEmptyRange(t *testing.T) {
	// Private use area: no glyphs, yet a valid message.
	d := mustGlyphs(t, mustGo(t), "Go Regular", 0xE000)
	if len(d.glyphs) != 0 || d.rng != "57344-57599" || d.name != "Go Regular" {
		t.Errorf("got %d glyphs, range %q, name %q", len(d.glyphs), d.rng, d.name)
	}
	d = mustGlyphs(t, mustGo(t), "Go Regular", 65280)
	if d.rng != "65280-65535" {
		t.Errorf("last range %q", d.rng)
	}
}

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fonts []Font
	}{
		{"not a font", []Font{{Name: "X", Data: []byte("not a font")}}},
		{"no name", []Font{{Name: " ", Data: goregular.TTF}}},
		{"comma", []Font{{Name: "A,B", Data: goregular.TTF}}},
		{"twice", []Font{{Name: "A", Data: goregular.TTF}, {Name: "A", Data: gobold.TTF}}},
	} {
		if _, err := New(tc.fonts...); err == nil {
			t.Errorf("%s: New succeeded", tc.name)
		}
	}
	fs := mustGo(t)
	if got := fmt.Sprint(fs.Names()); got != "[Go Regular Go Bold]" {
		t.Errorf("Names() = %s", got)
	}
}

// TestConcurrent builds one range from many goroutines: made once, the same
// bytes for all, no race.
func TestConcurrent(t *testing.T) {
	fs := mustGo(t)
	var wg sync.WaitGroup
	out := make([][]byte, 8)
	for i := range out {
		wg.Go(func() {
			b, err := fs.Glyphs(context.Background(), "Go Regular,Go Bold", 1024, 1279)
			if err != nil {
				t.Error(err)
			}
			out[i] = b
		})
	}
	wg.Wait()
	for i := range out {
		if string(out[i]) != string(out[0]) {
			t.Fatalf("response %d differs", i)
		}
	}
	fs.mu.Lock()
	n := len(fs.ranges)
	fs.mu.Unlock()
	if n != 2 {
		t.Errorf("%d ranges made, want 2 (one per font)", n)
	}
}

func TestParseRange(t *testing.T) {
	for _, tc := range []struct {
		in         string
		start, end int
		ok         bool
	}{
		{"0-255", 0, 255, true},
		{"1024-1279", 1024, 1279, true},
		{"65280-65535", 65280, 65535, true},
		{"65536-65791", 0, 0, false},
		{"1-256", 0, 0, false},
		{"0-256", 0, 0, false},
		{"0-", 0, 0, false},
		{"-255", 0, 0, false},
		{"0--255", 0, 0, false},
		{"+0-255", 0, 0, false},
		{" 0-255", 0, 0, false},
		{"0x0-255", 0, 0, false},
		{"00000000000000000000-255", 0, 0, false},
		{"0255", 0, 0, false},
		{"", 0, 0, false},
	} {
		start, end, err := ParseRange(tc.in)
		if tc.ok != (err == nil) || start != tc.start || end != tc.end {
			t.Errorf("ParseRange(%q) = %d, %d, %v", tc.in, start, end, err)
		}
		if err != nil && errs.KindOf(err) != errs.Invalid {
			t.Errorf("ParseRange(%q): kind %v, want invalid", tc.in, errs.KindOf(err))
		}
	}
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"0-255", "1024-1279", "65280-65535", "1-2", "", "-", "99999-99999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, end, err := ParseRange(s)
		if err != nil {
			if errs.KindOf(err) != errs.Invalid {
				t.Fatalf("ParseRange(%q): kind %v", s, errs.KindOf(err))
			}
			return
		}
		if start%RangeSize != 0 || end != start+RangeSize-1 || start < 0 || end > 65535 {
			t.Fatalf("ParseRange(%q) = %d, %d", s, start, end)
		}
		if want := fmt.Sprintf("%d-%d", start, end); want != s {
			t.Fatalf("ParseRange(%q) accepted a non-canonical form of %q", s, want)
		}
	})
}

// BenchmarkBuildRange makes ranges without the cache: the cost of a
// range's first request.
func BenchmarkBuildRange(b *testing.B) {
	for _, bc := range []struct {
		name  string
		path  string
		start int
	}{
		{"latin", dejaVuSans, 0},
		{"cyrillic", dejaVuSans, 1024},
		{"cyrillic bold", dejaVuSansBold, 1024},
	} {
		b.Run(bc.name, func(b *testing.B) {
			f, err := newFace(mustFontFile(b, bc.path))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				var out [RangeSize][]byte
				if err := f.buildRange(bc.start, &out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
