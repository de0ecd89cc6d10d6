package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"
)

// RFC 7946 GeoJSON has no crs member: positions are WGS 84 longitude and
// latitude. Older files (GeoJSON 2008, ogr2ogr, QGIS) still declare one, and a
// file in Web Mercator read as degrees is not a fact, so a declared CRS is
// honoured or the file refused:
//
//   - EPSG:4326 and OGC CRS84: read as longitude, latitude. EPSG:4326 is
//     latitude-first by its definition, but GeoJSON writers that name it
//     (GDAL, QGIS) write longitude first, as GeoJSON requires.
//   - EPSG:3857 (and its retired codes 900913 and 3785, the same spherical
//     Web Mercator): metres, transformed to WGS 84.
//   - anything else: refused by name; the user reprojects first.

// mercatorCodes are the EPSG codes of spherical Web Mercator.
var mercatorCodes = map[string]bool{"3857": true, "900913": true, "3785": true}

// declaredCRS reads a top-level crs member and returns the projection that
// takes its positions to WGS 84 longitude and latitude: nil when they already
// are (no crs member, EPSG:4326, OGC CRS84).
func declaredCRS(raw json.RawMessage) (orb.Projection, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		// GeoJSON 2008: a null crs means no CRS can be assumed.
		return nil, fmt.Errorf("crs is null, which declares that the coordinate system is unknown: want EPSG:4326, OGC CRS84 or EPSG:3857")
	}
	var c struct {
		Type       string `json:"type"`
		Properties struct {
			Name string `json:"name"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("crs: %v", err)
	}
	if c.Type != "name" {
		return nil, fmt.Errorf("crs of type %q: only a named crs (EPSG:4326, OGC CRS84, EPSG:3857) is read", c.Type)
	}
	auth, code := crsCode(c.Properties.Name)
	switch {
	case auth == "epsg" && code == "4326", auth == "ogc" && code == "crs84":
		return nil, nil
	case auth == "epsg" && mercatorCodes[code]:
		return project.Mercator.ToWGS84, nil
	}
	return nil, fmt.Errorf("crs %q is not supported: aimaq reads EPSG:4326, OGC CRS84 and EPSG:3857; reproject the file first (ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson)", c.Properties.Name)
}

// crsCode splits the spellings of a CRS name into a lower-case authority and
// code: "EPSG:3857", "urn:ogc:def:crs:EPSG::3857", "urn:ogc:def:crs:OGC:1.3:CRS84",
// "http://www.opengis.net/def/crs/EPSG/0/4326", "CRS84".
func crsCode(name string) (auth, code string) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, prefix := range []string{"urn:ogc:def:crs:", "urn:x-ogc:def:crs:"} {
		if rest, ok := strings.CutPrefix(n, prefix); ok {
			parts := strings.Split(rest, ":") // authority, [version], code
			if len(parts) < 2 || len(parts) > 3 {
				return "", ""
			}
			return parts[0], parts[len(parts)-1]
		}
	}
	for _, prefix := range []string{"http://www.opengis.net/def/crs/", "https://www.opengis.net/def/crs/"} {
		if rest, ok := strings.CutPrefix(n, prefix); ok {
			parts := strings.Split(rest, "/") // authority, version, code
			if len(parts) != 3 {
				return "", ""
			}
			return parts[0], parts[2]
		}
	}
	if n == "crs84" {
		return "ogc", "crs84"
	}
	if a, c, ok := strings.Cut(n, ":"); ok {
		return a, c
	}
	return "", ""
}
