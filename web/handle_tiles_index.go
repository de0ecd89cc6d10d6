package web

import (
	"net/http"

	"github.com/aimaq/aimaq/tiles"
)

// layerLink is one entry of GET /tiles.
type layerLink struct {
	Name        string     `json:"name"`
	Description string     `json:"description"`
	MinZoom     tiles.Zoom `json:"minzoom"`
	MaxZoom     tiles.Zoom `json:"maxzoom"`
	TileJSON    string     `json:"tilejson"`
	Tiles       string     `json:"tiles"`
}

// handleTilesIndex serves GET /tiles: every layer with its TileJSON and tile
// URLs, for clients that discover layers.
func (s *server) handleTilesIndex(w http.ResponseWriter, r *http.Request) error {
	base := s.baseURL(w, r)
	var out struct {
		Layers []layerLink `json:"layers"`
	}
	for _, l := range s.catalogue.Layers() {
		out.Layers = append(out.Layers, layerLink{
			Name:        l.Name,
			Description: l.Description,
			MinZoom:     l.MinZoom,
			MaxZoom:     l.MaxZoom,
			TileJSON:    base + "/tiles/" + l.Name + ".json",
			Tiles:       tiles.TileURL(base, l.Name),
		})
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	writeJSON(w, http.StatusOK, out)
	return nil
}
