package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/aimaq/aimaq/geo/indicator"
	"github.com/gorilla/mux"
)

// The JSON Schemas of a collection, all built from the FeatureSource's
// FeatureSchema (the table the features are read with), so a property's
// type is written once:
//
//   - /schema, OGC API – Features Part 5 (Schemas): the features'
//     properties, geometry and id as one flat object;
//   - /schema/geojson, the JSON Schema of one feature as /items encodes it
//     (a GeoJSON Feature), the collection's describedBy link, which GDAL's
//     OAPIF driver reads to type its fields rather than guess them from
//     the first page (where a field that is null on every feature of the
//     page would come through as String);
//   - /queryables, OGC API – Features Part 3: what a request can filter
//     on, only the geometry (bbox).
//
// A property may be null in any feature (an indicator the latest compute
// run has no value for, a name the source lacks): "type" names the type of
// its values, as GDAL needs it to be one string.
const (
	mediaJSONSchema = "application/schema+json"
	jsonSchemaDraft = "https://json-schema.org/draft/2020-12/schema"

	relSchema     = "http://www.opengis.net/def/rel/ogc/1.0/schema"
	relQueryables = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
	// relDescribedBy is IANA's describedby spelled as GDAL's OAPIF driver
	// (3.6) compares it, case and all; relation types are
	// case-insensitive (RFC 8288), so it is the same relation.
	relDescribedBy = "describedBy"
)

// jsonSchema is the part of JSON Schema the collections' schemas use.
type jsonSchema struct {
	Schema               string      `json:"$schema,omitempty"`
	ID                   string      `json:"$id,omitempty"`
	Title                string      `json:"title,omitempty"`
	Description          string      `json:"description,omitempty"`
	Type                 string      `json:"type,omitempty"`
	Format               string      `json:"format,omitempty"`
	Enum                 []string    `json:"enum,omitempty"`
	Role                 string      `json:"x-ogc-role,omitempty"`
	Unit                 string      `json:"x-ogc-unit,omitempty"`
	Required             []string    `json:"required,omitempty"`
	Properties           schemaProps `json:"properties,omitempty"`
	Items                *jsonSchema `json:"items,omitempty"`
	AdditionalProperties *bool       `json:"additionalProperties,omitempty"`
}

// schemaProps are the properties of an object schema, kept in order: a
// client such as GDAL makes its fields in the order it reads them.
type schemaProps []schemaProp

type schemaProp struct {
	name   string
	schema *jsonSchema
}

func (ps schemaProps) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		name, err := json.Marshal(p.name)
		if err != nil {
			return nil, err
		}
		value, err := json.Marshal(p.schema)
		if err != nil {
			return nil, err
		}
		b.Write(name)
		b.WriteByte(':')
		b.Write(value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// featureSchema is what the FeatureSource says of a collection's features.
type featureSchema struct {
	collection ogcCollection
	geometry   string // GeoJSON type
	properties schemaProps
}

// lookupFeatureSchema checks the request of a schema route and reads the
// collection's schema: 404 for an unknown collection and 400 for a bad
// parameter before asking the source, 503 without one.
func (s *server) lookupFeatureSchema(r *http.Request) (featureSchema, error) {
	c, err := lookupOGCCollection(mux.Vars(r)["collectionId"])
	if err != nil {
		return featureSchema{}, err
	}
	if err := ogcParams(r.URL.Query(), false); err != nil {
		return featureSchema{}, err
	}
	if s.features == nil {
		return featureSchema{}, errNoFeatureData
	}
	geometry, props, err := s.features.FeatureSchema(c.ID)
	if err != nil {
		return featureSchema{}, err
	}
	fs := featureSchema{collection: c, geometry: geometry}
	for name, typ := range props {
		fs.properties = append(fs.properties, schemaProp{name, propertySchema(name, typ)})
	}
	return fs, nil
}

// propertySchema is the schema of one property: its type, and for a
// settlement indicator its description and unit.
func propertySchema(name, typ string) *jsonSchema {
	p := &jsonSchema{Type: typ}
	if in, ok := indicator.LookupSettlement(name); ok {
		p.Description = in.Description
		if in.Unit == "km" || in.Unit == "min" { // UCUM codes both
			p.Unit = in.Unit
		}
	}
	return p
}

// geometryFormat is Part 5's format of a geometry type: geometry-point,
// geometry-multipolygon.
func geometryFormat(geometry string) string {
	return "geometry-" + strings.ToLower(geometry)
}

// writeSchema writes a JSON Schema document.
func writeSchema(w http.ResponseWriter, v *jsonSchema) {
	apiHeaders(w)
	body, _ := json.Marshal(v) // plain strings, slices and pointers: cannot fail
	h := w.Header()
	h.Set("Content-Type", mediaJSONSchema)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append(body, '\n')) // the status is sent; a failed write has nowhere to go
}

