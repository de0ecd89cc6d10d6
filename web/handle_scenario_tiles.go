package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/aimaq/aimaq/geo/scenario"
	"github.com/aimaq/aimaq/internal/errs"
	"github.com/aimaq/aimaq/tiles"
	"github.com/gorilla/mux"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// ScenarioTiler cuts the tiles of a scenario's layers from the features
// given; the ScenarioStore is asked for it when it is one (*postgis.Store is).
type ScenarioTiler interface {
	// ScenarioTile returns the MVT of tile t of layer (districts or
	// settlements) with the features whose ids props holds, each with its
	// properties; nil when none is in the tile.
	ScenarioTile(ctx context.Context, layer string, t tiles.Tile, props map[int64]map[string]any) ([]byte, error)
}

// scenarioLayers are a scenario's results as tile layers (issue 12.2): the
// delta choropleth of the districts and the changed settlements. Their
// fields derive from the scenario engine's figures and the indicator
// catalogue.
var scenarioLayers = func() []tiles.Layer {
	district := map[string]string{
		"code":    "String: KATO code",
		"name_kk": "String: name in Kazakh",
		"name_ru": "String: name in Russian",
		"name_en": "String: name in English",
	}
	for _, name := range scenario.AreaIndicatorNames() {
		in, _ := indicator.Lookup(name)
		title := in.Title.EN
		district[name+"_before"] = fmt.Sprintf("Number: %s, %s, in the baseline compute run", title, in.Unit)
		district[name+"_after"] = fmt.Sprintf("Number: %s, %s, with the scenario", title, in.Unit)
		district[name+"_delta"] = fmt.Sprintf("Number: change of %s, %s (after − before)", title, in.Unit)
	}
	settlement := map[string]string{
		"name":            "String: name as tagged in OpenStreetMap",
		"name_kk":         "String: name in Kazakh",
		"name_ru":         "String: name in Russian",
		"name_en":         "String: name in English",
		"population":      "Number: people",
		"newly_meeting":   "Boolean: meets a regional standard it did not meet before",
		"no_longer_meets": "Boolean: no longer meets a regional standard it met before",
	}
	for _, name := range scenario.FigureNames() {
		in, _ := indicator.LookupSettlement(name)
		settlement[name+"_before"] = fmt.Sprintf("Number: %s, %s, in the baseline compute run", in.Description, in.Unit)
		settlement[name+"_after"] = fmt.Sprintf("Number: %s, %s, with the scenario", in.Description, in.Unit)
		settlement[name+"_delta"] = fmt.Sprintf("Number: change of %s, %s (after − before)", name, in.Unit)
		if in.Routing != indicator.Derived {
			settlement[name+"_method_before"] = "String: network, straight-line or estimated: how " + name + "_before was made"
			settlement[name+"_method_after"] = "String: network, straight-line or estimated: how " + name + "_after was made"
		}
	}
	for _, std := range []string{"health", "school", "road"} {
		settlement["srs_"+std+"_ok_before"] = "Boolean: meets the " + std + " standard in the baseline compute run"
		settlement["srs_"+std+"_ok_after"] = "Boolean: meets the " + std + " standard with the scenario"
	}
	return []tiles.Layer{
		{
			Name:        "districts",
			Description: "Delta choropleth of a scenario: the districts whose area indicators the scenario changes, each changed indicator before, after and its change.",
			Attribution: "aimaq scenario evaluation",
			MinZoom:     0,
			MaxZoom:     14,
			Fields:      district,
		},
		{
			Name:        "settlements",
			Description: "The settlements whose figures a scenario changes: each figure before, after, its change and how it was made.",
			Attribution: "aimaq scenario evaluation",
			MinZoom:     0,
			MaxZoom:     14,
			Fields:      settlement,
		},
	}
}()

func scenarioLayer(name string) (tiles.Layer, error) {
	for _, l := range scenarioLayers {
		if l.Name == name {
			return l, nil
		}
	}
	return tiles.Layer{}, errs.E(errs.NotFound, "no scenario tile layer %q: want districts or settlements", errs.Shorten(name))
}

// scenarioFeatures are one evaluation as tile features: per district and per
// changed settlement, its properties.
type scenarioFeatures struct {
	districts   map[int64]map[string]any
	settlements []settlementFeature
}

type settlementFeature struct {
	id    int64
	at    orb.Point
	props map[string]any
}

// in returns the settlements in tile t (with the tile buffer), by id.
func (f *scenarioFeatures) in(t tiles.Tile) map[int64]map[string]any {
	b := maptile.New(uint32(t.X), uint32(t.Y), maptile.Zoom(t.Z)).Bound()
	// The 64-unit buffer of 4096, and a little more for the projection.
	pad := (b.Max[0] - b.Min[0]) * 80 / 4096
	b = b.Pad(pad)
	out := map[int64]map[string]any{}
	for _, s := range f.settlements {
		if b.Contains(s.at) {
			out[s.id] = s.props
		}
	}
	return out
}

