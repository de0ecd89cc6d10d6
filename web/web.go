// Package web is aimaq's HTTP layer: routes, handlers, middleware and the
// mapping of error kinds to status codes. It knows the tiles package and
// small interfaces of its own, never the database driver; cmd/aimaq wires a
// *postgis.Store in as the TileSource and Pinger.
package web

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/aimaq/aimaq/geo/access"
	"github.com/aimaq/aimaq/tiles"
	"github.com/gorilla/mux"
)

// TileSource cuts vector tiles. Generation changes whenever the data behind
// the tiles does, and keys the tile cache.
type TileSource interface {
	Tile(ctx context.Context, l tiles.Layer, t tiles.Tile) ([]byte, error)
	Generation(ctx context.Context) (int64, error)
}

// GenerationTileSource is a TileSource that cuts a tile of a data generation
// the server already knows (postgis.Store: from memory once that generation
// is loaded, in SQL until then); the server prefers it to Tile.
type GenerationTileSource interface {
	TileAt(ctx context.Context, l tiles.Layer, t tiles.Tile, gen int64) ([]byte, error)
}

// AccessSource answers the accessibility questions of the latest finished
// compute run.
type AccessSource interface {
	// SettlementAccess returns errs.NotFound when the settlement does not
	// exist or no compute run has finished yet (the message says "run aimaq
	// compute").
	SettlementAccess(ctx context.Context, id int64) (*access.SettlementReport, error)
	// AreaIndicator returns one area indicator over all areas of level
	// (district, oblast, macroregion, agglomeration, country), with each
	// area's geometry when withGeometry. errs.Invalid for an unknown level,
	// errs.NotFound for an indicator with no values in the latest run.
	AreaIndicator(ctx context.Context, level, indicator string, withGeometry bool) (*access.AreaTable, error)
	// AreaIndicatorNames returns the names of the latest run's area
	// indicators, sorted.
	AreaIndicatorNames(ctx context.Context) ([]string, error)
}

// RunSource tells the compute runs kept and their area values, for change
// over time (issue 10.6).
type RunSource interface {
	// Runs lists the kept compute runs, newest first.
	Runs(ctx context.Context) ([]access.Run, error)
	// RunAreaIndicator is AccessSource.AreaIndicator (without geometry) for
	// a given finished run: errs.NotFound for a run that does not exist, was
	// not kept or did not finish.
	RunAreaIndicator(ctx context.Context, runID int64, level, indicator string) (*access.AreaTable, error)
}

// PointAccess finds what is near any point, not only a settlement.
type PointAccess interface {
	PointAccess(ctx context.Context, lon, lat float64) (*access.PointReport, error)
}

// GlyphSource makes the glyph ranges map labels are drawn with (MapLibre's
// glyph protobuf, 256 code points at a time); *glyphs.Fonts is one.
type GlyphSource interface {
	// Glyphs returns the range start..end of fontstack, a comma-separated
	// list of font names: errs.NotFound when it names no font the source
	// has, errs.Invalid for a range that is not 256 code points from a
	// multiple of 256.
	Glyphs(ctx context.Context, fontstack string, start, end int) ([]byte, error)
}

