package importer

import (
	"bufio"
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
	sqlFacilitiesStage      = mustSQL("facilities_stage.sql")
	sqlFacilitiesDuplicate  = mustSQL("facilities_duplicate.sql")
)

// FacilityKinds are the kinds of facility in DESIGN.md, in the order of the
// care they give: schools, then health facilities from the smallest post to
// the hospital.
var FacilityKinds = []string{"school", "kindergarten", "medical_post", "feldsher_post", "clinic", "polyclinic", "hospital"}

// FacilityKind maps the OpenStreetMap tags of a school or health facility to a
// kind of FacilityKinds; ok is false for anything else (dentists, pharmacies,
// laboratories, …). ClassifyFacility also says why a tagged school or health
// facility was left out.
func FacilityKind(tags map[string]string) (kind string, ok bool) {
	kind, _ = ClassifyFacility(tags)
	return kind, kind != ""
}

// Reasons ClassifyFacility gives for leaving out an element that is tagged as
// a school or a health facility; the OSM import report counts them.
const (
	LeftOutNotPrimaryCare = "not_primary_care" // a speciality practice, laboratory, imaging centre, …
	LeftOutSchoolShop     = "school_tagged_shop"
	LeftOutSchoolByName   = "school_not_general_education"
)

// notPrimaryCare are the healthcare=* values (OSM wiki, Key:healthcare) of
// places that do not give the first-contact care DESIGN.md's clinic, post and
// polyclinic kinds stand for, however they are also tagged (mappers add
// amenity=clinic or amenity=doctors to most of them): a settlement with only a
// physiotherapist or an optician is not served by a clinic. Leaving them out
// is what keeps "distance to the nearest clinic" a fact about primary care.
//
//	alternative        alternative medicine, not state primary care
//	audiologist        hearing tests and aids
//	blood_bank, blood_donation, dialysis, sample_collection, laboratory
//	                   no consultation: a service for other facilities
//	chiropractor, physiotherapist, occupational_therapist, podiatrist,
//	speech_therapist, psychotherapist, counselling
//	                   therapy a doctor refers to
//	dentist            dental care, not one of FacilityKinds
//	optometrist        eye tests and glasses
//	pharmacy           medicines, not care (healthcare=pharmacy)
//	rehabilitation     after-care
//	vaccination_centre a single service
var notPrimaryCare = map[string]bool{
	"alternative": true, "audiologist": true, "blood_bank": true, "blood_donation": true,
	"dialysis": true, "sample_collection": true, "laboratory": true, "chiropractor": true,
	"physiotherapist": true, "occupational_therapist": true, "podiatrist": true,
	"speech_therapist": true, "psychotherapist": true, "counselling": true, "dentist": true,
	"optometrist": true, "pharmacy": true, "rehabilitation": true, "vaccination_centre": true,
}

// notPrimaryCareSpecialities are healthcare:speciality=* values (OSM wiki,
// Key:healthcare:speciality) of the same kinds, plus imaging: a radiology or
// diagnostic imaging centre (often tagged healthcare=centre or amenity=clinic)
// takes pictures a doctor orders and is not a clinic. A practice whose
// specialities are all of this list is left out; one that also lists another
// speciality (general;radiology) is kept.
var notPrimaryCareSpecialities = map[string]bool{
	"dentistry": true, "orthodontics": true, "oral_surgery": true, "chiropractic": true,
	"physiotherapy": true, "physical_therapy": true, "osteopathy": true, "psychotherapy": true,
	"speech_therapy": true, "occupational_therapy": true, "optometry": true, "audiology": true,
	"podiatry": true, "radiology": true, "diagnostic_radiology": true, "nuclear_medicine": true,
	"ultrasonography": true, "diagnostic_imaging": true, "imaging": true, "mri": true,
	"laboratory": true, "biology": true, "blood_check": true, "dialysis": true,
	"acupuncture": true, "homeopathy": true, "naturopathy": true, "traditional_chinese_medicine": true,
	"rehabilitation": true, "massage": true, "cosmetic_surgery": true,
}

