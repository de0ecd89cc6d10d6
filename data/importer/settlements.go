package importer

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/aimaq/aimaq/geo"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
)

// The oblasts of the staged places serve the OSM import too.
var (
	sqlSettlementsStage         = mustSQL("settlements_stage.sql")
	sqlSettlementsStageOblasts  = mustSQL("settlements_stage_oblasts.sql")
	sqlSettlementsClip          = mustSQL("settlements_clip.sql")
	sqlSettlementsFillEstimates = mustSQL("settlements_fill_estimates.sql")
	sqlSettlementsUpsert        = mustSQL("settlements_upsert.sql")
	sqlSettlementsDeleteGone    = mustSQL("settlements_delete_gone.sql")
	sqlSettlementsDuplicate     = mustSQL("settlements_duplicate.sql")
)

// Settlements imports OpenStreetMap populated places (GeoJSON points with
// osm_id, osm_type, place, name, name:kk/ru/en, population), replacing the
// previously imported OSM places. Places outside the country are left out;
// each place gets its district and oblast by point in polygon; a missing
// population is estimated with geo.PopulationEstimator and marked as such.
//
// The file is streamed (see featureStream): each place goes to the staging
// table by COPY as it is read, so memory does not grow with the file. A bad
// feature anywhere fails the whole import, naming it, and nothing changes.
func (im *Importer) Settlements(ctx context.Context, file string) (*Report, error) {
	start := time.Now()
	fs, err := streamFeatures(file)
	if err != nil {
		return nil, err
	}
	defer fs.Close()
	var mem memPeak
	mem.sample()
	return im.inTx(ctx, "settlements", file, nil, func(tx pgx.Tx, runID int64, rep *Report) error {
		var haveCountry bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM area WHERE level = 'country')`).Scan(&haveCountry); err != nil {
			return err
		}
		if !haveCountry {
			return invalid(file, "no country boundary to clip to: import boundaries --level country first")
		}
		if _, err := tx.Exec(ctx, sqlSettlementsStage); err != nil {
			return err
		}
		var warn warnings
		row := make([]any, 9)
		src := &featureRows{fs: fs, mem: &mem, rows: func(f feature) ([][]any, error) {
			if err := settlementRow(file, f, row, &warn); err != nil {
				return nil, err
			}
			if f.index%2000 == 1999 {
				im.logf("\rsettlements: %d read (%s)", f.index+1, rate(f.index+1, start))
			}
			return [][]any{row}, nil
		}}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_settlement"}, []string{"idx", "source_id", "name", "name_kk", "name_ru", "name_en", "place", "population", "g"}, src)
		if src.err != nil {
			return src.err
		}
		if err != nil {
			return err
		}
		mem.sample()
		if src.n == 0 {
			return invalid(file, "no features")
		}
		if err := recordSHA256(ctx, tx, runID, fs); err != nil {
			return err
		}
		// Two features of one place would make the upsert fail; the first
		// repeat in the file is named, with the feature it repeats.
		var idx, prev int
		var id string
		switch err := tx.QueryRow(ctx, sqlSettlementsDuplicate).Scan(&idx, &prev, &id); {
		case err == nil:
			return invalid(file, "feature %d: %s already given as feature %d", idx, id, prev)
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		rep.Warnings = warn.list()
		// Clip to the country; remember the oblast each place falls in for the estimate.
		tag, err := tx.Exec(ctx, sqlSettlementsClip)
		if err != nil {
			return err
		}
		rep.Clipped = int(tag.RowsAffected())
		if _, err := tx.Exec(ctx, sqlSettlementsStageOblasts); err != nil {
			return err
		}
		if err := im.estimatePopulation(ctx, tx, rep); err != nil {
			return err
		}
		tag, err = tx.Exec(ctx, sqlSettlementsUpsert, runID)
		if err != nil {
			return err
		}
		rep.Rows = int(tag.RowsAffected())
		// The anti-join below looks up every earlier place in the staged
		// ones. The settlements just upserted are not in the table's
		// statistics, so the planner may well choose a nested loop: with an
		// index that stays a lookup, not a scan of the staged places per
		// settlement (minutes for tens of thousands). Built after the upsert,
		// so that the order the places are inserted in (their ids) is as before.
		if _, err := tx.Exec(ctx, `CREATE INDEX ON stage_settlement (source_id)`); err != nil {
			return err
		}
		// Replace what earlier imports of this dataset brought; places that an
		// OSM extract import last touched (aimaq import osm) stay.
		if _, err := tx.Exec(ctx, sqlSettlementsDeleteGone); err != nil {
			return err
		}
		mem.sample()
		rep.Memory = &Memory{HeapInuseMiB: mib(mem.heapInuse), SysMiB: mib(mem.sys), LiveMiB: mib(mem.live)}
		im.logf("\rsettlements: %d imported (%s), %d outside the country left out, %d populations estimated\n", rep.Rows, rate(rep.Rows, start), rep.Clipped, rep.Estimated)
		return nil
	})
}

// settlementRow checks one place and fills row with its staged columns:
// idx, source_id, name, name_kk, name_ru, name_en, place, population, WKB.
// A population that cannot be a fact is left out with a warning, to be estimated.
func settlementRow(file string, f feature, row []any, warn *warnings) error {
	pt, ok := f.geom.(orb.Point)
	if !ok {
		return invalid(file, "feature %d: geometry type %s: want Point", f.index, f.geom.GeoJSONType())
	}
	if pt[0] < -180 || pt[0] > 180 || pt[1] < -90 || pt[1] > 90 {
		return invalid(file, "feature %d: coordinates %v out of range", f.index, pt)
	}
	id := str(f.props, "osm_id")
	if id == "" {
		return invalid(file, "feature %d: missing osm_id", f.index)
	}
	typ := strings.TrimSuffix(str(f.props, "osm_type"), "s") // "nodes" → "node"
	if typ == "" {
		typ = "node"
	}
	sourceID := typ + "/" + id
	place := str(f.props, "place")
	if place == "" {
		return invalid(file, "feature %d (%s): missing place", f.index, sourceID)
	}
	var pop any
	if raw := str(f.props, "population"); raw != "" {
		p, err := readPopulation(raw)
		if err != nil {
			warn.add("population", "feature %d (%s): population %q %v; estimated instead", f.index, sourceID, raw, err)
		} else {
			pop = p
		}
	}
	g, err := toWKB(pt)
	if err != nil {
		return invalid(file, "feature %d: geometry: %v", f.index, err)
	}
	row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8] = f.index, sourceID,
		nullable(str(f.props, "name")), nullable(str(f.props, "name:kk")), nullable(str(f.props, "name:ru")), nullable(str(f.props, "name:en")),
		place, pop, g
	return nil
}

// estimatePopulation fills in the staged places that have no population. An
// estimate depends only on a place's kind and oblast, so what is kept of the
// places to fill is their idx and the index of that pair: 8 bytes a place,
// for files of millions of them.
func (im *Importer) estimatePopulation(ctx context.Context, tx pgx.Tx, rep *Report) error {
	rows, err := tx.Query(ctx, `SELECT idx, place, coalesce(oblast, ''), coalesce(population, 0) FROM stage_settlement`)
	if err != nil {
		return err
	}
	var known []geo.Place            // places with a population: the estimator's sample
	var groups []geo.Place           // the distinct kinds and oblasts of the places to fill
	groupOf := map[[2]string]int32{} // kind and oblast → index in groups
	var fillIdx, fillGroup []int32   // the places to fill and their groups, in scan order
	intern := map[string]string{}    // the few distinct kinds and oblasts, stored once
	for rows.Next() {
		var i int32
		var place, region string
		var pop int
		if err := rows.Scan(&i, &place, &region, &pop); err != nil {
			return err
		}
		place, region = interned(intern, place), interned(intern, region)
		if pop > 0 {
			known = append(known, geo.Place{Place: place, Region: region, Population: pop})
			continue
		}
		k := [2]string{place, region}
		g, ok := groupOf[k]
		if !ok {
			g = int32(len(groups))
			groupOf[k] = g
			groups = append(groups, geo.Place{Place: place, Region: region})
		}
		fillIdx = append(fillIdx, i)
		fillGroup = append(fillGroup, g)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	est := geo.NewPopulationEstimator(known)
	groupPop := make([]int32, len(groups))
	for g, p := range groups {
		groupPop[g] = int32(est.Estimate(p).Population)
	}
	fillPop := fillGroup // reused in place: group indexes become populations
	for k, g := range fillGroup {
		fillPop[k] = groupPop[g]
	}
	if _, err := tx.Exec(ctx, sqlSettlementsFillEstimates, fillIdx, fillPop); err != nil {
		return err
	}
	rep.Estimated = len(fillIdx)
	return nil
}

func interned(m map[string]string, s string) string {
	if v, ok := m[s]; ok {
		return v
	}
	m[s] = s
	return s
}

// MaxPopulation is the largest population a settlement can have. The most
// populous cities proper hold about 25 million (Shanghai); Chongqing's 32
// million is a province-sized municipality, not one settlement, and
// Kazakhstan as a whole holds about 20 million. A larger figure is a typo or
// a unit error, not a fact, and is left out; the bound also keeps every
// accepted value within the int4 population column.
const MaxPopulation = 30_000_000

// Why a population tag is left out; the messages complete "population "x" …".
var (
	errPopulationNaN      = errors.New("is not a number")
	errPopulationNegative = errors.New("is negative")
	errPopulationZero     = errors.New("is zero")
	errPopulationTooLarge = fmt.Errorf("is too large: above %d, more than any settlement holds", MaxPopulation)
)

// ParsePopulation reads an OSM population tag: "1234", "1 234", "1,234",
// "~1200", "1200 (2009)". It reports false when the tag is not a population
// in 1..MaxPopulation; readPopulation says why.
func ParsePopulation(s string) (int, bool) {
	n, err := readPopulation(s)
	return n, err == nil
}

// readPopulation is ParsePopulation with the reason a tag is left out: one of
// errPopulationNaN, errPopulationNegative, errPopulationZero, errPopulationTooLarge.
func readPopulation(s string) (int, error) {
	s = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(s), "~≈<>"))
	negative := false
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		s, negative = rest, true
	} else if rest, ok := strings.CutPrefix(s, "\u2212"); ok { // the minus sign
		s, negative = rest, true
	}
	// Keep the leading run of digits and digit-group separators.
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			b.WriteRune(r)
		case r == ' ' || r == ',' || r == '\u00a0' || r == '\u202f' || r == '\'':
			continue
		default:
			goto done
		}
	}
done:
	digits := b.String()
	if digits == "" {
		return 0, errPopulationNaN
	}
	n, err := strconv.Atoi(digits)
	switch {
	case errors.Is(err, strconv.ErrRange):
		if negative {
			return 0, errPopulationNegative
		}
		return 0, errPopulationTooLarge
	case err != nil:
		// unicode.IsDigit accepts digits of other scripts that Atoi does not.
		return 0, errPopulationNaN
	case negative && n > 0:
		return 0, errPopulationNegative
	case n == 0:
		return 0, errPopulationZero
	case n > MaxPopulation:
		return 0, errPopulationTooLarge
	}
	return n, nil
}
