package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/web"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// Many servers, one database (issue 11.6): two servers, each with a store
// (and a pool) of its own on one database and a generation they trust for an
// hour, cache a tile; an import committed by a third connection reaches both
// through LISTEN/NOTIFY, and neither serves the cached tile after it. A
// rolled-back import announces nothing. SYNTHETIC data.
func TestServersStayCoherent(t *testing.T) {
	u := postgistest.NewURL(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	open := func() *postgis.Store {
		s, err := postgis.Open(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s
	}
	s0 := open()
	if _, err := s0.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.New(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	exec := func(sql string) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	box := `ST_Multi(ST_MakeEnvelope(60, 44, 63, 45, 4326))`
	exec(`INSERT INTO import_run (dataset, source, finished_at) VALUES ('synthetic', 'coherence test: first data', now())`)
	exec(`INSERT INTO area (level, code, name_en, area_km2, population, geom, geom_3857) VALUES
		('district', '110000000', 'Synthetic district', 100, 1000, ` + box + `, ST_Transform(` + box + `, 3857))`)

	var servers []http.Handler
	for range 2 {
		s := open()
		changed := make(chan struct{}, 1)
		go s.WatchGeneration(ctx, changed, nil)
		servers = append(servers, web.New(web.Options{Tiles: s, GenerationChanged: changed, GenerationTTL: time.Hour}))
	}
	tile := maptile.At(orb.Point{61.5, 44.5}, 6)
	path := fmt.Sprintf("/tiles/districts/%d/%d/%d.mvt", tile.Z, tile.X, tile.Y)
	get := func(h http.Handler) (etag, body string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		return rec.Header().Get("ETag"), rec.Body.String()
	}
	// Each server has heard its LISTEN connection's first signal once the
	// tile it serves is the current one; from then on it trusts its cache.
	before := make([]string, len(servers))
	for i, h := range servers {
		waitFor(t, 10*time.Second, func() bool {
			_, body := get(h)
			return strings.Contains(body, "Synthetic district")
		})
		before[i], _ = get(h)
	}

	// A rolled-back import is never announced: the cache stays in use.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO import_run (dataset, source) VALUES ('synthetic', 'coherence test: failed')`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE area SET name_en = 'Never seen'`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}

	// The data changes behind the servers' backs, without a new generation:
	// a server trusting its cache keeps serving the cached tile, which shows
	// that only the announcement below can make them drop it.
	exec(`UPDATE area SET name_en = 'Renamed quietly'`)
	for i, h := range servers {
		if etag, body := get(h); etag != before[i] || strings.Contains(body, "Renamed quietly") {
			t.Fatalf("server %d did not serve its cached tile (%s → %s)", i, before[i], etag)
		}
	}

	// An import committed through another connection: both servers serve
	// the new tile as soon as they hear of it.
	start := time.Now()
	exec(`BEGIN; UPDATE area SET name_en = 'Renamed by an import';
		INSERT INTO import_run (dataset, source, finished_at) VALUES ('synthetic', 'coherence test: second data', now()); COMMIT`)
	for i, h := range servers {
		waitFor(t, 10*time.Second, func() bool {
			_, body := get(h)
			return strings.Contains(body, "Renamed by an import")
		})
		t.Logf("server %d serves the new tile %v after the commit", i, time.Since(start).Round(time.Millisecond))
	}
}

// waitFor polls ok every 10 ms until it holds or the deadline passes.
func waitFor(t *testing.T, deadline time.Duration, ok func() bool) {
	t.Helper()
	end := time.Now().Add(deadline)
	for !ok() {
		if time.Now().After(end) {
			t.Fatalf("not within %v", deadline)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
