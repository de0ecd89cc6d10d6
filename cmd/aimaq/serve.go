package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/aimaq/aimaq/data/compute"
	"github.com/aimaq/aimaq/data/importer"
	"github.com/aimaq/aimaq/data/postgis"
	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/internal/config"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
	"github.com/aimaq/aimaq/tiles/glyphs"
	"github.com/aimaq/aimaq/web"
	"github.com/aimaq/aimaq/web/ui"
)

var (
	_ web.TileSource      = (*postgis.Store)(nil)
	_ web.AccessSource    = (*postgis.Store)(nil)
	_ web.IndicatorSource = (*postgis.Store)(nil)
	_ web.PointAccess     = (*compute.Nearby)(nil)
)

// serve is `aimaq run` (loadIfEmpty) and `aimaq serve`: database, optional
// first import, then HTTP until SIGINT/SIGTERM, then a graceful shutdown.
func (a *app) serve(ctx context.Context, loadIfEmpty bool) error {
	log := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a.supervise = true
	var archives fs.FS // a nil interface without --pmtiles
	if a.pmtiles != "" {
		var err error
		if archives, err = pmtilesFS(a.pmtiles); err != nil {
			return err
		}
	}
	// Listen first: while the database is being reached, loaded and computed,
	// health probes answer and everything else gets 503 "starting".
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.cfg.Addr, err)
	}
	var current atomic.Pointer[http.Handler]
	starting := startingHandler()
	current.Store(&starting)
	srv := &http.Server{
		Handler:           http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*current.Load()).ServeHTTP(w, r) }),
		ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	s, closeDB, err := a.openRetrying(ctx, log)
	if err != nil {
		return err
	}
	defer closeDB()
	if loadIfEmpty {
		c, err := s.Counts(ctx)
		if err != nil {
			return err
		}
		if c.Oblasts == 0 && c.Districts == 0 && c.Settlements == 0 {
			log.Info("empty database: importing the Kazakhstan data set", "dir", a.cfg.DataDir)
			start := time.Now()
			reports, err := importer.New(s, a.progress).KZ(ctx, a.cfg.DataDir)
			a.printReports(reports, false)
			if err != nil {
				return err
			}
			log.Info("import done", "took", time.Since(start).Round(time.Millisecond))
		}
	}
	// `aimaq run` recomputes when the data changed after the last run;
	// `aimaq serve` serves what there is and says so (the API and the map
	// also say it beside the figures).
	stale, err := compute.Stale(ctx, s)
	if err != nil {
		return err
	}
	switch {
	case stale && loadIfEmpty:
		log.Info("the data changed since the last compute run: computing")
		if _, err := a.compute(ctx, s); err != nil {
			return err
		}
	case stale:
		log.Warn("the data changed since the last compute run (or there is none): the figures served are older than the data until `aimaq compute` runs")
	}
	// Little WAL to replay if postgres dies now: the supervisor's restart is quick.
	if err := s.Checkpoint(ctx); err != nil {
		log.Debug("checkpoint refused", "err", err)
	}
	if !ui.Built() {
		log.Warn("the web front end was not built (run `make ui`); / will answer 404")
	}
	// A nil *glyphs.Fonts inside the interface would not be a nil interface: keep it unset without fonts.
	var glyphSrc web.GlyphSource
	if fonts, err := dejaVu(); err != nil {
		log.Warn("map labels have no fonts; install fonts-dejavu-core (scripts/setup does)", "err", err)
	} else {
		glyphSrc = fonts
	}
	// The database's state, kept in the background: /readyz answers from it,
	// /healthz fails after a minute without the database.
	monitor := web.NewMonitor(ctx, s, web.MonitorOptions{Logger: log})
	// Another server's import or compute run on the same database reaches
	// this one's tile cache at once (LISTEN/NOTIFY), not after a poll.
	changed := make(chan struct{}, 1)
	go s.WatchGeneration(ctx, changed, log)
	h := web.New(web.Options{
		Tiles:             s,
		Health:            s,
		Monitor:           monitor,
		GenerationChanged: changed,
		Access:            s,
		Runs:              s,
		Indicators:        s,
		Features:          s,
		Scenarios:         s,
		ScenarioEval:      compute.NewBaselines(s),
		Extent:            s,
		Glyphs:            glyphSrc,
		Point:             compute.NewNearby(s, access.DefaultOptions()),
		UI:                ui.FS(),
		PMTiles:           archives,
		PublicURL:         a.cfg.PublicURL,
		AllowedHosts:      config.List(a.cfg.AllowedHosts),
		CORSOrigins:       config.List(a.cfg.CORSOrigins),
		QueryTimeout:      a.cfg.QueryTimeout,
		WarmMaxZoom:       a.cfg.WarmMaxZoom,
		Logger:            log,
	})
	current.Store(&h)
	// The exact address matters when the port was :0 (tests) — print it in a fixed form.
	fmt.Fprintf(a.stdout, "aimaq: serving on http://%s\n", displayAddr(ln.Addr()))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// startingHandler answers while aimaq starts (database, first import,
// compute): /healthz is alive, everything else 503 with Retry-After.
func startingHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.URL.Path == "/healthz" {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = io.WriteString(w, "starting\n")
			return
		}
		w.Header().Set("Retry-After", "5")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"error":"starting: the database is being reached, loaded or computed"}`+"\n")
	})
}

// openRetrying is open; with an external database (AIMAQ_DATABASE_URL) that
// cannot be reached it retries with backoff (0.5 s doubling to 30 s) until
// it can or ctx ends, instead of exiting, so aimaq can start before its
// database.
func (a *app) openRetrying(ctx context.Context, log *slog.Logger) (*postgis.Store, func(), error) {
	backoff := 500 * time.Millisecond
	for {
		s, closeDB, err := a.open(ctx)
		if err == nil || a.cfg.DatabaseURL == "" || errs.KindOf(err) != errs.Unavailable || ctx.Err() != nil {
			return s, closeDB, err
		}
		log.Warn("database unreachable: retrying", "in", backoff, "err", err)
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

// fontDir is where Debian's fonts-dejavu-core puts the fonts map labels use.
const fontDir = "/usr/share/fonts/truetype/dejavu/"

// dejaVu loads the label fonts (DejaVu Sans, regular and bold) from Debian's package.
func dejaVu() (*glyphs.Fonts, error) {
	reg, err := os.ReadFile(fontDir + "DejaVuSans.ttf")
	if err != nil {
		return nil, err
	}
	bold, err := os.ReadFile(fontDir + "DejaVuSans-Bold.ttf")
	if err != nil {
		return nil, err
	}
	return glyphs.New(glyphs.Font{Name: tiles.Fonts, Data: reg}, glyphs.Font{Name: "DejaVu Sans Bold", Data: bold})
}

func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, fmt.Sprint(tcp.Port))
}
