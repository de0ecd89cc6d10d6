package cut

import "github.com/paulmach/orb"

// MVT geometry commands (specification 4.3).
const (
	cmdMoveTo    = 1
	cmdLineTo    = 2
	cmdClosePath = 7
)

// geomWriter writes one feature's geometry as MVT commands, reusing its
// buffers from feature to feature.
type geomWriter struct {
	cmds   []uint32
	pts    [][2]int32 // the ring being snapped
	cx, cy int32      // the cursor, carried between rings of a feature
}

// take returns the feature's commands and starts the next feature.
func (w *geomWriter) take() []uint32 {
	out := append([]uint32(nil), w.cmds...)
	w.cmds, w.cx, w.cy = w.cmds[:0], 0, 0
	return out
}

func zigzag(v int32) uint32 { return uint32((v << 1) ^ (v >> 31)) }

func (w *geomWriter) point(x, y int32) {
	w.cmds = append(w.cmds, 1<<3|cmdMoveTo, zigzag(x-w.cx), zigzag(y-w.cy))
	w.cx, w.cy = x, y
}

// mark is a place in the commands to go back to (undo).
type mark struct {
	n      int
	cx, cy int32
}

func (w *geomWriter) mark() mark { return mark{len(w.cmds), w.cx, w.cy} }

// undo drops what was written since m.
func (w *geomWriter) undo(m mark) { w.cmds, w.cx, w.cy = w.cmds[:m.n], m.cx, m.cy }

// ring snaps r to the grid, drops repeated points, and writes it oriented as
// an exterior (positive area in tile coordinates) or a hole (negative),
// returning its area in grid units²; 0, writing nothing, when fewer than
// three points or no area are left.
func (w *geomWriter) ring(f frame, r orb.Ring, exterior bool) float64 {
	pts := w.pts[:0]
	for _, p := range r {
		x, y := f.grid(p)
		if n := len(pts); n > 0 && pts[n-1] == [2]int32{x, y} {
			continue
		}
		pts = append(pts, [2]int32{x, y})
	}
	for len(pts) > 1 && pts[len(pts)-1] == pts[0] {
		pts = pts[:len(pts)-1]
	}
	w.pts = pts
	if len(pts) < 3 {
		return 0
	}
	var a int64 // twice the signed area
	for i := range pts {
		j := (i + 1) % len(pts)
		a += int64(pts[i][0])*int64(pts[j][1]) - int64(pts[j][0])*int64(pts[i][1])
	}
	if a == 0 {
		return 0
	}
	if (a > 0) != exterior {
		for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
			pts[i], pts[j] = pts[j], pts[i]
		}
	}
	w.cmds = append(w.cmds, 1<<3|cmdMoveTo, zigzag(pts[0][0]-w.cx), zigzag(pts[0][1]-w.cy))
	w.cmds = append(w.cmds, uint32(len(pts)-1)<<3|cmdLineTo)
	for i := 1; i < len(pts); i++ {
		w.cmds = append(w.cmds, zigzag(pts[i][0]-pts[i-1][0]), zigzag(pts[i][1]-pts[i-1][1]))
	}
	w.cmds = append(w.cmds, 1<<3|cmdClosePath)
	w.cx, w.cy = pts[len(pts)-1][0], pts[len(pts)-1][1]
	if a < 0 {
		a = -a
	}
	return float64(a) / 2
}
