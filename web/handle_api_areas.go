package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/level"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/gorilla/mux"
	"github.com/paulmach/orb/geojson"
)

// Media types of the three answers of /api/areas/{level}.
const (
	formatJSON    = "json"
	formatCSV     = "csv"
	formatGeoJSON = "geojson"

	mediaJSON    = "application/json"
	mediaCSV     = "text/csv"
	mediaGeoJSON = "application/geo+json"
)

// utf8BOM makes Excel open a CSV file as UTF-8 rather than the system code
// page, which would garble Cyrillic names; other tools prefer no BOM.
const utf8BOM = "\xEF\xBB\xBF"

// handleAreas serves GET /api/areas/{level}?indicator=..&format=json|csv|geojson:
// one area indicator for every area of the level, as JSON (the default), CSV
// or GeoJSON. The format comes from the format parameter, else from Accept.
// 400 for an unknown level, format or a missing indicator (listing the
// available ones), 404 for an indicator without values in the latest run.
func (s *server) handleAreas(w http.ResponseWriter, r *http.Request) error {
	lvl, err := level.Parse(mux.Vars(r)["level"], level.Any)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	format, err := areaFormat(q.Get("format"), r.Header.Get("Accept"))
	if err != nil {
		return err
	}
	bom, err := parseFlag(q, "bom")
	if err != nil {
		return err
	}
	if s.access == nil {
		return errNoAccessData
	}
	ctx, cancel := s.apiContext(r)
	defer cancel()

	if q.Get("indicator") == "" {
		// Name the choices: a client guessing names should not need a
		// second request to learn them.
		names, err := s.access.AreaIndicatorNames(ctx)
		if err != nil {
			return err
		}
		if len(names) == 0 {
			return errs.E(errs.Invalid, "indicator is required; no area indicators are computed yet: run aimaq compute")
		}
		return errs.E(errs.Invalid, "indicator is required: want one of %s", strings.Join(names, ", "))
	}
	in, err := indicator.Parse(q.Get("indicator"))
	if err != nil {
		return err
	}
	name := in.Name
	compare, err := parseCompare(q.Get("compare"))
	if err != nil {
		return err
	}
	table, err := s.access.AreaIndicator(ctx, string(lvl), name, format == formatGeoJSON)
	if err != nil {
		return err
	}
	var change *runComparison
	if compare != 0 {
		if change, err = s.areaChange(ctx, table, compare); err != nil {
			return err
		}
		name += "_change" // the CSV column and GeoJSON property say it is a difference
	}
	apiHeaders(w)
	w.Header().Set("Vary", "Accept")
	switch format {
	case formatCSV:
		return writeAreaCSV(w, table, string(lvl), name, bom)
	case formatGeoJSON:
		return writeAreaGeoJSON(w, table, name)
	}
	if table.Rows == nil {
		table.Rows = []access.AreaRow{} // "areas": [] rather than null
	}
	if change != nil {
		writeJSON(w, http.StatusOK, areaChangeTable{table, change})
		return nil
	}
	writeJSON(w, http.StatusOK, table)
	return nil
}

// areaFormat picks the answer's format: the format parameter wins; else the
// acceptable media type of highest quality; else JSON.
func areaFormat(param, accept string) (string, error) {
	switch param {
	case formatJSON, formatCSV, formatGeoJSON:
		return param, nil
	case "":
	default:
		return "", errs.E(errs.Invalid, "format=%q unknown: want json, csv or geojson", errs.Shorten(param))
	}
	best, bestQ := formatJSON, 0.0
	for _, rng := range strings.Split(accept, ",") {
		media, params, _ := strings.Cut(rng, ";")
		var f string
		switch strings.ToLower(strings.TrimSpace(media)) {
		case mediaCSV:
			f = formatCSV
		case mediaGeoJSON:
			f = formatGeoJSON
		case mediaJSON:
			f = formatJSON
		default:
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.TrimSpace(k) == "q" {
				if x, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && x >= 0 && x <= 1 {
					q = x
				}
			}
		}
		if q > bestQ {
			best, bestQ = f, q
		}
	}
	return best, nil
}

// areaCSVHeader is the header row of the CSV answer; the indicator's own
// name stands for its value column.
func areaCSVHeader(indicator string) []string {
	return []string{"id", "code", "name_kk", "name_ru", "name_en", indicator, "population", "method"}
}

// writeAreaCSV writes the table as UTF-8 CSV (RFC 4180, CRLF line ends),
// as a download named after the level and indicator. An empty cell is a
// value that could not be computed.
func writeAreaCSV(w http.ResponseWriter, t *access.AreaTable, level, indicator string, bom bool) error {
	var buf bytes.Buffer
	if bom {
		buf.WriteString(utf8BOM)
	}
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	_ = cw.Write(areaCSVHeader(indicator)) // a bytes.Buffer does not fail
	for _, row := range t.Rows {
		_ = cw.Write([]string{
			strconv.FormatInt(row.ID, 10),
			row.Code,
			row.NameKK,
			row.NameRU,
			row.NameEN,
			formatValue(row.Value),
			strconv.FormatInt(row.Population, 10),
			row.Method,
		})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return errs.Wrap(errs.Internal, err, "write CSV of %s/%s", level, indicator)
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="aimaq-`+level+"-"+indicator+`.csv"`)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes()) // the status is sent; a failed write has nowhere to go
	return nil
}

// formatValue writes a value with the digits it needs and no exponent, so
// spreadsheets read it as a number; nil is an empty cell.
func formatValue(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// writeAreaGeoJSON writes the table as a FeatureCollection: one feature per
// area with its geometry, the area's id as the feature id, and the CSV
// columns as properties. The level, indicator and run are foreign members
// of the collection.
func writeAreaGeoJSON(w http.ResponseWriter, t *access.AreaTable, indicator string) error {
	fc := geojson.NewFeatureCollection()
	fc.ExtraMembers = geojson.Properties{"level": t.Level, "indicator": t.Indicator, "run_id": t.RunID}
	for _, row := range t.Rows {
		f := geojson.NewFeature(row.Geometry)
		f.ID = row.ID
		var value any
		if row.Value != nil {
			value = *row.Value
		}
		f.Properties = geojson.Properties{
			"id":         row.ID,
			"code":       row.Code,
			"name_kk":    row.NameKK,
			"name_ru":    row.NameRU,
			"name_en":    row.NameEN,
			indicator:    value,
			"population": row.Population,
			"method":     row.Method,
		}
		fc.Append(f)
	}
	body, err := fc.MarshalJSON()
	if err != nil {
		return errs.Wrap(errs.Internal, err, "encode GeoJSON of %s/%s", t.Level, indicator)
	}
	h := w.Header()
	h.Set("Content-Type", mediaGeoJSON)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return nil
}