// notGeneralSchools are name fragments of schools that OSM has other tags for
// (amenity=driving_school, music_school, language_school, dancing_school;
// leisure=sports_centre) but that mappers in Kazakhstan often tag
// amenity=school: a driving, music, art, sports or language school does not
// teach the children of a village, so it is not the school the indicators
// measure the distance to. Matched in the lower-cased names, in Russian,
// Kazakh and English; the fragments are whole phrases because a general
// school may have a profile in its name ("гимназия с углублённым изучением
// языков", "школа-интернат спортивного профиля").
var notGeneralSchools = []string{
	"автошкол", "автомектеп", "driving school",
	"музыкальная школа", "музыка мектеб", "music school",
	"школа искусств", "өнер мектеб", "художественная школа", "art school",
	"спортивная школа", "спорт мектеб", "дюсш", "сдюшор", "sports school",
	"языковая школа", "language school", "школа танц", "dance school",
}

// ClassifyFacility maps the OpenStreetMap tags of a school or health
// facility to a kind of FacilityKinds, or says why it is left out (one of
// the LeftOut reasons); both are empty for anything that is not tagged as
// either (pharmacies, colleges, …).
//
//	amenity=school                                  school
//	amenity=kindergarten                            kindergarten
//	amenity=hospital, healthcare=hospital           hospital
//	healthcare=polyclinic, healthcare=centre        polyclinic (a health centre is the ПМСП level)
//	amenity=clinic|doctors, healthcare=clinic|doctor clinic (врачебная амбулатория)
//	healthcare=feldsher                             feldsher_post
//	healthcare=medical_post                         medical_post
//
// A school also tagged shop=* is a shop (a school-supplies shop, mistagged)
// and left out, as are schools named as driving, music, art, sports or
// language schools (notGeneralSchools). A health facility whose healthcare=*
// is in notPrimaryCare, or whose specialities are all in
// notPrimaryCareSpecialities, is left out, unless it is tagged a hospital
// (a specialised hospital is still a hospital).
//
// Then the names (name, name:ru, name:kk, official_name, short_name) refine a
// health facility, because Kazakh mappers tag rural posts as clinics or even
// hospitals: "ФАП", "ФП" or "фельдшер…" makes it a feldsher_post (ФАП);
// "медпункт", "медицинский пункт" or "медициналық пункт" a medical_post;
// "поликлиника", "емхана" or "ПМСП" a polyclinic (unless tagged hospital);
// "амбулатория" turns a health centre into a clinic.
func ClassifyFacility(tags map[string]string) (kind, leftOut string) {
	amenity, healthcare := tags["amenity"], tags["healthcare"]
	switch amenity {
	case "school":
		if tags["shop"] != "" {
			return "", LeftOutSchoolShop
		}
		lower := strings.ToLower(strings.Join(facilityNames(tags), " | "))
		for _, s := range notGeneralSchools {
			if strings.Contains(lower, s) {
				return "", LeftOutSchoolByName
			}
		}
		return "school", ""
	case "kindergarten":
		return "kindergarten", ""
	}
	var base string
	switch {
	case amenity == "hospital" || healthcare == "hospital":
		base = "hospital"
	case notPrimaryCare[healthcare]:
		if amenity == "clinic" || amenity == "doctors" {
			return "", LeftOutNotPrimaryCare
		}
		return "", "" // a dentist or a pharmacy tagged only as such was never a candidate
	case healthcare == "polyclinic" || healthcare == "centre":
		base = "polyclinic"
	case healthcare == "feldsher":
		base = "feldsher_post"
	case healthcare == "medical_post":
		base = "medical_post"
	case amenity == "clinic" || amenity == "doctors" || healthcare == "clinic" || healthcare == "doctor":
		base = "clinic"
	default:
		return "", ""
	}
	if base != "hospital" && onlyNotPrimaryCare(tags["healthcare:speciality"]) {
		return "", LeftOutNotPrimaryCare
	}
	names := facilityNames(tags)
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
		return "feldsher_post", ""
	case has("медпункт", "медицинский пункт", "медициналық пункт"):
		return "medical_post", ""
	case base != "hospital" && (has("поликлиник", "емхана") || hasWord(text, "ПМСП")):
		return "polyclinic", ""
	case base == "polyclinic" && has("амбулатор"):
		return "clinic", ""
	}
	return base, ""
}

