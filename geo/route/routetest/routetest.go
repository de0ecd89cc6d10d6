// Package routetest builds SYNTHETIC road networks — invented, not real roads —
// for tests and benchmarks of package route and its users.
package routetest

import (
	"math"
	"math/rand/v2"

	"github.com/aimaq/aimaq/geo/route"
	"github.com/paulmach/orb"
)

// class is a highway class of the SYNTHETIC network.
type class struct {
	name            string
	weight          float64 // share of ordinary grid roads
	pavedP, onewayP float64
}

// classes are most important first: the long roads between settlements take
// the first three.
var classes = []class{
	{"trunk", 0, 1, 0},
	{"primary", 0.02, 0.98, 0},
	{"secondary", 0.06, 0.95, 0},
	{"tertiary", 0.14, 0.85, 0},
	{"unclassified", 0.26, 0.45, 0},
	{"residential", 0.27, 0.5, 0.04},
	{"track", 0.20, 0.03, 0},
	{"service", 0.05, 0.5, 0.1},
}

// residential is the index in classes of the settlements' spurs.
const residential = 5

// Bounding box: Kazakhstan's extent.
const (
	lon0, lon1 = 46.5, 87.3
	lat0, lat1 = 40.5, 55.5
)

// Edge codes of the grid: 0 for no road, else the class index+1 in the low bits,
// then flags.
const (
	codeClass  = 0x0f
	codePaved  = 0x10
	codeOneway = 0x20
)

// nodeShare is the expected number of graph nodes per grid vertex with keepP: a
// vertex is no node when it has no road or only a straight road passing through.
const (
	keepP     = 0.57
	nodeShare = 0.87
)

// SyntheticCountry returns a SYNTHETIC road network — invented, not real roads —
// for benchmarks and tests at country scale: a randomly perturbed grid over
// Kazakhstan's bounding box (46.5–87.3 E, 40.5–55.5 N) with about 57% of its edges
// kept, mixed classes and surfaces and a few one-way streets, plus long paved roads
// joining every settlement to the nearest earlier one in the list (trunk roads among
// the first 50, so pass the largest places first), each ending in a short spur at the
// settlement's own point. Roads share vertices only where they meet on the grid,
// like OSM ways. With targetNodes 1,000,000 the graph has about a million nodes and
// 2.5 million directed edges. The same seed gives the same roads.
func SyntheticCountry(seed int64, settlements []orb.Point, targetNodes int) []route.Road {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	g := newGrid(rng, targetNodes)
	g.drawRoads(rng)
	var roads []route.Road
	for _, s := range settlements {
		roads = appendRoad(roads, orb.LineString{s, g.vertex(g.cell(s))}, uint8(residential+1)|codePaved)
	}
	g.joinSettlements(settlements)
	return g.appendRoads(roads, rng)
}

// RandomPoints returns n SYNTHETIC points uniformly spread over Kazakhstan's
// bounding box, for benchmarks and tests.
func RandomPoints(seed int64, n int) []orb.Point {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9071))
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{
			lon0 + rng.Float64()*(lon1-lon0),
			lat0 + rng.Float64()*(lat1-lat0),
		}
	}
	return pts
}

// grid is the randomly perturbed lattice the network is drawn on, nx by ny
// vertices dx and dy degrees apart. Its edges hold codes: h[j*(nx-1)+i] joins
// vertex (i,j) to (i+1,j), v[j*nx+i] joins (i,j) to (i,j+1).
type grid struct {
	nx, ny int
	dx, dy float64
	pos    []orb.Point
	h, v   []uint8
}

// newGrid places the vertices of a grid with about targetNodes graph nodes, each
// moved by up to 0.3 of a cell in each direction.
func newGrid(rng *rand.Rand, targetNodes int) *grid {
	verts := max(4, int(float64(targetNodes)/nodeShare))
	aspect := (lon1 - lon0) * math.Cos(48*math.Pi/180) / (lat1 - lat0)
	nx := max(2, int(math.Round(math.Sqrt(float64(verts)*aspect))))
	ny := max(2, verts/nx)
	g := &grid{
		nx: nx, ny: ny,
		dx:  (lon1 - lon0) / float64(nx-1),
		dy:  (lat1 - lat0) / float64(ny-1),
		pos: make([]orb.Point, nx*ny),
		h:   make([]uint8, ny*(nx-1)),
		v:   make([]uint8, (ny-1)*nx),
	}
	for j := range ny {
		for i := range nx {
			g.pos[j*nx+i] = orb.Point{
				lon0 + (float64(i)+0.3*(2*rng.Float64()-1))*g.dx,
				lat0 + (float64(j)+0.3*(2*rng.Float64()-1))*g.dy,
			}
		}
	}
	return g
}

func (g *grid) vertex(i, j int) orb.Point { return g.pos[j*g.nx+i] }

// drawRoads keeps about keepP of the edges, every row and then every column
// with classes that run on for several edges, as a real road's does.
func (g *grid) drawRoads(rng *rand.Rand) {
	drawLines(rng, g.ny, g.nx-1, func(j, i int) *uint8 { return &g.h[j*(g.nx-1)+i] })
	drawLines(rng, g.nx, g.ny-1, func(i, j int) *uint8 { return &g.v[j*g.nx+i] })
}

