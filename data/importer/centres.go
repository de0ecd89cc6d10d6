package importer

import (
	"context"
	"fmt"
	"strings"

	"github.com/aimaq/aimaq/data/reference"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
)

// Centres imports the administrative centres of the first-level units
// (geokz kz_adm1_centres: points with ISO_3166_2 and TYPE_CNT1 1 = capital,
// 2 = city of republican significance, 3 = oblast centre). A centre is matched
// to its unit by ISO 3166-2 code; points of other types (4: Baikonyr, a city
// under lease) are not oblast centres and are listed as warnings. The centre's
// settlement is the nearest imported city or town within 10 km, set in derive.
func (im *Importer) Centres(ctx context.Context, file string) (*Report, error) {
	feats, content, err := readFeatures(file)
	if err != nil {
		return nil, err
	}
	type row struct {
		idx       int
		iso, name string
		lon, lat  float64
	}
	var rows []row
	var warnings []string
	for _, f := range feats {
		pt, ok := f.geom.(orb.Point)
		if !ok {
			return nil, invalid(file, "feature %d: geometry type %s: want Point", f.index, f.geom.GeoJSONType())
		}
		iso, name := str(f.props, "ISO_3166_2"), firstOf(f.props, "NAME_EN", "name_en", "name")
		if iso == "" {
			return nil, invalid(file, "feature %d (%s): missing ISO_3166_2", f.index, name)
		}
		if t := str(f.props, "TYPE_CNT1"); t != "" && t != "1" && t != "2" && t != "3" {
			warnings = append(warnings, fmt.Sprintf("feature %d (%s, %s): TYPE_CNT1=%s is not an oblast centre; skipped", f.index, name, iso, t))
			continue
		}
		rows = append(rows, row{idx: f.index, iso: iso, name: name, lon: pt[0], lat: pt[1]})
	}
	return im.inTx(ctx, "centres", file, content, func(tx pgx.Tx, runID int64, rep *Report) error {
		rep.Warnings = warnings
		if _, err := tx.Exec(ctx, `UPDATE area SET centre = NULL WHERE level = 'oblast'`); err != nil {
			return err
		}
		for _, r := range rows {
			tag, err := tx.Exec(ctx, `UPDATE area SET centre = ST_SetSRID(ST_MakePoint($2, $3), 4326) WHERE level = 'oblast' AND iso = $1`, r.iso, r.lon, r.lat)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				return invalid(file, "feature %d (%s): no oblast with ISO_3166_2 %s: import the oblasts first", r.idx, r.name, r.iso)
			}
			rep.Rows++
		}
		im.logf("centres: %d oblast centres\n", rep.Rows)
		return nil
	})
}

// centreMatchMetres is how far from a reference centre's point a settlement
// of the same name may lie and still be taken for it: a village spreads over
// a few km, and an approximate point (0.01°) is off by about a km.
const centreMatchMetres = 15000

// districtCentres sets each imported district's administrative centre from
// data/reference/district_centres.csv: the district's settlement that bears
// one of the centre's names (kk, ru or en, normalised) within 15 km of the
// reference point, or else the reference point itself. A point outside its
// district or outside the country is refused with a warning naming the KATO.
// Districts left without a centre get one by the documented rule
// (derive_centres_rule.sql), flagged 'derived'; the counts go in the report.
func districtCentres(ctx context.Context, tx pgx.Tx, rep *Report) error {
	rows, err := reference.DistrictCentres()
	if err != nil {
		return err
	}
	katos := make([]string, len(rows))
	lons := make([]float64, len(rows))
	lats := make([]float64, len(rows))
	byKATO := make(map[string]reference.DistrictCentre, len(rows))
	for i, c := range rows {
		katos[i], lons[i], lats[i] = c.KATO, c.Lon, c.Lat
		byKATO[c.KATO] = c
	}
	type district struct {
		id                    int64
		name                  string
		inDistrict, inCountry bool
		settlement            *int64 // the nearest settlement of the centre's name
		kato                  string
	}
	var order []string
	found := map[string]*district{}
	q, err := tx.Query(ctx, sqlCentresReference, katos, lons, lats, centreMatchMetres)
	if err != nil {
		return err
	}
	for q.Next() {
		var d district
		var sid *int64
		var name, kk, ru, en string
		if err := q.Scan(&d.kato, &d.id, &d.name, &d.inDistrict, &d.inCountry, &sid, &name, &kk, &ru, &en); err != nil {
			q.Close()
			return err
		}
		cur, ok := found[d.kato]
		if !ok {
			cur = &d
			found[d.kato] = cur
			order = append(order, d.kato)
		}
		// Rows come nearest first: the first settlement of the name wins.
		if sid != nil && cur.settlement == nil && reference.SameName(byKATO[d.kato].Names(), []string{name, kk, ru, en}) {
			cur.settlement = sid
		}
	}
	q.Close()
	if err := q.Err(); err != nil {
		return err
	}
	var matched, atPoint int
	var refused []string
	var ids []int64
	var sids []*int64
	var setLon, setLat []float64
	var sources []string
	for _, kato := range order {
		d, c := found[kato], byKATO[kato]
		if !d.inDistrict || !d.inCountry {
			where := "its district"
			if !d.inCountry {
				where = "the country"
			}
			refused = append(refused, fmt.Sprintf("%s (%s): %s (line %d) at %.4f, %.4f lies outside %s", kato, d.name, c.NameEN, c.Line, c.Lon, c.Lat, where))
			continue
		}
		source := access.CentreReference
		if d.settlement != nil {
			matched++
		} else {
			atPoint++
			source = access.CentreReferenceApproximate
		}
		ids, sids = append(ids, d.id), append(sids, d.settlement)
		setLon, setLat, sources = append(setLon, c.Lon), append(setLat, c.Lat), append(sources, source)
	}
	if _, err := tx.Exec(ctx, sqlCentresSet, ids, sids, setLon, setLat, sources); err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, sqlCentresRule)
	if err != nil {
		return err
	}
	// Said once there are districts and settlements to find centres among:
	// before, every count would be "at reference coordinates".
	var ready bool
	var none int
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM area WHERE level = 'district') AND EXISTS (SELECT 1 FROM settlement),
		(SELECT count(*) FROM area WHERE level = 'district' AND centre IS NULL)`).Scan(&ready, &none); err != nil {
		return err
	}
	if !ready {
		return nil
	}
	if len(refused) > 0 {
		// One warning, not one per district.
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("district centres: %d reference points of district_centres.csv refused, those centres derived by rule: %s",
			len(refused), strings.Join(refused, "; ")))
	}
	if rep.Counts == nil {
		rep.Counts = map[string]int{}
	}
	rep.Counts["district_centres_from_reference_(matched_to_a_place)"] = matched
	rep.Counts["district_centres_at_reference_coordinates"] = atPoint
	rep.Counts["district_centres_derived_by_rule"] = int(tag.RowsAffected())
	if none > 0 {
		// No reference row and no settlement for the rule to choose.
		rep.Counts["districts_without_a_centre"] = none
	}
	return nil
}
