package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/ewkb"
)

var (
	sqlFacilitiesClip       = mustSQL("facilities_clip.sql")
	sqlFacilitiesDeleteGone = mustSQL("facilities_delete_gone.sql")
	sqlFacilitiesUpsert     = mustSQL("facilities_upsert.sql")
)

// FacilityKinds are the kinds of facility in DESIGN.md, in the order of the
// care they give: schools, then health facilities from the smallest post to
// the hospital.
var FacilityKinds = []string{"school", "kindergarten", "medical_post", "feldsher_post", "clinic", "polyclinic", "hospital"}

// FacilityKind maps the OpenStreetMap tags of a school or health facility to a
// kind of FacilityKinds; ok is false for anything else (dentists, pharmacies,
// laboratories, …).
//
//	amenity=school                                  school
//	amenity=kindergarten                            kindergarten
//	amenity=hospital, healthcare=hospital           hospital
//	healthcare=polyclinic, healthcare=centre        polyclinic (a health centre is the ПМСП level)
//	amenity=clinic|doctors, healthcare=clinic|doctor clinic (врачебная амбулатория)
//	healthcare=feldsher                             feldsher_post
//	healthcare=medical_post                         medical_post
//
// Then the names (name, name:ru, name:kk, official_name, short_name) refine a
// health facility, because Kazakh mappers tag rural posts as clinics or even
// hospitals: "ФАП", "ФП" or "фельдшер…" makes it a feldsher_post (ФАП);
// "медпункт", "медицинский пункт" or "медициналық пункт" a medical_post;
// "поликлиника", "емхана" or "ПМСП" a polyclinic (unless tagged hospital);
// "амбулатория" turns a health centre into a clinic. A doctors' practice
// whose healthcare:speciality is dentistry is not a facility of these kinds.
func FacilityKind(tags map[string]string) (kind string, ok bool) {
	amenity, healthcare := tags["amenity"], tags["healthcare"]
	switch amenity {
	case "school":
		return "school", true
	case "kindergarten":
		return "kindergarten", true
	}
	var base string
	switch {
	case amenity == "hospital" || healthcare == "hospital":
		base = "hospital"
	case healthcare == "polyclinic" || healthcare == "centre":
		base = "polyclinic"
	case healthcare == "feldsher":
		base = "feldsher_post"
	case healthcare == "medical_post":
		base = "medical_post"
	case amenity == "clinic" || amenity == "doctors" || healthcare == "clinic" || healthcare == "doctor":
		switch tags["healthcare:speciality"] {
		case "dentist", "dentistry", "orthodontics":
			return "", false
		}
		base = "clinic"
	default:
		return "", false
	}
	var names []string
	for _, k := range []string{"name", "name:ru", "name:kk", "official_name", "short_name"} {
		if v := tags[k]; v != "" {
			names = append(names, v)
		}
	}
	text := strings.Join(names, " | ")
	lower := strings.ToLower(text)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(lower, s) {
				return true
			}
		}
		return false
	}
	switch {
	case hasWord(text, "ФАП") || hasWord(text, "ФП") || has("фельдшер"):
		return "feldsher_post", true
	case has("медпункт", "медицинский пункт", "медициналық пункт"):
		return "medical_post", true
	case base != "hospital" && (has("поликлиник", "емхана") || hasWord(text, "ПМСП")):
		return "polyclinic", true
	case base == "polyclinic" && has("амбулатор"):
		return "clinic", true
	}
	return base, true
}

// hasWord reports whether word occurs in s as a whole word: an abbreviation
// such as ФАП, not preceded by a letter, and followed by no letter or only a
// lower-case case ending ("ФАПа").
func hasWord(s, word string) bool {
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], word)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(word)
		prev, _ := utf8.DecodeLastRuneInString(s[:start])
		next, _ := utf8.DecodeRuneInString(s[end:])
		if (start == 0 || !unicode.IsLetter(prev)) && (end == len(s) || !unicode.IsUpper(next)) {
			return true
		}
		i = end
	}
	return false
}

// facilityRow is one facility to stage; capacity 0 is unknown.
type facilityRow struct {
	sourceID, kind, name string
	capacity             int
	pt                   orb.Point
	tags                 map[string]string
}