// handleOGCSchema serves GET /ogc/collections/{collectionId}/schema: the
// Part 5 schema of the collection's features — id, primary geometry with
// its type, and every property with its type.
func (s *server) handleOGCSchema(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.lookupFeatureSchema(r)
	if err != nil {
		return err
	}
	c := fs.collection
	props := schemaProps{
		{"id", &jsonSchema{Type: "integer", Role: "id", Description: "The feature's id: a positive whole number."}},
		{"geometry", &jsonSchema{Format: geometryFormat(fs.geometry), Role: "primary-geometry", Description: fs.geometry + " in WGS 84 longitude/latitude (CRS84)."}},
	}
	writeSchema(w, &jsonSchema{
		Schema:      jsonSchemaDraft,
		ID:          s.baseURL(w, r) + "/ogc/collections/" + c.ID + "/schema",
		Title:       c.Title,
		Description: c.Description + " Any property may be null.",
		Type:        "object",
		Properties:  append(props, fs.properties...),
	})
	return nil
}

// handleOGCFeatureSchema serves GET
// /ogc/collections/{collectionId}/schema/geojson: the JSON Schema of one
// feature of the collection as /items and /items/{featureId} encode it.
func (s *server) handleOGCFeatureSchema(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.lookupFeatureSchema(r)
	if err != nil {
		return err
	}
	c := fs.collection
	geometry := &jsonSchema{
		Description: "WGS 84 longitude/latitude (CRS84).",
		Type:        "object",
		Required:    []string{"type", "coordinates"},
		Properties: schemaProps{
			{"type", &jsonSchema{Type: "string", Enum: []string{fs.geometry}}},
			{"coordinates", &jsonSchema{Type: "array"}},
		},
	}
	writeSchema(w, &jsonSchema{
		Schema:      jsonSchemaDraft,
		ID:          s.baseURL(w, r) + "/ogc/collections/" + c.ID + "/schema/geojson",
		Title:       c.Title + " (GeoJSON feature)",
		Description: "One feature of " + c.ID + " as GeoJSON. Any property may be null.",
		Type:        "object",
		Required:    []string{"type", "id", "geometry", "properties"},
		Properties: schemaProps{
			{"type", &jsonSchema{Type: "string", Enum: []string{"Feature"}}},
			{"id", &jsonSchema{Type: "integer"}},
			{"geometry", geometry},
			{"properties", &jsonSchema{Type: "object", Properties: fs.properties}},
		},
	})
	return nil
}

// handleOGCQueryables serves GET /ogc/collections/{collectionId}/queryables:
// the properties a request can filter on — only the geometry, through
// bbox; /items takes no filter on other properties.
func (s *server) handleOGCQueryables(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.lookupFeatureSchema(r)
	if err != nil {
		return err
	}
	c := fs.collection
	closed := false
	writeSchema(w, &jsonSchema{
		Schema:      jsonSchemaDraft,
		ID:          s.baseURL(w, r) + "/ogc/collections/" + c.ID + "/queryables",
		Title:       c.Title + " (queryables)",
		Description: "Filter with bbox=minlon,minlat,maxlon,maxlat on /items.",
		Type:        "object",
		Properties: schemaProps{
			{"geometry", &jsonSchema{Format: geometryFormat(fs.geometry), Role: "primary-geometry"}},
		},
		AdditionalProperties: &closed,
	})
	return nil
}
