package web

import (
	"net/http"

	"github.com/aimaq/aimaq/internal/errs"
	"github.com/gorilla/mux"
)

// routes is the HTTP handler of aimaq: the router behind the middleware.
func (s *server) routes() http.Handler {
	s.mux = s.router()
	return s.recoverPanics(s.logRequests(s.cors(s.shed(s.compress(s.mux)))))
}

// router registers every route of aimaq, in one place. openapi.json
// describes each of them (TestOpenAPIMatchesRoutes checks).
func (s *server) router() *mux.Router {
	// SkipClean: a path with "..", "//" or "." segments is not redirected to
	// its cleaned form (a 301 that would answer traversal attempts with a
	// link); it matches no API route and the front end answers 404.
	r := mux.NewRouter().SkipClean(true)
	get := []string{http.MethodGet, http.MethodHead}

	r.Handle("/healthz", s.adapt(s.handleHealthz)).Methods(get...)
	r.Handle("/readyz", s.adapt(s.handleReadyz)).Methods(get...)

	r.Handle("/tiles", s.adapt(s.handleTilesIndex)).Methods(get...)
	r.Handle("/tiles/{layer}.json", s.adapt(s.handleTileJSON)).Methods(get...)
	r.Handle("/tiles/{layer}/{z}/{x}/{y}.{format:mvt|pbf}", s.adapt(s.handleTile)).Methods(get...)
	r.Handle("/fonts/{fontstack}/{range}.pbf", s.adapt(s.handleFonts)).Methods(get...)
	r.Handle("/pmtiles", s.adapt(s.handlePMTilesIndex)).Methods(get...)
	r.Handle("/pmtiles/{name}.pmtiles", s.adapt(s.handlePMTiles)).Methods(get...)

	r.Handle("/api/settlements/{id}/access", s.adapt(s.handleSettlementAccess)).Methods(get...)
	r.Handle("/api/access", s.adapt(s.handlePointAccess)).Methods(get...)
	r.Handle("/api/areas/{level}", s.adapt(s.handleAreas)).Methods(get...)
	r.Handle("/api/indicators/settlement", s.adapt(s.handleSettlementIndicators)).Methods(get...)
	r.Handle("/api/indicators", s.adapt(s.handleCatalogue)).Methods(get...)
	r.Handle("/api/choropleth", s.adapt(s.handleChoropleth)).Methods(get...)
	r.Handle("/api/disparity", s.adapt(s.handleDisparity)).Methods(get...)
	r.Handle("/api/disparity/history", s.adapt(s.handleDisparityHistory)).Methods(get...)
	r.Handle("/api/runs", s.adapt(s.handleRuns)).Methods(get...)
	// Scenarios (issue 12): reads are open; every write goes through
	// s.authorized, which wants a token and lets the store log the write.
	r.Handle("/api/scenarios", s.adapt(s.handleScenarios)).Methods(get...)
	r.Handle("/api/scenarios", s.adapt(s.authorized(s.handleCreateScenario))).Methods(http.MethodPost)
	s.scenarioEvalRoutes(r) // before /api/scenarios/{id}: "compare" is no id
	r.Handle("/api/scenarios/{id}", s.adapt(s.handleScenario)).Methods(get...)
	r.Handle("/api/scenarios/{id}", s.adapt(s.authorized(s.handleUpdateScenario))).Methods(http.MethodPatch)
	r.Handle("/api/scenarios/{id}", s.adapt(s.authorized(s.handleDeleteScenario))).Methods(http.MethodDelete)
	r.Handle("/api/scenarios/{id}/projects", s.adapt(s.handleProjects)).Methods(get...)
	r.Handle("/api/scenarios/{id}/projects", s.adapt(s.authorized(s.handleAddProjects))).Methods(http.MethodPost)
	r.Handle("/api/scenarios/{id}/projects/{pid}", s.adapt(s.authorized(s.handleDeleteProject))).Methods(http.MethodDelete)
	r.Handle("/api/scenarios/{id}/log", s.adapt(s.handleScenarioLog)).Methods(get...)
	s.sitingRoutes(r) // issue 13: /api/siting, /api/srs/cost and saving them as scenarios
	r.Handle("/styles/{indicator}.json", s.adapt(s.handleStyle)).Methods(get...)
	r.Handle("/report/{level}/{code}", s.adapt(s.handleReport)).Methods(get...)

	r.Handle("/openapi.json", s.adapt(s.handleOpenAPI)).Methods(get...)
	r.Handle("/ogc", s.adapt(s.handleOGCLanding)).Methods(get...)
	r.Handle("/ogc/conformance", s.adapt(s.handleOGCConformance)).Methods(get...)
	r.Handle("/ogc/collections", s.adapt(s.handleOGCCollections)).Methods(get...)
	r.Handle("/ogc/collections/{collectionId}", s.adapt(s.handleOGCCollection)).Methods(get...)
	r.Handle("/ogc/collections/{collectionId}/schema", s.adapt(s.handleOGCSchema)).Methods(get...)
	r.Handle("/ogc/collections/{collectionId}/schema/geojson", s.adapt(s.handleOGCFeatureSchema)).Methods(get...)
	r.Handle("/ogc/collections/{collectionId}/queryables", s.adapt(s.handleOGCQueryables)).Methods(get...)
	r.Handle("/ogc/collections/{collectionId}/items", s.adapt(s.handleOGCItems)).Methods(get...)
	r.Handle("/ogc/collections/{collectionId}/items/{featureId}", s.adapt(s.handleOGCItem)).Methods(get...)
	r.Handle("/ogc/collections/{collectionId}/tiles", s.adapt(s.handleOGCTilesets)).Methods(get...)
	r.Handle("/ogc/collections/{collectionId}/tiles/{tileMatrixSetId}", s.adapt(s.handleOGCTileset)).Methods(get...)
	r.Handle("/ogc/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", s.adapt(s.handleOGCTile)).Methods(get...)
	r.Handle("/ogc/tiles", s.adapt(s.handleOGCTilesets)).Methods(get...)
	r.Handle("/ogc/tiles/{tileMatrixSetId}", s.adapt(s.handleOGCTileset)).Methods(get...)
	r.Handle("/ogc/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}", s.adapt(s.handleOGCTile)).Methods(get...)
	r.Handle("/ogc/tileMatrixSets", s.adapt(s.handleOGCTileMatrixSets)).Methods(get...)
	r.Handle("/ogc/tileMatrixSets/{tileMatrixSetId}", s.adapt(s.handleOGCTileMatrixSet)).Methods(get...)

	r.PathPrefix("/").Handler(s.adapt(s.handleUI)).Methods(get...)

	r.NotFoundHandler = s.adapt(func(w http.ResponseWriter, r *http.Request) error {
		return errs.E(errs.NotFound, "no route for %s", errs.Shorten(r.URL.Path))
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
	})
	return r
}