// facilityNames are the non-empty names a facility is known by.
func facilityNames(tags map[string]string) []string {
	var names []string
	for _, k := range []string{"name", "name:ru", "name:kk", "official_name", "short_name"} {
		if v := tags[k]; v != "" {
			names = append(names, v)
		}
	}
	return names
}

// onlyNotPrimaryCare reports whether a healthcare:speciality list
// ("general;radiology") names specialities all of notPrimaryCareSpecialities.
func onlyNotPrimaryCare(list string) bool {
	found := false
	for s := range strings.SplitSeq(list, ";") {
		s = strings.ToLower(strings.TrimSpace(s))
		if s == "" {
			continue
		}
		if !notPrimaryCareSpecialities[s] {
			return false
		}
		found = true
	}
	return found
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

// facilityColumnsStaged are the columns of a stage_facility COPY row; idx is
// the feature of a GeoJSON file, NULL for the other sources.
var facilityColumnsStaged = []string{"idx", "source_id", "kind", "name", "capacity", "tags", "g"}

// stagedValues are the COPY values of r (facilityColumnsStaged).
func (r facilityRow) stagedValues(idx any) ([]any, error) {
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
	return []any{idx, r.sourceID, r.kind, nullable(r.name), capacity, tags, g}, nil
}

// loadFacilities replaces the facilities of source with rows: COPY into a
// staging table, delete the ones no longer there, upsert the rest. With clip,
// facilities outside the country boundary (when there is one) are left out.
func loadFacilities(ctx context.Context, tx pgx.Tx, runID int64, source string, rows []facilityRow, clip bool) (n, clipped int, err error) {
	if err := stageFacilities(ctx, tx, pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
		return rows[i].stagedValues(nil)
	})); err != nil {
		return 0, 0, err
	}
	return mergeFacilities(ctx, tx, runID, source, clip)
}

// stageFacilities copies the rows of src (facilityColumnsStaged) into a new
// staging table, dropped at commit.
func stageFacilities(ctx context.Context, tx pgx.Tx, src pgx.CopyFromSource) error {
	if _, err := tx.Exec(ctx, sqlFacilitiesStage); err != nil {
		return err
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"stage_facility"}, facilityColumnsStaged, src)
	return err
}

