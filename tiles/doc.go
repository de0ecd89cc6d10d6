// Package tiles describes aimaq's vector tiles without serving or querying
// them: tile coordinates and their validation, the catalogue of layers with
// the SQL that cuts each one in PostGIS, TileJSON 3.0 documents, and a
// bounded in-memory cache of rendered tiles.
//
// It imports neither net/http nor a database driver: data/postgis runs a
// layer's SQL, and web turns requests into [ParseTile] calls and responses.
package tiles
