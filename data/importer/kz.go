package importer

import (
	"context"
	"os"
	"path/filepath"
)

// KZFiles are the files of the real Kazakhstan data set, relative to its
// directory (AIMAQ_DATA_DIR), in import order. SOURCES.md there gives their origin.
var KZFiles = struct {
	Country, Oblasts, Districts, Centres, Settlements string
	Stats                                             []string
}{
	Country:     "boundaries/kz_adm0_country.geojson",
	Oblasts:     "boundaries/kz_adm1_oblasts_2024.geojson",
	Districts:   "boundaries/kz_adm2_districts_2024.geojson",
	Centres:     "boundaries/kz_adm1_centres_2022.geojson",
	Settlements: "settlements/kz_populated_places_osm.geojson",
	Stats: []string{
		"stats/kz_adm1_population_2023-01-01.csv",
		"stats/kz_adm1_schools_2022.csv",
		"stats/kz_adm1_medical_institutions_2022.csv",
	},
}

// KZ imports the whole Kazakhstan data set from dir in dependency order:
// country, oblasts, districts, groups, centres, statistics, settlements. Each dataset is
// its own transaction; the first failure stops the run and names the file.
func (im *Importer) KZ(ctx context.Context, dir string) ([]*Report, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, invalid(dir, "data directory: %v (set AIMAQ_DATA_DIR; see README for where the files come from)", err)
	}
	p := func(rel string) string { return filepath.Join(dir, rel) }
	steps := []func() (*Report, error){
		func() (*Report, error) { return im.Boundaries(ctx, p(KZFiles.Country), "country") },
		func() (*Report, error) { return im.Boundaries(ctx, p(KZFiles.Oblasts), "oblast") },
		func() (*Report, error) { return im.Boundaries(ctx, p(KZFiles.Districts), "district") },
		func() (*Report, error) { return im.Groups(ctx) },
		func() (*Report, error) { return im.Centres(ctx, p(KZFiles.Centres)) },
	}
	for _, f := range KZFiles.Stats {
		steps = append(steps, func() (*Report, error) { return im.Stats(ctx, p(f), StatsOptions{}) })
	}
	steps = append(steps, func() (*Report, error) { return im.Settlements(ctx, p(KZFiles.Settlements)) })
	var reports []*Report
	for _, step := range steps {
		r, err := step()
		if err != nil {
			return reports, err
		}
		reports = append(reports, r)
	}
	return reports, nil
}