// loadFacilities replaces the facilities of source with rows: COPY into a
// staging table, delete the ones no longer there, upsert the rest. With clip,
// facilities outside the country boundary (when there is one) are left out.
func loadFacilities(ctx context.Context, tx pgx.Tx, runID int64, source string, rows []facilityRow, clip bool) (n, clipped int, err error) {
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE stage_facility (source_id text, kind text, name text, capacity int, tags jsonb, g geometry) ON COMMIT DROP`); err != nil {
		return 0, 0, err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_facility"}, []string{"source_id", "kind", "name", "capacity", "tags", "g"},
		pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
			r := rows[i]
			g, err := ewkb.Marshal(r.pt, 4326)
			if err != nil {
				return nil, err
			}
			var capacity any
			if r.capacity > 0 {
				capacity = r.capacity
			}
			tags := r.tags
			if tags == nil {
				tags = map[string]string{}
			}
			return []any{r.sourceID, r.kind, nullable(r.name), capacity, tags, g}, nil
		})); err != nil {
		return 0, 0, err
	}
	if clip {
		tag, err := tx.Exec(ctx, sqlFacilitiesClip)
		if err != nil {
			return 0, 0, err
		}
		clipped = int(tag.RowsAffected())
	}
	if _, err := tx.Exec(ctx, sqlFacilitiesDeleteGone, source); err != nil {
		return 0, 0, err
	}
	tag, err := tx.Exec(ctx, sqlFacilitiesUpsert, source, runID)
	if err != nil {
		return 0, 0, err
	}
	return int(tag.RowsAffected()), clipped, nil
}

// fileSource is the source of rows imported from a file other than OSM.
func fileSource(file string) string { return "file:" + filepath.Base(file) }

// Facilities imports schools and health facilities that do not come from
// OpenStreetMap, replacing the facilities previously imported from a file of
// the same name (source "file:<basename>"). The file is either
//
//   - GeoJSON: a FeatureCollection of Points with properties kind, name,
//     capacity and id; or
//   - CSV (UTF-8, comma-separated) with the header kind,name,capacity,lon,lat
//     and optionally id, columns in any order; name, capacity and id may be empty.
//
// kind is one of FacilityKinds. A row without an id gets "row/<n>" (the n-th
// data row of a CSV) or "feature/<i>" (the i-th feature, from 0). Errors name
// the line or the feature and the field.
func (im *Importer) Facilities(ctx context.Context, file string) (*Report, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, invalid(file, "%v", err)
	}
	var rows []facilityRow
	if isGeoJSON(file, b) {
		rows, err = facilitiesGeoJSON(file)
	} else {
		rows, err = facilitiesCSV(file, b)
	}
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, invalid(file, "no facilities")
	}
	source := fileSource(file)
	return im.inTx(ctx, "facilities", file, b, func(tx pgx.Tx, runID int64, rep *Report) error {
		n, _, err := loadFacilities(ctx, tx, runID, source, rows, false)
		if err != nil {
			return fmt.Errorf("import facilities %s: %w", file, err)
		}
		rep.Rows = n
		im.logf("facilities: %d imported as source %s\n", n, source)
		return nil
	})
}

// isGeoJSON tells GeoJSON from CSV by the extension, else by the first byte.
func isGeoJSON(file string, b []byte) bool {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".geojson", ".json":
		return true
	case ".csv":
		return false
	}
	return bytes.HasPrefix(bytes.TrimSpace(b), []byte("{"))
}

func checkKind(kind string) error {
	if !slices.Contains(FacilityKinds, kind) {
		if kind == "" {
			return errors.New("missing")
		}
		return fmt.Errorf("unknown kind %q (want one of %s)", kind, strings.Join(FacilityKinds, ", "))
	}
	return nil
}

func checkLonLat(lon, lat float64) (field string, err error) {
	if math.IsNaN(lon) || lon < -180 || lon > 180 {
		return "lon", fmt.Errorf("%v is out of range -180…180", lon)
	}
	if math.IsNaN(lat) || lat < -90 || lat > 90 {
		return "lat", fmt.Errorf("%v is out of range -90…90", lat)
	}
	return "", nil
}

func facilitiesGeoJSON(file string) ([]facilityRow, error) {
	feats, _, err := readFeatures(file)
	if err != nil {
		return nil, err
	}
	rows := make([]facilityRow, 0, len(feats))
	seen := map[string]int{}
	for _, f := range feats {
		pt, ok := f.geom.(orb.Point)
		if !ok {
			return nil, invalid(file, "feature %d: geometry type %s: want Point", f.index, f.geom.GeoJSONType())
		}
		if field, err := checkLonLat(pt[0], pt[1]); err != nil {
			return nil, invalid(file, "feature %d: coordinates: %s %v", f.index, field, err)
		}
		kind := strings.ToLower(strings.TrimSpace(str(f.props, "kind")))
		if err := checkKind(kind); err != nil {
			return nil, invalid(file, "feature %d: field kind: %v", f.index, err)
		}
		r := facilityRow{kind: kind, name: strings.TrimSpace(str(f.props, "name")), pt: pt}
		switch c := f.props["capacity"].(type) {
		case nil:
		case float64:
			if c < 0 || c != math.Trunc(c) || c > math.MaxInt32 {
				return nil, invalid(file, "feature %d: field capacity: %v is not a whole number ≥ 0", f.index, c)
			}
			r.capacity = int(c)
		case string:
			if r.capacity, err = parseCapacity(c); err != nil {
				return nil, invalid(file, "feature %d: field capacity: %v", f.index, err)
			}
		default:
			return nil, invalid(file, "feature %d: field capacity: %s is not a number", f.index, jsonValue(c))
		}
		r.sourceID = strings.TrimSpace(str(f.props, "id"))
		if r.sourceID == "" {
			r.sourceID = fmt.Sprintf("feature/%d", f.index)
		}
		if prev, dup := seen[r.sourceID]; dup {
			return nil, invalid(file, "feature %d: field id: %q already used by feature %d", f.index, r.sourceID, prev)
		}
		seen[r.sourceID] = f.index
		rows = append(rows, r)
	}
	return rows, nil
}

func parseCapacity(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a whole number ≥ 0", s)
	}
	return n, nil
}

var facilityColumns = []string{"kind", "name", "capacity", "lon", "lat", "id"}

func facilitiesCSV(file string, b []byte) ([]facilityRow, error) {
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, invalid(file, "empty file: want a CSV header kind,name,capacity,lon,lat[,id]")
		}
		return nil, invalid(file, "%v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(facilityColumns, h) {
			return nil, invalid(file, "line 1: unknown column %q: want kind,name,capacity,lon,lat[,id]", header[i])
		}
		if _, dup := col[h]; dup {
			return nil, invalid(file, "line 1: column %q given twice", h)
		}
		col[h] = i
	}
	for _, need := range []string{"kind", "lon", "lat"} {
		if _, ok := col[need]; !ok {
			return nil, invalid(file, "line 1: no column %q: want kind,name,capacity,lon,lat[,id]", need)
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var rows []facilityRow
	seen := map[string]int{}
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, invalid(file, "%v", err) // csv.ParseError names the line
		}
		line, _ := cr.FieldPos(0)
		kind := strings.ToLower(get(rec, "kind"))
		if err := checkKind(kind); err != nil {
			return nil, invalid(file, "line %d: field kind: %v", line, err)
		}
		var coord [2]float64
		for i, name := range []string{"lon", "lat"} {
			raw := get(rec, name)
			v, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				return nil, invalid(file, "line %d: field %s: %q is not a number", line, name, raw)
			}
			coord[i] = v
		}
		if field, err := checkLonLat(coord[0], coord[1]); err != nil {
			return nil, invalid(file, "line %d: field %s: %v", line, field, err)
		}
		capacity, err := parseCapacity(get(rec, "capacity"))
		if err != nil {
			return nil, invalid(file, "line %d: field capacity: %v", line, err)
		}
		id := get(rec, "id")
		if id == "" {
			id = fmt.Sprintf("row/%d", n)
		}
		if prev, dup := seen[id]; dup {
			return nil, invalid(file, "line %d: field id: %q already used on line %d", line, id, prev)
		}
		seen[id] = line
		rows = append(rows, facilityRow{sourceID: id, kind: kind, name: get(rec, "name"), capacity: capacity, pt: orb.Point(coord)})
	}
	return rows, nil
}