// drawLines draws n lines of m edges; edge(l, k) is the k-th edge of line l.
func drawLines(rng *rand.Rand, n, m int, edge func(l, k int) *uint8) {
	for l := range n {
		code := drawCode(rng)
		for k := range m {
			if rng.Float64() < 1.0/8 {
				code = drawCode(rng)
			}
			if rng.Float64() < keepP {
				*edge(l, k) = code
			}
		}
	}
}

// drawCode draws a class by weight, then its surface and direction.
func drawCode(rng *rand.Rand) uint8 {
	x := rng.Float64()
	for c, sc := range classes {
		if x -= sc.weight; x < 0 || c == len(classes)-1 {
			code := uint8(c + 1)
			if rng.Float64() < sc.pavedP {
				code |= codePaved
			}
			if rng.Float64() < sc.onewayP {
				code |= codeOneway
			}
			return code
		}
	}
	return 0
}

// cell is the grid vertex nearest p.
func (g *grid) cell(p orb.Point) (i, j int) {
	i = int(math.Round((p[0] - lon0) / g.dx))
	j = int(math.Round((p[1] - lat0) / g.dy))
	return min(max(i, 0), g.nx-1), min(max(j, 0), g.ny-1)
}

// joinSettlements builds the long roads: from every settlement to the nearest
// earlier one, trunk roads among the first 50, then primary to the 500th, then
// secondary.
func (g *grid) joinSettlements(settlements []orb.Point) {
	for k := 1; k < len(settlements); k++ {
		c := 2 // secondary
		switch {
		case k < 50:
			c = 0
		case k < 500:
			c = 1
		}
		si, sj := g.cell(settlements[k])
		ti, tj := g.cell(settlements[nearestEarlier(settlements, k)])
		g.staircase(si, sj, ti, tj, c)
	}
}

// nearestEarlier is the index of the settlement before k nearest to it.
func nearestEarlier(settlements []orb.Point, k int) int {
	kx := math.Cos(48 * math.Pi / 180)
	s := settlements[k]
	m, best := 0, math.Inf(1)
	for q := range k {
		ddx, ddy := (settlements[q][0]-s[0])*kx, settlements[q][1]-s[1]
		if d := ddx*ddx + ddy*ddy; d < best {
			m, best = q, d
		}
	}
	return m
}

// staircase upgrades to class c, paved, the grid edges on a staircase from
// vertex (si,sj) to (ti,tj) that keeps close to the straight line.
func (g *grid) staircase(si, sj, ti, tj, c int) {
	ni, nj := abs(ti-si), abs(tj-sj)
	stepI, stepJ := sign(ti-si), sign(tj-sj)
	i, j := si, sj
	for di, dj := 0, 0; di < ni || dj < nj; {
		// Move along the axis that lags its share of the straight line.
		if dj >= nj || (di < ni && float64(2*di+1)*float64(nj) <= float64(2*dj+1)*float64(ni)) {
			upgrade(&g.h[j*(g.nx-1)+min(i, i+stepI)], c)
			i += stepI
			di++
		} else {
			upgrade(&g.v[min(j, j+stepJ)*g.nx+i], c)
			j += stepJ
			dj++
		}
	}
}

// upgrade makes edge e a paved road of class c unless it is a more important one.
func upgrade(e *uint8, c int) {
	if *e == 0 || int(*e&codeClass)-1 > c {
		*e = uint8(c+1) | codePaved
	}
}

// appendRoads appends one road per run of equal edges, every row and then every
// column.
func (g *grid) appendRoads(roads []route.Road, rng *rand.Rand) []route.Road {
	for j := range g.ny {
		roads = appendRuns(roads, rng, g.nx-1,
			func(i int) orb.Point { return g.vertex(i, j) },
			func(i int) uint8 { return g.h[j*(g.nx-1)+i] }, 0, g.dy)
	}
	for i := range g.nx {
		roads = appendRuns(roads, rng, g.ny-1,
			func(j int) orb.Point { return g.vertex(i, j) },
			func(j int) uint8 { return g.v[j*g.nx+i] }, g.dx, 0)
	}
	return roads
}

// appendRuns appends one road per run of equal edges along a line of m edges:
// edge k, of code edge(k), joins vertex(k) to vertex(k+1). An edge sometimes has
// a bend, a shape vertex that belongs to that road only, moved across the line
// by up to 0.15 of (px, py).
func appendRuns(roads []route.Road, rng *rand.Rand, m int, vertex func(k int) orb.Point, edge func(k int) uint8, px, py float64) []route.Road {
	for k := 0; k < m; {
		c := edge(k)
		if c == 0 {
			k++
			continue
		}
		line := orb.LineString{vertex(k)}
		for ; k < m && edge(k) == c; k++ {
			a, b := vertex(k), vertex(k+1)
			if rng.Float64() < 0.25 {
				s := 0.15 * (2*rng.Float64() - 1)
				line = append(line, orb.Point{(a[0]+b[0])/2 + s*px, (a[1]+b[1])/2 + s*py})
			}
			line = append(line, b)
		}
		roads = appendRoad(roads, line, c)
	}
	return roads
}

// appendRoad appends the road of code along line, numbered from 1.
func appendRoad(roads []route.Road, line orb.LineString, code uint8) []route.Road {
	return append(roads, route.Road{
		ID:     int64(len(roads) + 1),
		Line:   line,
		Class:  classes[code&codeClass-1].name,
		Paved:  code&codePaved != 0,
		Oneway: code&codeOneway != 0,
	})
}

func abs(x int) int { return max(x, -x) }

func sign(x int) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