// Pinger reports whether the database answers, for /readyz.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Options is what New needs. Tiles is required; the rest have defaults.
type Options struct {
	Tiles  TileSource
	Health Pinger // nil: /readyz is always ready
	// Monitor, when set, keeps the database state in the background: /readyz
	// answers from it and /healthz fails after its grace period.
	Monitor *Monitor
	// Access and Point answer the /api/ accessibility routes; nil makes
	// those routes answer 503 "accessibility data not available".
	Access AccessSource
	Point  PointAccess
	// Runs answers /api/runs, compare= and the disparity history; nil
	// makes them answer 503.
	Runs RunSource
	// Glyphs serves /fonts/{fontstack}/{range}.pbf, the glyphs of map
	// labels; nil answers 404 for every font.
	Glyphs GlyphSource
	// Indicators tells which area indicators exist (nil: catalogue without provenance; disparity answers 503).
	Indicators IndicatorSource
	// Features serves the OGC API – Features collections under /ogc; nil
	// makes /ogc/collections and below answer 503 "feature data not
	// available" (the landing page and conformance still answer).
	Features FeatureSource
	// Extent tells the imported country's extent; nil serves the whole world.
	Extent ExtentSource
	UI     fs.FS // the built front end, index.html at its root; nil serves no UI
	// PMTiles holds the .pmtiles archives served at /pmtiles/{name}.pmtiles
	// with range requests and listed at /pmtiles; nil serves none.
	PMTiles fs.FS
	// Scenarios keeps scenarios and the tokens writes need (/api/scenarios);
	// nil makes those routes answer 503.
	Scenarios ScenarioStore
	// ScenarioEval evaluates scenarios on the latest run's baseline
	// (/api/scenarios/{id}/evaluation, /api/scenarios/compare); nil makes
	// those routes answer 503.
	ScenarioEval ScenarioEvaluator
	// PublicURL is the base of absolute links (TileJSON tile URLs), such as
	// https://maps.example.kz; empty derives it from each request's Host and
	// X-Forwarded-Proto.
	PublicURL string
	// AllowedHosts are the Host header values (host or host:port) absolute
	// links may be built from when PublicURL is empty; any other Host gets
	// relative links. Empty allows loopback names and this machine's own
	// addresses.
	AllowedHosts []string
	// CORSOrigins are the origins a browser script may read answers from;
	// empty means "*" (any: the API is read-only).
	CORSOrigins  []string
	QueryTimeout time.Duration // per request; 0 means 10 s
	// TileSlots and APISlots bound the tile and API/OGC/style requests at work
	// at once (a queue of four times as many waits up to 100 ms; beyond, 503);
	// 0 means 16 and 4 per CPU.
	TileSlots, APISlots int
	// CacheBytes bounds the in-memory tile cache; 0 means 64 MiB, negative
	// disables it.
	CacheBytes int64
	// GenerationChanged signals that the data generation may have changed
	// (postgis.Store.WatchGeneration: LISTEN/NOTIFY), so that a server
	// behind a load balancer drops its cached tiles as soon as another
	// server's import or compute run commits; nil relies on the polling
	// every GenerationTTL alone.
	GenerationChanged <-chan struct{}
	// GenerationTTL is how long a data generation is trusted before it is
	// asked again; 0 means 1 s.
	GenerationTTL time.Duration
	// WarmMaxZoom is the deepest zoom the cache is warmed to after each data
	// generation change (every layer over the imported country, in the
	// background, only while the tile class is idle; see warm.go): 0 means
	// 8, negative disables warming. Without Extent nothing is warmed.
	WarmMaxZoom int
	Catalogue   *tiles.Catalogue // nil means tiles.NewCatalogue()
	Logger      *slog.Logger     // nil discards
}

const (
	defaultQueryTimeout = 10 * time.Second
	defaultCacheBytes   = 64 << 20
	readyTimeout        = 2 * time.Second
	// generationTTL is how long a data generation is trusted before it is
	// asked again: a re-import shows in tiles within this time (plus the
	// clients' max-age), and a busy map costs one cheap query a second
	// rather than one per tile.
	generationTTL = time.Second
)

// server holds what the handlers share.
type server struct {
	src          TileSource
	health       Pinger
	access       AccessSource
	point        PointAccess
	runs         RunSource
	glyphs       GlyphSource
	indicators   IndicatorSource
	features     FeatureSource
	scenarios    ScenarioStore
	scenarioEval ScenarioEvaluator
	ui           fs.FS
	pmtiles      fs.FS
	publicURL    string
	queryTimeout time.Duration
	catalogue    *tiles.Catalogue
	cache        *tiles.Cache
	log          *slog.Logger
	generation   generationMemo
	extent       ExtentSource
	extentMemo   extentMemo
	uiETags      sync.Map // file name → ETag of its content
	mux          *mux.Router
	corsOrigins  []string // allowed origins; "*" any
	allowedHosts []string // Host values links may be built from (see baseURL)
	classes      shedClasses
	monitor      *Monitor
	errLog       logLimiter
	warm         *warmer // nil: warming disabled

	// scenarioLayers keeps the evaluations behind scenario tiles.
	scenarioLayers scenarioLayerCache
}

// New returns the HTTP handler of aimaq: tiles, TileJSON, the accessibility
// API, health probes and the front end.
func New(o Options) http.Handler {
	return newServer(o).routes()
}

