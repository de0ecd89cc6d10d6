package route

import (
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
)

// synthClass is a highway class of the SYNTHETIC network, most important first.
type synthClass struct {
	name            string
	weight          float64 // share of ordinary grid roads
	pavedP, onewayP float64
}

var synthClasses = []synthClass{
	{"trunk", 0, 1, 0},
	{"primary", 0.02, 0.98, 0},
	{"secondary", 0.06, 0.95, 0},
	{"tertiary", 0.14, 0.85, 0},
	{"unclassified", 0.26, 0.45, 0},
	{"residential", 0.27, 0.5, 0.04},
	{"track", 0.20, 0.03, 0},
	{"service", 0.05, 0.5, 0.1},
}

// Synthetic bounding box: Kazakhstan's extent.
const (
	synthLon0, synthLon1 = 46.5, 87.3
	synthLat0, synthLat1 = 40.5, 55.5
)

// Edge codes of the synthetic grid: class index+1 in the low bits, then flags.
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
func SyntheticCountry(seed int64, settlements []orb.Point, targetNodes int) []Road {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	verts := max(4, int(float64(targetNodes)/nodeShare))
	aspect := (synthLon1 - synthLon0) * math.Cos(48*math.Pi/180) / (synthLat1 - synthLat0)
	nx := max(2, int(math.Round(math.Sqrt(float64(verts)*aspect))))
	ny := max(2, verts/nx)
	dx := (synthLon1 - synthLon0) / float64(nx-1)
	dy := (synthLat1 - synthLat0) / float64(ny-1)
	pos := make([]orb.Point, nx*ny)
	for j := range ny {
		for i := range nx {
			pos[j*nx+i] = orb.Point{
				synthLon0 + (float64(i)+0.3*(2*rng.Float64()-1))*dx,
				synthLat0 + (float64(j)+0.3*(2*rng.Float64()-1))*dy,
			}
		}
	}
	draw := func() uint8 {
		x := rng.Float64()
		for c, sc := range synthClasses {
			if x -= sc.weight; x < 0 || c == len(synthClasses)-1 {
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
	// h[j*(nx-1)+i] joins (i,j)–(i+1,j); v[j*nx+i] joins (i,j)–(i,j+1). A class runs
	// on for several edges, as a real road does.
	h := make([]uint8, ny*(nx-1))
	v := make([]uint8, (ny-1)*nx)
	for j := range ny {
		code := draw()
		for i := range nx - 1 {
			if rng.Float64() < 1.0/8 {
				code = draw()
			}
			if rng.Float64() < keepP {
				h[j*(nx-1)+i] = code
			}
		}
	}
	for i := range nx {
		code := draw()
		for j := range ny - 1 {
			if rng.Float64() < 1.0/8 {
				code = draw()
			}
			if rng.Float64() < keepP {
				v[j*nx+i] = code
			}
		}
	}

	var roads []Road
	add := func(line orb.LineString, code uint8) {
		roads = append(roads, Road{
			ID:     int64(len(roads) + 1),
			Line:   line,
			Class:  synthClasses[code&codeClass-1].name,
			Paved:  code&codePaved != 0,
			Oneway: code&codeOneway != 0,
		})
	}

	// Long roads: upgrade the grid edges on a staircase between settlements.
	cell := func(p orb.Point) (int, int) {
		i := int(math.Round((p[0] - synthLon0) / dx))
		j := int(math.Round((p[1] - synthLat0) / dy))
		return min(max(i, 0), nx-1), min(max(j, 0), ny-1)
	}
	upgrade := func(e *uint8, class int) {
		if *e == 0 || int(*e&codeClass)-1 > class {
			*e = uint8(class+1) | codePaved
		}
	}
	kx := math.Cos(48 * math.Pi / 180)
	for k, s := range settlements {
		si, sj := cell(s)
		add(orb.LineString{s, pos[sj*nx+si]}, uint8(6)|codePaved) // residential spur
		if k == 0 {
			continue
		}
		m, best := 0, math.Inf(1)
		for q := range k {
			ddx, ddy := (settlements[q][0]-s[0])*kx, settlements[q][1]-s[1]
			if d := ddx*ddx + ddy*ddy; d < best {
				m, best = q, d
			}
		}
		class := 2 // secondary
		switch {
		case k < 50:
			class = 0
		case k < 500:
			class = 1
		}
		ti, tj := cell(settlements[m])
		ni, nj := abs(ti-si), abs(tj-sj)
		stepI, stepJ := sign(ti-si), sign(tj-sj)
		i, j := si, sj
		for di, dj := 0, 0; di < ni || dj < nj; {
			// Move along the axis that lags its share of the straight line.
			if dj >= nj || (di < ni && float64(2*di+1)*float64(nj) <= float64(2*dj+1)*float64(ni)) {
				upgrade(&h[j*(nx-1)+min(i, i+stepI)], class)
				i += stepI
				di++
			} else {
				upgrade(&v[min(j, j+stepJ)*nx+i], class)
				j += stepJ
				dj++
			}
		}
	}

	// Emit one road per run of equal edges, sometimes with a bend in an edge: a shape
	// vertex that belongs to that road only.
	bend := func(line orb.LineString, a, b orb.Point, px, py float64) orb.LineString {
		if rng.Float64() < 0.25 {
			s := 0.15 * (2*rng.Float64() - 1)
			line = append(line, orb.Point{(a[0]+b[0])/2 + s*px, (a[1]+b[1])/2 + s*py})
		}
		return append(line, b)
	}
	for j := range ny {
		row := h[j*(nx-1) : (j+1)*(nx-1)]
		for i := 0; i < nx-1; {
			c := row[i]
			if c == 0 {
				i++
				continue
			}
			line := orb.LineString{pos[j*nx+i]}
			for ; i < nx-1 && row[i] == c; i++ {
				line = bend(line, pos[j*nx+i], pos[j*nx+i+1], 0, dy)
			}
			add(line, c)
		}
	}
	for i := range nx {
		for j := 0; j < ny-1; {
			c := v[j*nx+i]
			if c == 0 {
				j++
				continue
			}
			line := orb.LineString{pos[j*nx+i]}
			for ; j < ny-1 && v[j*nx+i] == c; j++ {
				line = bend(line, pos[j*nx+i], pos[(j+1)*nx+i], dx, 0)
			}
			add(line, c)
		}
	}
	return roads
}

// RandomPoints returns n SYNTHETIC points uniformly spread over Kazakhstan's
// bounding box, for benchmarks and tests.
func RandomPoints(seed int64, n int) []orb.Point {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9071))
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{
			synthLon0 + rng.Float64()*(synthLon1-synthLon0),
			synthLat0 + rng.Float64()*(synthLat1-synthLat0),
		}
	}
	return pts
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
