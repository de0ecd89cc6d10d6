package glyphs

import (
	"errors"
	"fmt"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The SDF conventions MapLibre GL's shaders and layout assume (node-fontnik
// and sdf-glyph-foundry make its server glyphs the same way).
const (
	// Size is the font size glyphs are drawn at, in pixels: MapLibre's ONE_EM.
	Size = 24
	// Buffer is the border of distance values around each glyph bitmap, in
	// pixels: MapLibre's GLYPH_PBF_BORDER.
	Buffer = 3
	// radius is how many pixels of distance the 0–255 scale spans: 32
	// levels a pixel.
	radius = 8
	// cutoff is the share of the scale kept for the inside of the outline,
	// which puts the outline itself at 192, the 0.75 MapLibre's text shader
	// draws the edge at.
	cutoff = 0.25
)

const (
	edgeValue   = 256 * (1 - cutoff) // 192
	levelsPerPx = 256 / radius       // 32
)

// face is one parsed font, with the metrics every glyph of it shares.
type face struct {
	font *sfnt.Font
	// ascender is the font's ascent at Size, rounded up to whole pixels as
	// FreeType's size metrics are: glyph tops are given from there, as
	// node-fontnik gives them and MapLibre's SHAPING_DEFAULT_OFFSET expects.
	ascender int
}

func newFace(data []byte) (*face, error) {
	f, err := sfnt.Parse(data)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	m, err := f.Metrics(&buf, fixed.I(Size), font.HintingFull) // full hinting rounds the ascent up
	if err != nil {
		return nil, err
	}
	return &face{font: f, ascender: m.Ascent.Ceil()}, nil
}

// glyph is one glyph as MapLibre reads it: metrics in whole pixels at Size,
// and a (Width+2·Buffer)×(Height+2·Buffer) distance field, rows top down.
type glyph struct {
	ID            rune
	Width, Height int
	Left, Top     int // Top is from the ascender line, so usually negative or small
	Advance       int
	Bitmap        []byte // nil for a glyph with nothing to draw, such as a space
}

// buildRange makes the glyphs the font has from start to start+255 and
// stores them encoded in out, by code point - start. A glyph whose outline
// the font cannot give is left out, as a missing glyph is: MapLibre then
// draws nothing for it.
func (f *face) buildRange(start int, out *[RangeSize][]byte) error {
	var buf sfnt.Buffer
	var o outline
	for i := range RangeSize {
		r := rune(start + i)
		x, err := f.font.GlyphIndex(&buf, r)
		if err != nil {
			return fmt.Errorf("glyph index of U+%04X: %w", r, err)
		}
		if x == 0 {
			continue
		}
		g, err := f.glyph(&buf, &o, r, x)
		if err != nil {
			continue
		}
		out[i] = g.encode()
	}
	return nil
}

// glyph draws the distance field of glyph x, which stands for r.
func (f *face) glyph(buf *sfnt.Buffer, o *outline, r rune, x sfnt.GlyphIndex) (glyph, error) {
	adv, err := f.font.GlyphAdvance(buf, x, fixed.I(Size), font.HintingNone)
	if err != nil {
		return glyph{}, err
	}
	g := glyph{ID: r, Advance: int(math.Round(float64(adv) / 64))}
	if g.Advance < 0 {
		g.Advance = 0
	}
	segs, err := f.font.LoadGlyph(buf, x, fixed.I(Size), nil)
	if err != nil && !errors.Is(err, sfnt.ErrColoredGlyph) {
		return glyph{}, err
	}
	o.reset()
	o.add(segs)
	if len(o.lines) == 0 {
		return g, nil // nothing to draw
	}

	// Whole-pixel bounds, so that the bitmap's pixels line up with the
	// metrics MapLibre positions it by.
	minX, maxX := math.Round(o.minX), math.Round(o.maxX)
	minY, maxY := math.Round(o.minY), math.Round(o.maxY)
	if maxX-minX <= 0 || maxY-minY <= 0 {
		return g, nil
	}
	g.Left, g.Width = int(minX), int(maxX-minX)
	g.Height = int(maxY - minY)
	g.Top = int(maxY) - f.ascender
	g.Bitmap = o.distanceField(minX-Buffer, maxY+Buffer, g.Width+2*Buffer, g.Height+2*Buffer)
	return g, nil
}

// line is one straight piece of a flattened outline, in pixels, y up.
type line struct{ x0, y0, x1, y1 float64 }

// outline is a glyph's contours flattened into lines. It is reused from
// glyph to glyph, to spare allocations.
type outline struct {
	lines                  []line
	minX, minY, maxX, maxY float64

	start, pen [2]float64 // the current contour's first point and the pen
	open       bool

	crossings []crossing
	near      []line // the lines close enough to the current row to matter
}

// crossing is where a line crosses a row of pixel centres, and whether it
// goes up (+1) or down (-1) there: the nonzero winding rule TrueType fills
// by counts them.
type crossing struct {
	x   float64
	dir int
}

func (o *outline) reset() {
	o.lines = o.lines[:0]
	o.minX, o.minY = math.Inf(1), math.Inf(1)
	o.maxX, o.maxY = math.Inf(-1), math.Inf(-1)
	o.open = false
}

// add flattens sfnt's segments, whose y axis points down, into lines with
// the y axis up, closing each contour.
func (o *outline) add(segs sfnt.Segments) {
	pt := func(p fixed.Point26_6) [2]float64 {
		return [2]float64{float64(p.X) / 64, -float64(p.Y) / 64}
	}
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			o.close()
			o.start, o.pen, o.open = pt(s.Args[0]), pt(s.Args[0]), true
			o.extend(o.pen)
		case sfnt.SegmentOpLineTo:
			o.lineTo(pt(s.Args[0]))
		case sfnt.SegmentOpQuadTo:
			p0, p1, p2 := o.pen, pt(s.Args[0]), pt(s.Args[1])
			n := pieces(math.Hypot(p0[0]-2*p1[0]+p2[0], p0[1]-2*p1[1]+p2[1]) / 4)
			for i := 1; i <= n; i++ {
				t := float64(i) / float64(n)
				u := 1 - t
				o.lineTo([2]float64{
					u*u*p0[0] + 2*u*t*p1[0] + t*t*p2[0],
					u*u*p0[1] + 2*u*t*p1[1] + t*t*p2[1],
				})
			}
		case sfnt.SegmentOpCubeTo:
			p0, p1, p2, p3 := o.pen, pt(s.Args[0]), pt(s.Args[1]), pt(s.Args[2])
			d := math.Max(
				math.Hypot(p0[0]-2*p1[0]+p2[0], p0[1]-2*p1[1]+p2[1]),
				math.Hypot(p1[0]-2*p2[0]+p3[0], p1[1]-2*p2[1]+p3[1]))
			n := pieces(d * 3 / 4)
			for i := 1; i <= n; i++ {
				t := float64(i) / float64(n)
				u := 1 - t
				o.lineTo([2]float64{
					u*u*u*p0[0] + 3*u*u*t*p1[0] + 3*u*t*t*p2[0] + t*t*t*p3[0],
					u*u*u*p0[1] + 3*u*u*t*p1[1] + 3*u*t*t*p2[1] + t*t*t*p3[1],
				})
			}
		}
	}
	o.close()
}