func newServer(o Options) *server {
	s := &server{
		src:          o.Tiles,
		health:       o.Health,
		monitor:      o.Monitor,
		access:       o.Access,
		point:        o.Point,
		runs:         o.Runs,
		glyphs:       o.Glyphs,
		indicators:   o.Indicators,
		features:     o.Features,
		scenarios:    o.Scenarios,
		scenarioEval: o.ScenarioEval,
		extent:       o.Extent,
		ui:           o.UI,
		pmtiles:      o.PMTiles,
		publicURL:    o.PublicURL,
		queryTimeout: o.QueryTimeout,
		catalogue:    o.Catalogue,
		log:          o.Logger,
		corsOrigins:  o.CORSOrigins,
		allowedHosts: o.AllowedHosts,
	}
	if len(s.corsOrigins) == 0 {
		s.corsOrigins = []string{"*"}
	}
	if s.queryTimeout <= 0 {
		s.queryTimeout = defaultQueryTimeout
	}
	if s.catalogue == nil {
		s.catalogue = tiles.NewCatalogue()
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	size := o.CacheBytes
	if size == 0 {
		size = defaultCacheBytes
	}
	s.cache = tiles.NewCache(size) // size < 0 stores nothing
	s.classes = newShedClasses(o.TileSlots, o.APISlots)
	s.generation.ttl = generationTTL
	if o.GenerationTTL > 0 {
		s.generation.ttl = o.GenerationTTL
	}
	s.warm = newWarmer(s, o.WarmMaxZoom, size)
	if s.warm != nil {
		s.generation.learnt = s.warm.kick
	}
	if o.GenerationChanged != nil {
		go func() {
			for range o.GenerationChanged {
				s.generation.invalidate()
				s.warm.kick() // learns the new generation without waiting for a request
			}
		}()
	}
	return s
}

// generationMemo remembers the data generation for a short time. Only one
// request asks the database at a time; the others go on with the last known
// generation meanwhile. When the database cannot answer, the last known
// generation is returned as stale (for at most staleFor), so cached tiles
// keep flowing while the database blinks.
type generationMemo struct {
	ttl      time.Duration
	mu       sync.Mutex
	gen      int64
	at       time.Time // when gen was read; zero: never
	asking   bool      // a request is asking the database now
	failedAt time.Time // the last failed ask
	failErr  error
	// epoch counts the announced changes; askedEpoch is the epoch when
	// the last successful ask began: gen is current only while they agree.
	epoch, askedEpoch uint64
	// learnt, when set, is called (without the lock held) after an ask
	// that found a new generation, or answered after a failure.
	learnt func()
}

// invalidate says the generation may have changed: the next request asks
// the database, even within the TTL.
func (m *generationMemo) invalidate() {
	m.mu.Lock()
	m.epoch++
	m.mu.Unlock()
}

// generationTimeout bounds the ask for the generation, so a database that
// does not answer holds no tile request for long.
const generationTimeout = time.Second

// staleFor is how long tiles of the last known generation are served while
// the database cannot be asked; after it, requests get the error.
const staleFor = 10 * time.Minute

func (m *generationMemo) get(ctx context.Context, src TileSource) (gen int64, stale bool, err error) {
	m.mu.Lock()
	known := !m.at.IsZero()
	current := m.askedEpoch == m.epoch // no change announced since the last ask began
	switch {
	case known && current && time.Since(m.at) < m.ttl:
		defer m.mu.Unlock()
		return m.gen, false, nil
	case known && current && m.asking:
		defer m.mu.Unlock()
		return m.gen, false, nil // someone is asking: the last one is a second old
	case !m.failedAt.IsZero() && time.Since(m.failedAt) < m.ttl:
		defer m.mu.Unlock()
		return m.staleLocked()
	}
	m.asking = true
	epoch := m.epoch
	m.mu.Unlock()

	qctx, cancel := context.WithTimeout(ctx, generationTimeout)
	g, err := src.Generation(qctx)
	cancel()

	m.mu.Lock()
	if err == nil && m.learnt != nil && (m.at.IsZero() || g != m.gen || !m.failedAt.IsZero()) {
		defer m.learnt() // deferred before the unlock, so it runs after it
	}
	defer m.mu.Unlock()
	m.asking = false
	if err != nil {
		if ctx.Err() != nil {
			return 0, false, err // the client left; say nothing about the database
		}
		m.failedAt, m.failErr = time.Now(), err
		return m.staleLocked()
	}
	m.gen, m.at, m.failedAt, m.failErr = g, time.Now(), time.Time{}, nil
	m.askedEpoch = max(m.askedEpoch, epoch)
	return g, false, nil
}

// staleLocked is the last known generation marked stale, or the failure
// when there is none (or it is too old).
func (m *generationMemo) staleLocked() (int64, bool, error) {
	if m.at.IsZero() || time.Since(m.at) > staleFor {
		return 0, false, m.failErr
	}
	return m.gen, true, nil
}