// scenarioLayerCache keeps the latest evaluations behind scenario tiles, so
// that a map's many tile requests evaluate a scenario once: an entry is
// good while the scenario is unchanged (its updated_at) and the data
// generation is the same (a compute run or an import changes it).
type scenarioLayerCache struct {
	mu      sync.Mutex
	entries []*scenarioLayerEntry // oldest first
}

// scenarioLayerEntries bounds the evaluations kept.
const scenarioLayerEntries = 16

type scenarioLayerEntry struct {
	id      int64
	updated time.Time
	gen     int64
	done    chan struct{}
	f       *scenarioFeatures
	err     error
}

// features returns scenario id's features for its state at updated and data
// generation gen: from the cache, from an evaluation under way, or from a
// new one that later requests wait for.
func (s *server) scenarioFeatures(ctx context.Context, id int64, updated time.Time, gen int64) (*scenarioFeatures, error) {
	c := &s.scenarioLayers
	c.mu.Lock()
	var e *scenarioLayerEntry
	for _, x := range c.entries {
		if x.id == id && x.updated.Equal(updated) && x.gen == gen {
			e = x
		}
	}
	if e == nil {
		e = &scenarioLayerEntry{id: id, updated: updated, gen: gen, done: make(chan struct{})}
		c.entries = append(c.entries, e)
		if len(c.entries) > scenarioLayerEntries {
			c.entries = c.entries[1:]
		}
		c.mu.Unlock()
		// Others may wait on it: it does not end with the request that
		// started it.
		ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.queryTimeout)
		e.f, e.err = s.evaluateFeatures(ectx, id)
		cancel()
		close(e.done)
		if e.err != nil { // not kept: the next request tries again
			c.mu.Lock()
			for i, x := range c.entries {
				if x == e {
					c.entries = append(c.entries[:i], c.entries[i+1:]...)
					break
				}
			}
			c.mu.Unlock()
		}
		return e.f, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return e.f, e.err
}

// evaluateFeatures evaluates scenario id and turns its results into tile
// features.
func (s *server) evaluateFeatures(ctx context.Context, id int64) (*scenarioFeatures, error) {
	e, err := s.evaluate(ctx, id, "id")
	if err != nil {
		return nil, err
	}
	labels, err := s.areaLabels(ctx, e)
	if err != nil {
		return nil, err
	}
	f := &scenarioFeatures{districts: map[int64]map[string]any{}}
	for _, a := range e.res.Areas {
		if labels[a.Area].Level != "district" {
			continue
		}
		p := f.districts[a.Area]
		if p == nil {
			p = map[string]any{}
			f.districts[a.Area] = p
		}
		putDelta(p, a.Indicator, a.Before, a.After)
	}
	for _, c := range e.res.Settlements {
		n := e.names[c.ID]
		p := map[string]any{}
		b, a := c.Before, c.After
		for _, name := range scenario.FigureNames() {
			putDelta(p, name, value(b, name), value(a, name))
			if m := b.Method(name); m != "" {
				p[name+"_method_before"] = m
			}
			if m := a.Method(name); m != "" {
				p[name+"_method_after"] = m
			}
		}
		newly, lost := false, false
		for _, std := range []struct {
			name          string
			before, after *bool
		}{{"health", b.SRS.Health, a.SRS.Health}, {"school", b.SRS.School, a.SRS.School}, {"road", b.SRS.Road, a.SRS.Road}} {
			if std.before != nil {
				p["srs_"+std.name+"_ok_before"] = *std.before
			}
			if std.after != nil {
				p["srs_"+std.name+"_ok_after"] = *std.after
			}
			met, meets := std.before != nil && *std.before, std.after != nil && *std.after
			newly = newly || meets && !met
			lost = lost || met && !meets
		}
		p["newly_meeting"], p["no_longer_meets"] = newly, lost
		f.settlements = append(f.settlements, settlementFeature{id: c.ID, at: orb.Point{n.Lon, n.Lat}, props: p})
	}
	sort.Slice(f.settlements, func(i, j int) bool { return f.settlements[i].id < f.settlements[j].id })
	return f, nil
}

// putDelta sets name_before, name_after and name_delta in p, leaving out
// what is undefined.
func putDelta(p map[string]any, name string, before, after float64) {
	ok := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	if ok(before) {
		p[name+"_before"] = before
	}
	if ok(after) {
		p[name+"_after"] = after
	}
	if ok(before) && ok(after) {
		p[name+"_delta"] = after - before
	}
}