// pieces is how many lines a curve whose control polygon strays dev pixels
// from its chord is cut into, so that no line is more than about 1/32 px
// off the curve.
func pieces(dev float64) int {
	n := int(math.Ceil(math.Sqrt(dev * 32)))
	return max(1, min(n, 64))
}

func (o *outline) lineTo(p [2]float64) {
	if !o.open {
		o.start, o.pen, o.open = p, p, true
	}
	if p != o.pen {
		o.lines = append(o.lines, line{o.pen[0], o.pen[1], p[0], p[1]})
	}
	o.pen = p
	o.extend(p)
}

func (o *outline) close() {
	if o.open && o.pen != o.start {
		o.lines = append(o.lines, line{o.pen[0], o.pen[1], o.start[0], o.start[1]})
	}
	o.open = false
}

func (o *outline) extend(p [2]float64) {
	o.minX, o.maxX = min(o.minX, p[0]), max(o.maxX, p[0])
	o.minY, o.maxY = min(o.minY, p[1]), max(o.maxY, p[1])
}

// distanceField samples the signed distance to the outline at the centres
// of a w×h grid of pixels whose top-left corner is at (left, top), rows top
// down: 192 on the outline, 32 levels a pixel, more inside and less outside,
// clamped to 0–255.
func (o *outline) distanceField(left, top float64, w, h int) []byte {
	out := make([]byte, w*h)
	for row := range h {
		y := top - float64(row) - 0.5
		o.rowCrossings(y)
		o.nearRow(y)
		for col := range w {
			x := left + float64(col) + 0.5
			d := math.Sqrt(o.squaredDistance(x, y))
			if o.inside(x) {
				d = -d
			}
			v := math.Round(edgeValue - d*levelsPerPx)
			out[row*w+col] = byte(max(0, min(255, v)))
		}
	}
	return out
}

// rowCrossings finds where the outline crosses the horizontal line at y.
func (o *outline) rowCrossings(y float64) {
	o.crossings = o.crossings[:0]
	for _, l := range o.lines {
		dir := 0
		switch {
		case l.y0 <= y && l.y1 > y:
			dir = 1
		case l.y1 <= y && l.y0 > y:
			dir = -1
		default:
			continue
		}
		x := l.x0 + (y-l.y0)*(l.x1-l.x0)/(l.y1-l.y0)
		o.crossings = append(o.crossings, crossing{x, dir})
	}
}

// nearRow keeps the lines that pass within the capped distance of the row
// at y, for squaredDistance to look at.
func (o *outline) nearRow(y float64) {
	o.near = o.near[:0]
	for _, l := range o.lines {
		if min(l.y0, l.y1)-y < farDistance && y-max(l.y0, l.y1) < farDistance {
			o.near = append(o.near, l)
		}
	}
}

// inside applies the nonzero winding rule to a ray from x rightwards along
// the row of the last rowCrossings.
func (o *outline) inside(x float64) bool {
	w := 0
	for _, c := range o.crossings {
		if c.x > x {
			w += c.dir
		}
	}
	return w != 0
}

// farDistance is a little beyond the distances the 0–255 scale can show.
const farDistance = radius + 1

// squaredDistance is the squared distance from (x, y) to the nearest line
// near the row, capped at farDistance².
func (o *outline) squaredDistance(x, y float64) float64 {
	best := float64(farDistance * farDistance)
	for _, l := range o.near {
		dx, dy := l.x1-l.x0, l.y1-l.y0
		px, py := x-l.x0, y-l.y0
		t := 0.0
		if ll := dx*dx + dy*dy; ll > 0 {
			t = max(0, min(1, (px*dx+py*dy)/ll))
		}
		ex, ey := px-t*dx, py-t*dy
		best = min(best, ex*ex+ey*ey)
	}
	return best
}
