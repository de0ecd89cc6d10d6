package postgis_test

import (
	"context"
	"testing"

	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/internal/errs"
)

// A SYNTHETIC oblast of two districts in a macroregion, 305 villages in the
// first and a finished run that checked three of them: the profile names
// the oblast and group, lists the peers and the run's latest import per
// dataset, counts the standards from the settlements' checks and draws the
// 300 largest villages of 305.
func TestAreaProfile(t *testing.T) {
	s := postgistest.New(t)
	ctx := context.Background()
	exec := func(sql string) {
		t.Helper()
		if _, err := postgistest.Pool(s).Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	if _, err := s.AreaProfile(ctx, "district", "111000000"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("profile of a missing area: %v; want NotFound", err)
	}
	box := func(w, e string) string {
		return "ST_Multi(ST_MakeEnvelope(" + w + ", 50, " + e + ", 51, 4326))"
	}
	exec(`INSERT INTO import_run (dataset, source, finished_at) VALUES ('synthetic', '/old/first.geojson', now()), ('synthetic', '/data/second.geojson', now()), ('settlements', '/data/places.geojson', now())`)
	exec(`INSERT INTO area (level, code, name_en, name_kk, name_ru, geom, geom_3857) VALUES ('macroregion', 'west', 'Synthetic West', 'Синтетикалық Батыс', 'Синтетический Запад', ` + box("70", "72") + `, ST_Transform(` + box("70", "72") + `, 3857))`)
	exec(`INSERT INTO area (level, code, name_en, group_id, geom, geom_3857) SELECT 'oblast', '110000000', 'Synthetic oblast', id, ` + box("70", "72") + `, ST_Transform(` + box("70", "72") + `, 3857) FROM area WHERE code = 'west'`)
	for _, d := range [][3]string{{"111000000", "70", "71"}, {"112000000", "71", "72"}} {
		exec(`INSERT INTO area (level, code, name_en, parent_id, group_id, population, geom, geom_3857)
			SELECT 'district', '` + d[0] + `', 'Synthetic ` + d[0] + `', o.id, o.group_id, 5000, ` + box(d[1], d[2]) + `, ST_Transform(` + box(d[1], d[2]) + `, 3857) FROM area o WHERE o.code = '110000000'`)
	}
	exec(`INSERT INTO settlement (source, source_id, name, place, population, district_id, oblast_id, geom, geom_3857)
		SELECT 'synthetic', 'v' || i, 'Synthetic v' || i, 'village', 10 * i, d.id, d.parent_id, ST_SetSRID(ST_MakePoint(70.5, 50 + i / 400.0), 4326), ST_Transform(ST_SetSRID(ST_MakePoint(70.5, 50 + i / 400.0), 4326), 3857)
		FROM area d, generate_series(1, 305) i WHERE d.code = '111000000'`)
	exec(`INSERT INTO compute_run (status, finished_at, data_generation) SELECT 'done', now(), max(id) FROM import_run`)
	// v305 (3,050 people) meets all three; v100 (1,000) only the school
	// standard, no health check; v1 (10) is not checkable.
	exec(`INSERT INTO settlement_access (run_id, settlement_id, srs_health_ok, srs_school_ok, srs_road_ok)
		SELECT r.id, s.id, CASE s.source_id WHEN 'v305' THEN true END, s.source_id <> 'v1' OR NULL, CASE s.source_id WHEN 'v305' THEN true WHEN 'v100' THEN false END
		FROM compute_run r, settlement s WHERE s.source_id IN ('v1', 'v100', 'v305')`)
	exec(`UPDATE settlement_access SET srs_school_ok = NULL WHERE settlement_id = (SELECT id FROM settlement WHERE source_id = 'v1')`)

	p, err := s.AreaProfile(ctx, "district", "111000000")
	if err != nil {
		t.Fatal(err)
	}
	if p.Oblast == nil || p.Oblast.Code != "110000000" || p.Group == nil || p.Group.Name.KK != "Синтетикалық Батыс" {
		t.Errorf("oblast %+v, group %+v; want 110000000 and Synthetic West", p.Oblast, p.Group)
	}
	if len(p.Peers) != 2 || p.Peers[0] != "111000000" || p.Peers[1] != "112000000" {
		t.Errorf("peers %v; want both districts", p.Peers)
	}
	if len(p.Datasets) != 2 || p.Datasets[0].Dataset != "settlements" || p.Datasets[1].Source != "/data/second.geojson" {
		t.Errorf("datasets %+v; want settlements and the second synthetic import", p.Datasets)
	}
	want := []access.SRSCount{
		{Standard: access.SRSHealth, Checked: 1, Met: 1, CheckedPop: 3050, MetPop: 3050},
		{Standard: access.SRSSchool, Checked: 2, Met: 2, CheckedPop: 4050, MetPop: 4050},
		{Standard: access.SRSRoad, Checked: 2, Met: 1, CheckedPop: 4050, MetPop: 3050},
	}
	if len(p.SRS) != 3 {
		t.Fatalf("SRS %+v", p.SRS)
	}
	for i := range want {
		if p.SRS[i] != want[i] {
			t.Errorf("SRS %s = %+v; want %+v", want[i].Standard, p.SRS[i], want[i])
		}
	}
	if p.Settlements != 3 || p.SettlementPopulation != 4060 {
		t.Errorf("settlements in the run %d (%d people); want 3 (4,060)", p.Settlements, p.SettlementPopulation)
	}
	m := p.Map
	if len(m.Dots) != access.MapDots || m.Total != 305 || m.Dots[0].Population != 3050 || m.Dots[len(m.Dots)-1].Population != 60 {
		t.Errorf("dots %d of %d, largest %d, smallest %d; want %d of 305, 3,050 to 60", len(m.Dots), m.Total, m.Dots[0].Population, m.Dots[len(m.Dots)-1].Population, access.MapDots)
	}
	if m.Area == "" || len(m.Context) != 1 || m.Parent == "" || m.KmPerUnit < 0.0006 || m.KmPerUnit > 0.00066 {
		t.Errorf("map: area %d bytes, %d neighbours, parent %d bytes, %v km per unit; want one neighbour and cos(50.5°)/1000", len(m.Area), len(m.Context), len(m.Parent), m.KmPerUnit)
	}
	for _, d := range m.Dots {
		if d.X < m.ViewBox[0] || d.X > m.ViewBox[0]+m.ViewBox[2] || d.Y < m.ViewBox[1] || d.Y > m.ViewBox[1]+m.ViewBox[3] {
			t.Fatalf("dot %+v outside the view %v", d, m.ViewBox)
		}
	}
	if _, err := s.AreaProfile(ctx, "oblast", "111000000"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("a district's code as an oblast: %v; want NotFound", err)
	}
}