// value is figure name of f (NaN when undefined).
func value(f scenario.Figures, name string) float64 {
	switch name {
	case "school_km":
		return f.SchoolKm
	case "school_min":
		return f.SchoolMin
	case "clinic_km":
		return f.ClinicKm
	case "clinic_min":
		return f.ClinicMin
	case "hospital_km":
		return f.HospitalKm
	case "hospital_min":
		return f.HospitalMin
	case "paved_road_km":
		return f.PavedRoadKm
	case "srs_score":
		if f.SRS.Score != nil {
			return *f.SRS.Score
		}
	}
	return math.NaN()
}

// scenarioTileScope checks a scenario tile request: the scenario, the layer
// and the tiler, and returns the scenario's last change.
func (s *server) scenarioTileScope(ctx context.Context, r *http.Request) (id int64, layer tiles.Layer, tiler ScenarioTiler, updated time.Time, err error) {
	if id, err = pathID(r, "id"); err != nil {
		return
	}
	if layer, err = scenarioLayer(mux.Vars(r)["layer"]); err != nil {
		return
	}
	st, _, err := s.scenarioEvaluator()
	if err != nil {
		return
	}
	tiler, ok := st.(ScenarioTiler)
	if !ok {
		err = errs.E(errs.Unavailable, "scenario tiles not available")
		return
	}
	m, err := st.Scenario(ctx, id)
	if errs.KindOf(err) == errs.NotFound {
		err = errs.E(errs.NotFound, "id=%d: no such scenario", id)
	}
	return id, layer, tiler, m.UpdatedAt, err
}

// handleScenarioTile serves GET /api/scenarios/{id}/tiles/{layer}/{z}/{x}/{y}.mvt
// (or .pbf): the scenario's layer districts or settlements, as handleTile
// serves the map's layers (204 empty, 304 for a matching ETag), evaluated on
// the latest compute run. Answers are revalidated on every use (no-cache):
// a scenario changes at a click.
func (s *server) handleScenarioTile(w http.ResponseWriter, r *http.Request) error {
	v := mux.Vars(r)
	t, err := tiles.ParseTile(v["z"], v["x"], v["y"])
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.queryTimeout)
	defer cancel()
	id, layer, tiler, updated, err := s.scenarioTileScope(ctx, r)
	if err != nil {
		return err
	}
	if _, err := layer.NeedsQuery(t); err != nil {
		return err
	}
	gen, _, err := s.generation.get(ctx, s.src)
	if err != nil {
		return err
	}
	key := tiles.CacheKey{Layer: fmt.Sprintf("scenario/%d@%d/%s", id, updated.UnixNano(), layer.Name), Tile: t, Generation: gen}
	name := fmt.Sprintf("scenario %d %s", id, layer.Name)
	w = &revalidated{ResponseWriter: w}
	if gz, ok := s.cache.Get(key); ok {
		return writeTile(w, r, gz, false, name, t)
	}
	f, err := s.scenarioFeatures(ctx, id, updated, gen)
	if err != nil {
		return err
	}
	props := f.districts
	if layer.Name == "settlements" {
		props = f.in(t)
	}
	mvt, err := tiler.ScenarioTile(ctx, layer.Name, t, props)
	if err != nil {
		return err
	}
	var gz []byte
	if len(mvt) > 0 {
		if gz, err = gzipBytes(mvt); err != nil {
			return errs.Wrap(errs.Internal, err, "tile %s %v: compress", name, t)
		}
	}
	s.cache.Put(key, gz)
	return writeTile(w, r, gz, false, name, t)
}

// revalidated makes an answer's Cache-Control no-cache as it is written:
// clients keep it but ask (If-None-Match) before each use.
type revalidated struct {
	http.ResponseWriter
	set bool
}

func (w *revalidated) fix() {
	if !w.set {
		w.set = true
		w.Header().Set("Cache-Control", "no-cache")
	}
}

func (w *revalidated) WriteHeader(code int) { w.fix(); w.ResponseWriter.WriteHeader(code) }

func (w *revalidated) Write(b []byte) (int, error) { w.fix(); return w.ResponseWriter.Write(b) }

// handleScenarioTileJSON serves GET /api/scenarios/{id}/tiles/{layer}.json:
// the TileJSON 3.0.0 of a scenario's layer.
func (s *server) handleScenarioTileJSON(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := s.apiContext(r)
	defer cancel()
	id, layer, _, _, err := s.scenarioTileScope(ctx, r)
	if err != nil {
		return err
	}
	bounds, err := s.tileBounds(ctx)
	if err != nil {
		return err
	}
	base := s.baseURL(w, r)
	ts := tiles.TileJSON(layer, base, bounds)
	ts.Name = fmt.Sprintf("scenario-%d-%s", id, layer.Name)
	ts.Tiles = []string{fmt.Sprintf("%s/api/scenarios/%d/tiles/%s/{z}/{x}/{y}.mvt", strings.TrimRight(base, "/"), id, layer.Name)}
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, ts)
	return nil
}
