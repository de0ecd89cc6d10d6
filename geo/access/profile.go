package access

import (
	"time"

	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/lang"
)

// AreaProfile is what the printable report of one oblast or district needs
// beside its indicator values (those come from the same AreaTable the API
// answers, so the two never differ): the area and where it belongs, the
// compute run and the data it saw, the standards checks of its settlements
// and a small map.
type AreaProfile struct {
	ID         int64
	Level      string
	Code       string
	Name       lang.Text
	Population int64
	// Oblast is a district's oblast (nil for an oblast); Group its
	// macroregion or agglomeration (nil when it has none).
	Oblast *AreaRef
	Group  *AreaRef
	// Peers are the codes of the districts of a district's oblast, itself
	// included (nil for an oblast: its peers are all oblasts).
	Peers []string

	RunID      int64
	ComputedAt time.Time
	Stale      bool
	// Datasets are the latest import of each dataset the run saw.
	Datasets []RunImport

	// Settlements and SettlementPopulation count the area's settlements with
	// figures in the run; SRS holds one count per standard.
	Settlements          int64
	SettlementPopulation int64
	SRS                  []SRSCount

	Map AreaMap
}

// AreaRef names an area another one belongs to.
type AreaRef struct {
	Code string
	Name lang.Text
}

// The standards of the System of Regional Standards one settlement is
// checked against (SRSResult).
const (
	SRSHealth = "health"
	SRSSchool = "school"
	SRSRoad   = "road"
)

// SRSCount is one standard over an area's settlements: those it applies to
// and that the loaded data can check (Checked, their people CheckedPop),
// and those meeting it. Checked 0 means it could not be computed.
type SRSCount struct {
	Standard           string
	Checked, Met       int64
	CheckedPop, MetPop int64
}

// AreaMap is a small map of an area in a plane projection (web Mercator
// metres, y pointing down as in SVG): the area, its neighbours and parent
// as SVG path data, its settlements as dots.
type AreaMap struct {
	// ViewBox is min x, min y, width, height.
	ViewBox [4]float64
	Area    string
	// Context are the neighbours of the same level, Parent the outline of a
	// district's oblast, each clipped to the view.
	Context []string
	Parent  string
	// Dots are the largest settlements (at most MapDots), of Total.
	Dots  []MapDot
	Total int64
	// KmPerUnit is the true length of one unit at the view's centre.
	KmPerUnit float64
}

// MapDot is one settlement on an AreaMap.
type MapDot struct {
	X, Y       float64
	Population int64
}

// MapDots bounds the settlements drawn on an AreaMap.
const MapDots = 300

// Rank is an area's position among its peers for one indicator: 1 is the
// best (the highest value when higher is better, the lowest when lower is
// better; for a neutral indicator, the highest). Equal values share a
// position. Of counts the peers with a value.
type Rank struct {
	Position int
	Of       int
}

// RankAmong ranks the area with code among the rows whose code peer
// accepts (nil: all rows), by dir; ok is false when the area has no value.
func RankAmong(rows []AreaRow, code string, dir indicator.Direction, peer func(code string) bool) (r Rank, ok bool) {
	var own *float64
	for _, row := range rows {
		if row.Code == code {
			own = row.Value
		}
	}
	if own == nil {
		return Rank{}, false
	}
	r.Position = 1
	for _, row := range rows {
		if row.Value == nil || (peer != nil && !peer(row.Code)) {
			continue
		}
		r.Of++
		better := *row.Value > *own
		if dir == indicator.LowerBetter {
			better = *row.Value < *own
		}
		if better {
			r.Position++
		}
	}
	return r, true
}
