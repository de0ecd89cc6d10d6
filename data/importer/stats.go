package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/aimaq/aimaq/data/reference"
	"github.com/jackc/pgx/v5"
)

var sqlStatsUpsert = mustSQL("stats_upsert.sql")

// StatsOptions names the statistic a CSV holds; empty fields are inferred
// from the file name and header.
type StatsOptions struct {
	Stat string // population | schools | medical_institutions
	Year int
}

var yearRe = regexp.MustCompile(`(19|20)[0-9]{2}`)

// Stats imports a regional statistics CSV (Bureau of National Statistics, as
// published by open-data-kazakhstan): one row per first-level unit, by English
// region name, mapped to KATO through data/reference/regions.csv. Population
// also becomes the official population of the oblasts and the country.
func (im *Importer) Stats(ctx context.Context, file string, o StatsOptions) (*Report, error) {
	content, err := os.ReadFile(file)
	if err != nil {
		return nil, invalid(file, "%v", err)
	}
	regions, err := reference.Regions()
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(content, []byte("\ufeff"))))
	header, err := r.Read()
	if err != nil {
		return nil, invalid(file, "line 1: cannot read the header: %v", err)
	}
	base := strings.ToLower(filepath.Base(file))
	if o.Stat == "" {
		switch {
		case strings.Contains(base, "population"):
			o.Stat = "population"
		case strings.Contains(base, "school"):
			o.Stat = "schools"
		case strings.Contains(base, "medical"), strings.Contains(base, "hospital"):
			o.Stat = "medical_institutions"
		default:
			return nil, invalid(file, "cannot tell which statistic the file holds from its name: pass --stat population|schools|medical_institutions")
		}
	}
	// Where is the value, and where is the year?
	valueCol, yearCol := -1, -1
	for i, h := range header {
		h = strings.TrimSpace(h)
		switch {
		case strings.EqualFold(h, "Total"), strings.EqualFold(h, "Value"):
			valueCol = i
		case strings.EqualFold(h, "Year"):
			yearCol = i
		case yearRe.MatchString(h) && len(h) == 4 && valueCol < 0:
			valueCol = i
			if o.Year == 0 {
				o.Year, _ = strconv.Atoi(h)
			}
		}
	}
	if len(header) < 2 || !strings.EqualFold(strings.TrimSpace(header[0]), "Region") {
		return nil, invalid(file, "line 1: header %q: want Region as the first column", strings.Join(header, ","))
	}
	if valueCol < 0 {
		return nil, invalid(file, "line 1: header %q: no Total, Value or year column", strings.Join(header, ","))
	}
	if o.Year == 0 && yearCol < 0 {
		if y := yearRe.FindString(base); y != "" {
			o.Year, _ = strconv.Atoi(y)
		} else {
			return nil, invalid(file, "no year in the header or the file name: pass --year")
		}
	}
	type row struct {
		line  int
		kato  string
		year  int
		value float64
	}
	var rows []row
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return nil, invalid(file, "line %d: %v", line, err)
		}
		name := strings.TrimSpace(rec[0])
		reg, ok := regions[name]
		if !ok {
			return nil, invalid(file, "line %d, field Region: unknown region name %q (known names are in data/reference/regions.csv)", line, name)
		}
		if prev, dup := seen[reg.KATO]; dup {
			return nil, invalid(file, "line %d: region %q already given on line %d", line, name, prev)
		}
		seen[reg.KATO] = line
		v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(rec[valueCol]), " ", ""), 64)
		if err != nil || v < 0 {
			return nil, invalid(file, "line %d, field %s: %q is not a non-negative number", line, header[valueCol], rec[valueCol])
		}
		y := o.Year
		if yearCol >= 0 && o.Year == 0 {
			if y, err = strconv.Atoi(strings.TrimSpace(rec[yearCol])); err != nil {
				return nil, invalid(file, "line %d, field Year: %q is not a year", line, rec[yearCol])
			}
		}
		rows = append(rows, row{line: line, kato: reg.KATO, year: y, value: v})
	}
	if len(rows) == 0 {
		return nil, invalid(file, "no data rows")
	}
	return im.inTx(ctx, "stats:"+o.Stat, file, content, func(tx pgx.Tx, runID int64, rep *Report) error {
		for _, r := range rows {
			var areaID int64
			err := tx.QueryRow(ctx, `SELECT id FROM area WHERE level IN ('country','oblast') AND code = $1`, r.kato).Scan(&areaID)
			if err == pgx.ErrNoRows {
				return invalid(file, "line %d: no area with KATO %s: import the boundaries first", r.line, r.kato)
			} else if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, sqlStatsUpsert, areaID, o.Stat, r.year, r.value, runID); err != nil {
				return err
			}
			if o.Stat == "population" {
				if _, err := tx.Exec(ctx, `UPDATE area SET population = $2, population_year = $3, population_estimated = false WHERE id = $1`,
					areaID, int64(r.value), r.year); err != nil {
					return err
				}
			}
			rep.Rows++
		}
		im.logf("stats %s: %d rows\n", o.Stat, rep.Rows)
		return nil
	})
}
