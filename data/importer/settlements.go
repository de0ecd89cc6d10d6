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
)

// Settlements imports OpenStreetMap populated places (GeoJSON points with
// osm_id, osm_type, place, name, name:kk/ru/en, population), replacing the
// previously imported OSM places. Places outside the country are left out;
// each place gets its district and oblast by point in polygon; a missing
// population is estimated with geo.PopulationEstimator and marked as such.
func (im *Importer) Settlements(ctx context.Context, file string) (*Report, error) {
	start := time.Now()
	feats, content, err := readFeatures(file)
	if err != nil {
		return nil, err
	}
	type row struct {
		idx                     int
		sourceID                string
		name, kk, ru, en, place string
		pop                     int
		wkb                     []byte
	}
	rows := make([]row, 0, len(feats))
	var warnings []string
	seen := map[string]int{}
	for _, f := range feats {
		pt, ok := f.geom.(orb.Point)
		if !ok {
			return nil, invalid(file, "feature %d: geometry type %s: want Point", f.index, f.geom.GeoJSONType())
		}
		if pt[0] < -180 || pt[0] > 180 || pt[1] < -90 || pt[1] > 90 {
			return nil, invalid(file, "feature %d: coordinates %v out of range", f.index, pt)
		}
		id := str(f.props, "osm_id")
		if id == "" {
			return nil, invalid(file, "feature %d: missing osm_id", f.index)
		}
		typ := strings.TrimSuffix(str(f.props, "osm_type"), "s") // "nodes" → "node"
		if typ == "" {
			typ = "node"
		}
		r := row{idx: f.index, sourceID: typ + "/" + id, name: str(f.props, "name"),
			kk: str(f.props, "name:kk"), ru: str(f.props, "name:ru"), en: str(f.props, "name:en"), place: str(f.props, "place")}
		if r.place == "" {
			return nil, invalid(file, "feature %d (%s): missing place", f.index, r.sourceID)
		}
		if prev, dup := seen[r.sourceID]; dup {
			return nil, invalid(file, "feature %d: %s already given as feature %d", f.index, r.sourceID, prev)
		}
		seen[r.sourceID] = f.index
		if raw := str(f.props, "population"); raw != "" {
			// A population that cannot be a fact is left out, said why, and estimated.
			p, err := readPopulation(raw)
			if err != nil {
				warnings = append(warnings, fmt.Sprintf("feature %d (%s): population %q %v; estimated instead", f.index, r.sourceID, raw, err))
			}
			r.pop = p
		}
		if r.wkb, err = toWKB(pt); err != nil {
			return nil, invalid(file, "feature %d: geometry: %v", f.index, err)
		}
		rows = append(rows, r)
		if len(rows)%2000 == 0 {
			im.logf("\rsettlements: %d read (%s)", len(rows), rate(len(rows), start))
		}
	}
	if len(rows) == 0 {
		return nil, invalid(file, "no features")
	}
	return im.inTx(ctx, "settlements", file, content, func(tx pgx.Tx, runID int64, rep *Report) error {
		rep.Warnings = warnings
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
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_settlement"}, []string{"idx", "source_id", "name", "name_kk", "name_ru", "name_en", "place", "population", "g"},
			pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
				r := rows[i]
				var pop any
				if r.pop > 0 {
					pop = r.pop
				}
				return []any{r.idx, r.sourceID, nullable(r.name), nullable(r.kk), nullable(r.ru), nullable(r.en), r.place, pop, r.wkb}, nil
			})); err != nil {
			return err
		}
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
		// Replace what earlier imports of this dataset brought; places that an
		// OSM extract import last touched (aimaq import osm) stay.
		if _, err := tx.Exec(ctx, sqlSettlementsDeleteGone); err != nil {
			return err
		}
		im.logf("\rsettlements: %d imported (%s), %d outside the country left out, %d populations estimated\n", rep.Rows, rate(rep.Rows, start), rep.Clipped, rep.Estimated)
		return nil
	})
}

// estimatePopulation fills in the staged places that have no population.
func (im *Importer) estimatePopulation(ctx context.Context, tx pgx.Tx, rep *Report) error {
	rows, err := tx.Query(ctx, `SELECT idx, place, coalesce(oblast, ''), coalesce(population, 0) FROM stage_settlement`)
	if err != nil {
		return err
	}
	var idx []int32
	var places []geo.Place
	for rows.Next() {
		var i int32
		var p geo.Place
		if err := rows.Scan(&i, &p.Place, &p.Region, &p.Population); err != nil {
			return err
		}
		idx = append(idx, i)
		places = append(places, p)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	est := geo.NewPopulationEstimator(places)
	var fillIdx, fillPop []int32
	for i, p := range places {
		if p.Population > 0 {
			continue
		}
		fillIdx = append(fillIdx, idx[i])
		fillPop = append(fillPop, int32(est.Estimate(p).Population))
	}
	if _, err := tx.Exec(ctx, sqlSettlementsFillEstimates, fillIdx, fillPop); err != nil {
		return err
	}
	rep.Estimated = len(fillIdx)
	return nil
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