// mergeFacilities makes the staged facilities those of source: with clip, the
// ones outside the country are left out; the ones no longer staged deleted;
// the rest upserted.
func mergeFacilities(ctx context.Context, tx pgx.Tx, runID int64, source string, clip bool) (n, clipped int, err error) {
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
//     capacity and id, streamed (see featureStream) into the staging table,
//     so memory does not grow with the file; or
//   - CSV (UTF-8, comma-separated) with the header kind,name,capacity,lon,lat
//     and optionally id, columns in any order; name, capacity and id may be empty.
//
// kind is one of FacilityKinds. A row without an id gets "row/<n>" (the n-th
// data row of a CSV) or "feature/<i>" (the i-th feature, from 0). Errors name
// the line or the feature and the field.
func (im *Importer) Facilities(ctx context.Context, file string) (*Report, error) {
	geoJSON, err := isGeoJSON(file)
	if err != nil {
		return nil, invalid(file, "%v", err)
	}
	if geoJSON {
		return im.facilitiesGeoJSON(ctx, file)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, invalid(file, "%v", err)
	}
	rows, err := facilitiesCSV(file, b)
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

// isGeoJSON tells GeoJSON from CSV by the extension, else by the first byte
// that is not white space.
func isGeoJSON(file string) (bool, error) {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".geojson", ".json":
		return true, nil
	case ".csv":
		return false, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return false, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if !unicode.IsSpace(rune(c)) {
			return c == '{', nil
		}
	}
}

// facilitiesGeoJSON imports a GeoJSON file of facilities, streamed into the
// staging table.
func (im *Importer) facilitiesGeoJSON(ctx context.Context, file string) (*Report, error) {
	fs, err := streamFeatures(file)
	if err != nil {
		return nil, err
	}
	defer fs.Close()
	source := fileSource(file)
	var mem memPeak
	mem.sample()
	return im.inTx(ctx, "facilities", file, nil, func(tx pgx.Tx, runID int64, rep *Report) error {
		src := &featureRows{fs: fs, mem: &mem, rows: func(f feature) ([][]any, error) {
			r, err := facilityFeature(file, f)
			if err != nil {
				return nil, err
			}
			v, err := r.stagedValues(f.index)
			if err != nil {
				return nil, invalid(file, "feature %d: geometry: %v", f.index, err)
			}
			return [][]any{v}, nil
		}}
		err := stageFacilities(ctx, tx, src)
		if src.err != nil {
			return src.err
		}
		if err != nil {
			return fmt.Errorf("import facilities %s: %w", file, err)
		}
		if src.n == 0 {
			return invalid(file, "no facilities")
		}
		if err := recordSHA256(ctx, tx, runID, fs); err != nil {
			return err
		}
		// Two features of one id would make the upsert fail; the first repeat
		// in the file is named, with the feature it repeats.
		var idx, prev int
		var id string
		switch err := tx.QueryRow(ctx, sqlFacilitiesDuplicate).Scan(&idx, &prev, &id); {
		case err == nil:
			return invalid(file, "feature %d: field id: %q already used by feature %d", idx, id, prev)
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		n, _, err := mergeFacilities(ctx, tx, runID, source, false)
		if err != nil {
			return fmt.Errorf("import facilities %s: %w", file, err)
		}
		rep.Rows = n
		mem.sample()
		rep.Memory = &Memory{HeapInuseMiB: mib(mem.heapInuse), SysMiB: mib(mem.sys), LiveMiB: mib(mem.live)}
		im.logf("facilities: %d imported as source %s\n", n, source)
		return nil
	})
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

// facilityFeature checks one GeoJSON facility; errors name the feature and the field.
func facilityFeature(file string, f feature) (facilityRow, error) {
	pt, ok := f.geom.(orb.Point)
	if !ok {
		return facilityRow{}, invalid(file, "feature %d: geometry type %s: want Point", f.index, f.geom.GeoJSONType())
	}
	if field, err := checkLonLat(pt[0], pt[1]); err != nil {
		return facilityRow{}, invalid(file, "feature %d: coordinates: %s %v", f.index, field, err)
	}
	kind := strings.ToLower(strings.TrimSpace(str(f.props, "kind")))
	if err := checkKind(kind); err != nil {
		return facilityRow{}, invalid(file, "feature %d: field kind: %v", f.index, err)
	}
	r := facilityRow{kind: kind, name: strings.TrimSpace(str(f.props, "name")), pt: pt}
	switch c := f.props["capacity"].(type) {
	case nil:
	case float64:
		if c < 0 || c != math.Trunc(c) || c > math.MaxInt32 {
			return facilityRow{}, invalid(file, "feature %d: field capacity: %v is not a whole number ≥ 0", f.index, c)
		}
		r.capacity = int(c)
	case string:
		var err error
		if r.capacity, err = parseCapacity(c); err != nil {
			return facilityRow{}, invalid(file, "feature %d: field capacity: %v", f.index, err)
		}
	default:
		return facilityRow{}, invalid(file, "feature %d: field capacity: %s is not a number", f.index, jsonValue(c))
	}
	r.sourceID = strings.TrimSpace(str(f.props, "id"))
	if r.sourceID == "" {
		r.sourceID = fmt.Sprintf("feature/%d", f.index)
	}
	return r, nil
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
